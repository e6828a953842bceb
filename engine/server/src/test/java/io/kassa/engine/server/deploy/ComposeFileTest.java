package io.kassa.engine.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.server.KassaEngine;
import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.metrics.KassaMetrics;
import io.kassa.engine.server.metrics.TerminalEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The docker/ deployment cannot be started on the development machines (no Docker engine), so
 * what would break it silently is checked here instead:
 *
 * <ul>
 *   <li>every metric, label and label value the Grafana dashboard queries is one the engine's
 *       {@link KassaMetrics} registry exposes (read from a live registry, every recording method
 *       exercised, not from a list kept by hand);
 *   <li>the dashboard's data source is the provisioned one, and Prometheus scrapes the same
 *       nodes the cluster and the load balancer name;
 *   <li>every KASSA_* variable the deployment sets is one the code reads (a misspelt one would
 *       be ignored: a node silently single, a seed silently absent);
 *   <li>with a docker client that has the compose plugin: {@code docker compose config} accepts
 *       the file, and its resolved model has three engine nodes that form one cluster.
 * </ul>
 */
class ComposeFileTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final Path COMPOSE_FILE = DOCKER.resolve("compose.yaml");
    private static final Path DASHBOARD = DOCKER.resolve("grafana/dashboards/kassa-engine.json");
    private static final Path DATASOURCES =
            DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml");
    private static final Path PROMETHEUS = DOCKER.resolve("prometheus/prometheus.yml");
    private static final Path HAPROXY = DOCKER.resolve("haproxy/haproxy.cfg");

    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");
    private static final Pattern KASSA_METRIC = Pattern.compile("\\bkassa_[a-zA-Z0-9_:]+");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern SELECTOR =
            Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern SAMPLE_LABEL =
            Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("\\bKASSA_[A-Z0-9_]*[A-Z0-9]");
    private static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    // ---- the dashboard against the engine's registry --------------------------------------

    @Test
    void everyMetricTheDashboardQueriesIsOneTheEngineExposes() throws Exception {
        Map<String, Map<String, Set<String>>> exposed = exposedSamples();
        List<String> expressions = dashboardExpressions();
        assertThat(expressions).as("PromQL expressions in %s", DASHBOARD).hasSizeGreaterThan(5);

        Set<String> queried = new TreeSet<>();
        for (String expression : expressions) {
            List<String> problems = problemsOf(expression, exposed);
            assertThat(problems).as("dashboard expression %s (metrics as KassaMetrics exposes"
                    + " them once every recording method ran; a metric added to the engine"
                    + " needs its recording method called in exposedSamples())", expression)
                    .isEmpty();
            queried.addAll(kassaMetricsIn(expression));
        }
        // What the deployment promises to show.
        assertThat(queried).contains("kassa_checkouts_total", "kassa_checkout_seconds_bucket",
                "kassa_quote_seconds_bucket", "kassa_payments_total",
                "kassa_terminals_connected", "kassa_payment_intents_unknown");
    }

    /** The checker itself: a query the engine cannot answer must be found out. */
    @Test
    void aQueryTheEngineCannotAnswerIsFoundOut() throws Exception {
        Map<String, Map<String, Set<String>>> exposed = exposedSamples();
        assertThat(problemsOf("sum(rate(kassa_checkouts_total[1m]))", exposed)).isEmpty();
        assertThat(problemsOf("sum(rate(kassa_checkout_total[1m]))", exposed))
                .singleElement().asString().contains("kassa_checkout_total");
        assertThat(problemsOf("sum by (le) (rate(kassa_checkout_seconds_bucket"
                + "{outcome=\"commited\"}[1m]))", exposed))
                .singleElement().asString().contains("commited");
        assertThat(problemsOf("sum by (chanel) (rate(kassa_payments_total[5m]))", exposed))
                .singleElement().asString().contains("chanel");
        assertThat(problemsOf("sum(kassa_terminals_connected{shop=\"store-001\"})", exposed))
                .singleElement().asString().contains("shop");
    }

    @Test
    void theDashboardQueriesTheProvisionedDataSourceAndTheScrapedJob() throws IOException {
        String datasources = Files.readString(DATASOURCES);
        String uid = single(Pattern.compile("(?m)^\\s*uid:\\s*(\\S+)\\s*$"), datasources,
                "data source uid in " + DATASOURCES);
        assertThat(datasources).contains("url: http://prometheus:9090");

        JsonNode dashboard = JSON.readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isNotBlank();
        List<JsonNode> panels = panels(dashboard);
        assertThat(panels).isNotEmpty();
        for (JsonNode panel : panels) {
            assertThat(panel.path("datasource").path("uid").asText())
                    .as("data source of panel '%s'", panel.path("title").asText()).isEqualTo(uid);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText(uid))
                        .as("data source of a query of '%s'", panel.path("title").asText())
                        .isEqualTo(uid);
            }
        }

        String job = single(Pattern.compile("job_name:\\s*(\\S+)"), Files.readString(PROMETHEUS),
                "job_name in " + PROMETHEUS);
        for (String expression : dashboardExpressions()) {
            Matcher jobMatcher = Pattern.compile("\\bjob\\s*=\\s*\"([^\"]*)\"").matcher(expression);
            while (jobMatcher.find()) {
                assertThat(jobMatcher.group(1)).as("job in %s", expression).isEqualTo(job);
            }
        }
    }

    // ---- nodes: cluster, Prometheus and load balancer name the same ones -------------------

    @Test
    void prometheusAndTheLoadBalancerReachEveryClusterMember() throws IOException {
        String compose = Files.readString(COMPOSE_FILE);
        Set<String> members = new TreeSet<>();
        for (String member : single(Pattern.compile("KASSA_CLUSTER_MEMBERS:\\s*(\\S+)"), compose,
                "KASSA_CLUSTER_MEMBERS in " + COMPOSE_FILE).split(",")) {
            members.add(member.split(":")[0]);
        }
        assertThat(members).containsExactly("kassa-1", "kassa-2", "kassa-3");

        String prometheus = Files.readString(PROMETHEUS);
        assertThat(single(Pattern.compile("metrics_path:\\s*(\\S+)"), prometheus,
                "metrics_path")).isEqualTo("/metrics");
        Set<String> targets = new TreeSet<>();
        Matcher target = Pattern.compile("\"([^\"]+:[0-9]+)\"").matcher(single(
                Pattern.compile("targets:\\s*\\[([^]]*)]"), prometheus, "targets"));
        while (target.find()) {
            targets.add(target.group(1));
        }
        assertThat(targets).as("Prometheus targets in %s", PROMETHEUS)
                .isEqualTo(members.stream().map(node -> node + ":8080")
                        .collect(Collectors.toCollection(TreeSet::new)));

        String haproxy = Files.readString(HAPROXY);
        for (int port : List.of(7420, 8080)) {
            Set<String> servers = new TreeSet<>();
            Matcher server = Pattern.compile(
                    "(?m)^\\s*server\\s+\\S+\\s+([^:\\s]+):" + port + "\\b").matcher(haproxy);
            while (server.find()) {
                servers.add(server.group(1));
            }
            assertThat(servers).as("load balancer servers on port %d", port).isEqualTo(members);
        }
        assertThat(haproxy).contains("option httpchk GET /health/ready");
    }

    // ---- environment variables ------------------------------------------------------------

    @Test
    void everyKassaVariableTheDeploymentSetsIsOneTheCodeReads() throws IOException {
        Set<String> read = new TreeSet<>();
        for (Path sources : List.of(ROOT.resolve("engine/server/src/main/java"),
                ROOT.resolve("peripherals/src/main/java"))) {
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                    Matcher literal = Pattern.compile("\"(KASSA_[A-Z0-9_]+)\"")
                            .matcher(Files.readString(file));
                    while (literal.find()) {
                        read.add(literal.group(1));
                    }
                }
            }
        }
        assertThat(read).contains("KASSA_PG_URL", "KASSA_CLUSTER_MEMBERS");

        for (Path file : List.of(COMPOSE_FILE, DOCKER.resolve("Dockerfile"))) {
            Set<String> used = new TreeSet<>();
            Matcher name = ENVIRONMENT_NAME.matcher(Files.readString(file));
            while (name.find()) {
                used.add(name.group());
            }
            assertThat(used).as("KASSA_* variables named in %s that no code reads", file)
                    .isSubsetOf(read);
            if (file.equals(COMPOSE_FILE)) {
                assertThat(used).contains("KASSA_CLUSTER_MEMBERS", "KASSA_CLUSTER_HOST",
                        "KASSA_PAYMENT_KEYS_DIR");
            }
        }
    }

    // ---- docker compose, where the client and its compose plugin are installed -------------

    @Test
    void dockerComposeAcceptsTheFile() {
        assumeCompose();
        Result config = docker("compose", "-f", COMPOSE_FILE.toString(), "config", "--quiet");
        assertThat(config.exitCode()).as("docker compose config --quiet: %s", config.output())
                .isZero();
    }

    @Test
    void threeEngineNodesFormOneCluster() throws IOException {
        assumeCompose();
        Result config = docker("compose", "-f", COMPOSE_FILE.toString(), "config",
                "--format", "json");
        assertThat(config.exitCode()).as("docker compose config: %s", config.output()).isZero();
        JsonNode services = JSON.readTree(config.output()).path("services");

        Map<String, JsonNode> engines = new TreeMap<>();
        services.fields().forEachRemaining(service -> {
            if (service.getValue().path("environment").has("KASSA_CLUSTER_MEMBERS")) {
                engines.put(service.getKey(), service.getValue().path("environment"));
            }
        });
        assertThat(engines.keySet()).containsExactly("kassa-1", "kassa-2", "kassa-3");

        Set<String> nodeIds = new HashSet<>();
        JsonNode first = engines.values().iterator().next();
        for (Map.Entry<String, JsonNode> engine : engines.entrySet()) {
            String service = engine.getKey();
            JsonNode environment = engine.getValue();
            String port = environment.path("KASSA_CLUSTER_PORT").asText("5701");
            Set<String> members = new TreeSet<>();
            for (String member : environment.path("KASSA_CLUSTER_MEMBERS").asText().split(",")) {
                String[] hostAndPort = member.trim().split(":");
                members.add(hostAndPort[0]);
                assertThat(hostAndPort.length == 1 ? "5701" : hostAndPort[1])
                        .as("%s: port of member %s", service, member).isEqualTo(port);
            }
            assertThat(members).as("%s joins", service).isEqualTo(engines.keySet());
            assertThat(environment.path("KASSA_CLUSTER_HOST").asText())
                    .as("%s advertises", service).isEqualTo(service);
            assertThat(nodeIds.add(environment.path("KASSA_NODE_ID").asText(service)))
                    .as("%s has a node id of its own", service).isTrue();
            for (String shared : List.of("KASSA_CLUSTER_NAME", "KASSA_CLUSTER_QUORUM",
                    "KASSA_PG_URL", "KASSA_REDIS_URL", "KASSA_PAYMENT_KEYS_DIR",
                    "KASSA_DEMO_TERMINAL_SECRET_SEED")) {
                assertThat(environment.path(shared).asText(null)).as("%s of %s", shared, service)
                        .isEqualTo(first.path(shared).asText(null));
            }
            int quorum = environment.path("KASSA_CLUSTER_QUORUM")
                    .asInt(members.size() / 2 + 1);
            assertThat(2 * quorum).as("%s: a quorum of a majority, or two halves both serve",
                    service).isGreaterThan(members.size());
            // The engine refuses the demo seed next to an external PostgreSQL otherwise.
            if (environment.has("KASSA_DEMO_TERMINAL_SECRET_SEED")
                    && environment.has("KASSA_PG_URL")) {
                assertThat(environment.path(KassaEngine.SCRATCH_DATABASE_VARIABLE).asText())
                        .as("%s sets the demo seed on an external PostgreSQL", service)
                        .isEqualTo(KassaEngine.SCRATCH_DATABASE_ACKNOWLEDGED);
            }
            assertThat(services.has(hostOf(environment.path("KASSA_PG_URL").asText())))
                    .as("%s: KASSA_PG_URL names a service", service).isTrue();
            assertThat(services.has(hostOf(environment.path("KASSA_REDIS_URL").asText())))
                    .as("%s: KASSA_REDIS_URL names a service", service).isTrue();
        }

        // The simulated tills authenticate with the engines' seed.
        assertThat(services.path("pos-sim").path("environment")
                .path("KASSA_DEMO_TERMINAL_SECRET_SEED").asText())
                .as("pos-sim's KASSA_DEMO_TERMINAL_SECRET_SEED")
                .isEqualTo(first.path("KASSA_DEMO_TERMINAL_SECRET_SEED").asText());

        // Prometheus is given the configuration whose targets are these nodes.
        assertThat(bindSources(services.path("prometheus"))).as("files given to prometheus")
                .contains(PROMETHEUS.toRealPath().toString());
        assertThat(bindSources(services.path("grafana"))).as("files given to grafana")
                .contains(DOCKER.resolve("grafana/dashboards").toRealPath().toString(),
                        DOCKER.resolve("grafana/provisioning").toRealPath().toString());
    }

    // ---- the engine's exposed metrics -------------------------------------------------------

    /**
     * Sample name → label name → values, as a node's /metrics shows them once every recording
     * method of {@link KassaMetrics} has run (meters are registered on first use).
     */
    private static Map<String, Map<String, Set<String>>> exposedSamples() throws Exception {
        Vertx vertx = Vertx.vertx();
        KassaMetrics metrics = KassaMetrics.create();
        try {
            SaleKey sale = new SaleKey("store-001", "T-store-001-1", "run1-T-store-001-1-1");
            CommittedSale committed = new CommittedSale(UUID.randomUUID(), sale, "fingerprint",
                    CurrencyCode.CNY, List.of(), Money.fen(1_250), Money.fen(0), Instant.now());
            metrics.checkoutFinished(sale, Future.succeededFuture(
                    new CheckoutOutcome.Committed(committed, false)), 1_000_000);
            metrics.checkoutFinished(sale,
                    Future.succeededFuture(new CheckoutOutcome.Abandoned(sale)), 2_000_000);
            metrics.checkoutFinished(sale,
                    Future.failedFuture(new IllegalStateException("PostgreSQL gone")), 3_000_000);
            metrics.quoteFinished("store-001", true, 500_000);
            metrics.quoteFinished("store-001", false, 900_000);
            metrics.paymentsResolved("wechatpay", "succeeded", 2);
            metrics.paymentsResolved("alipay", "reversed", 1);
            metrics.paymentFinished("wechatpay", "paid", 40_000_000);
            metrics.userPaying("wechatpay");
            metrics.paymentReversed("alipay", "deadline");
            metrics.unknownIntents(1);
            metrics.callbackLag("wechatpay", 120);
            metrics.callFinished("unionpay", "answered", 30_000_000);
            metrics.reconcilerDifferences(0);
            metrics.holdsReleasedByJanitor(1);
            metrics.lotsExpired(1);
            metrics.pointsAdjusted(10);
            metrics.pointsExpired(5);
            metrics.couponsRedeemed("cut-100-20", 1);
            metrics.probe("postgres", true, 1_000_000);
            metrics.probe("redis", true, 500_000);
            metrics.holdsOutstanding(3);
            metrics.error("gateway", "wechatpay: no answer");
            metrics.attach(vertx);
            TerminalEvents.connected(vertx, "store-001");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    metrics.scrape().contains("kassa_terminals_connected{"));
            return parse(metrics.scrape());
        } finally {
            metrics.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Map<String, Set<String>>> parse(String exposition) {
        Map<String, Map<String, Set<String>>> samples = new TreeMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            Map<String, Set<String>> labels =
                    samples.computeIfAbsent(line.substring(0, end), name -> new TreeMap<>());
            if (end < line.length() && line.charAt(end) == '{') {
                Matcher label = SAMPLE_LABEL.matcher(line.substring(end, line.indexOf('}', end)));
                while (label.find()) {
                    labels.computeIfAbsent(label.group(1), name -> new TreeSet<>())
                            .add(label.group(2));
                }
            }
        }
        return samples;
    }

    /**
     * What is wrong with one PromQL expression, given what the engine exposes: a kassa_ metric
     * it does not expose; a label that metric does not have; an exact label value it never
     * takes; a grouping label none of the expression's metrics has.
     */
    static List<String> problemsOf(String expression,
            Map<String, Map<String, Set<String>>> exposed) {
        List<String> problems = new ArrayList<>();
        Set<String> metrics = kassaMetricsIn(expression);
        Set<String> labelsOfExpression = new HashSet<>(TARGET_LABELS);
        for (String metric : metrics) {
            if (!exposed.containsKey(metric)) {
                problems.add("no metric " + metric);
            } else {
                labelsOfExpression.addAll(exposed.get(metric).keySet());
            }
        }
        Matcher selector = SELECTOR.matcher(expression);
        while (selector.find()) {
            String metric = selector.group(1);
            if (!metrics.contains(metric) || !exposed.containsKey(metric)) {
                continue;
            }
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                String label = matcher.group(1);
                Set<String> values = exposed.get(metric).get(label);
                if (TARGET_LABELS.contains(label)) {
                    continue;
                }
                if (values == null) {
                    problems.add(metric + " has no label " + label);
                } else if (matcher.group(2).equals("=") && !values.contains(matcher.group(3))) {
                    problems.add(metric + " never has " + label + "=\"" + matcher.group(3)
                            + "\" (it has " + values + ")");
                }
            }
        }
        Matcher grouping = GROUPING.matcher(STRING_LITERAL.matcher(expression).replaceAll("\"\""));
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank() && !labelsOfExpression.contains(label.trim())) {
                    problems.add("no metric of the expression has the label " + label.trim());
                }
            }
        }
        return problems;
    }

    private static Set<String> kassaMetricsIn(String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher name = KASSA_METRIC.matcher(STRING_LITERAL.matcher(expression).replaceAll("\"\""));
        while (name.find()) {
            names.add(name.group());
        }
        return names;
    }

    // ---- files ------------------------------------------------------------------------------

    private static List<String> dashboardExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : panels(JSON.readTree(DASHBOARD.toFile()))) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    expressions.add(target.get("expr").asText());
                }
            }
        }
        return expressions;
    }

    /** Every panel, also those inside rows. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    private static String single(Pattern pattern, String text, String what) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as(what).isTrue();
        String found = matcher.group(1);
        assertThat(matcher.find()).as("only one " + what).isFalse();
        return found;
    }

    private static String hostOf(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        rest = rest.substring(rest.indexOf('@') + 1);
        return rest.split("[:/]")[0];
    }

    private static Set<String> bindSources(JsonNode service) {
        Set<String> sources = new TreeSet<>();
        for (JsonNode volume : service.path("volumes")) {
            if (volume.path("type").asText().equals("bind")) {
                sources.add(volume.path("source").asText());
            }
        }
        return sources;
    }

    /** The repository's root: the first directory upwards holding docker/compose.yaml. */
    private static Path repositoryRoot() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null
                && !Files.isRegularFile(directory.resolve("docker/compose.yaml"))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("no docker/compose.yaml above "
                    + Path.of("").toAbsolutePath());
        }
        return directory;
    }

    // ---- docker -------------------------------------------------------------------------------

    private record Result(int exitCode, String output) {
    }

    private static void assumeCompose() {
        Result version;
        try {
            version = docker("compose", "version");
        } catch (UncheckedIOException noDocker) {
            version = new Result(-1, noDocker.getMessage());
        }
        Assumptions.assumeTrue(version.exitCode() == 0,
                "no docker client with the compose plugin here: " + version.output().strip());
    }

    private static Result docker(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("docker");
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(ROOT.toFile())
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(
                    () -> readAll(process.getInputStream()));
            if (!process.waitFor(DOCKER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " took longer than "
                        + DOCKER_TIMEOUT);
            }
            return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
        } catch (IOException notRunnable) {
            throw new UncheckedIOException(notRunnable);
        } catch (Exception failed) {
            throw new IllegalStateException(String.join(" ", command) + " failed", failed);
        }
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stream.transferTo(bytes);
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
