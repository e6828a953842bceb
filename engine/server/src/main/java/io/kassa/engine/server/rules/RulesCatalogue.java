package io.kassa.engine.server.rules;

import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.RulesProblem;
import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.cluster.ConfigurationBroadcast;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chain's configuration on this node: read from PostgreSQL at start (an empty store is
 * seeded from KASSA_RULES_FILE or the demo chain), replaced through the admin API, and kept
 * current from the versions other nodes store — announced through the cluster within
 * milliseconds, and looked up in PostgreSQL every few seconds in case an announcement was lost.
 */
public final class RulesCatalogue {

    private static final Logger log = LoggerFactory.getLogger(RulesCatalogue.class);

    /** How often PostgreSQL is asked for a newer version than the announced ones. */
    public static final long POLL_MILLIS = 5_000;

    /** A document refused by the rules validator, with every problem by its JSON path. */
    public static final class RulesRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient List<RulesProblem> problems;

        RulesRejected(List<RulesProblem> problems) {
            super(problems.size() + " problem(s) in the rules, first: " + problems.get(0));
            this.problems = List.copyOf(problems);
        }

        public List<RulesProblem> problems() {
            return problems;
        }
    }

    private final Vertx vertx;
    private final RulesVersions versions;
    private final ConfigurationBroadcast broadcast;
    private final LiveRules live;
    private final long pollTimer;

    private RulesCatalogue(Vertx vertx, RulesVersions versions,
            ConfigurationBroadcast broadcast, LiveRules live) {
        this.vertx = vertx;
        this.versions = versions;
        this.broadcast = broadcast;
        this.live = live;
        broadcast.listen(announced -> adopt(announced.number(), announced.document(),
                "announced"));
        this.pollTimer = vertx.setPeriodic(POLL_MILLIS, id -> versions.latest()
                .onSuccess(latest -> latest.ifPresent(stored -> adopt(stored.number(),
                        stored.document(), "stored")))
                .onFailure(error -> log.warn("configuration poll failed: {}", error.toString())));
    }

    /** Reads (or seeds) the current version; fails when the stored one is invalid. */
    public static Future<RulesCatalogue> start(Vertx vertx, RulesVersions versions,
            ConfigurationBroadcast broadcast, Map<String, String> environment) {
        return versions.latest().compose(latest -> {
            if (latest.isPresent()) {
                if (environment.containsKey("KASSA_RULES_FILE")) {
                    log.info("configuration version {} in PostgreSQL is used; KASSA_RULES_FILE"
                            + " only seeds an empty store (change rules through PUT"
                            + " /api/v1/rules)", latest.get().number());
                }
                return Future.succeededFuture(latest.get());
            }
            String document = ChainRulesSource.documentFromEnvironment(environment);
            String origin = ChainRulesSource.origin(environment);
            ChainRulesSource.parse(document, origin);
            return versions.seed(document, origin);
        }).map(stored -> {
            ChainRules rules = ChainRulesSource.parse(stored.document(),
                    "configuration version " + stored.number());
            LiveRules live = new LiveRules(new LiveRules.Version(stored.number(), rules,
                    stored.document()));
            log.info("pricing with configuration version {} (stored {} by {})",
                    stored.number(), stored.storedAt(), stored.storedBy());
            RulesCatalogue catalogue = new RulesCatalogue(vertx, versions, broadcast, live);
            broadcast.latest().ifPresent(announced -> catalogue.adopt(announced.number(),
                    announced.document(), "announced"));
            return catalogue;
        });
    }

    public LiveRules live() {
        return live;
    }

    /**
     * Validates {@code document} and stores it as the version after {@code expectedVersion};
     * this node uses it at once and every other node within milliseconds. Fails with {@link
     * RulesRejected} for an invalid document and {@link RulesVersions.VersionTaken} when
     * {@code expectedVersion} is no longer the newest.
     */
    public Future<LiveRules.Version> replace(String document, long expectedVersion,
            Optional<String> note, AdminStore.Audit audit) {
        RulesJsonResult parsed = RulesJson.parse(document);
        if (parsed instanceof RulesJsonResult.Invalid invalid) {
            return Future.failedFuture(new RulesRejected(invalid.problems()));
        }
        ChainRules rules = ((RulesJsonResult.Loaded) parsed).rules();
        if (expectedVersion != live.current().number()) {
            return Future.failedFuture(new RulesVersions.VersionTaken(expectedVersion + 1));
        }
        return versions.store(expectedVersion + 1, document, note, audit, expectedVersion)
                .map(stored -> {
                    LiveRules.Version version =
                            new LiveRules.Version(stored.number(), rules, document);
                    live.offer(version);
                    broadcast.announce(new ConfigurationBroadcast.Version(stored.number(),
                            document));
                    log.info("configuration version {} stored by {}", stored.number(),
                            stored.storedBy());
                    return version;
                });
    }

    private void adopt(long number, String document, String how) {
        if (number <= live.current().number()) {
            return;
        }
        RulesJsonResult parsed = RulesJson.parse(document);
        if (parsed instanceof RulesJsonResult.Loaded loaded) {
            if (live.offer(new LiveRules.Version(number, loaded.rules(), document))) {
                log.info("configuration version {} adopted ({})", number, how);
            }
        } else {
            log.error("configuration version {} ({}) is invalid and was not adopted", number,
                    how);
        }
    }

    public void close() {
        vertx.cancelTimer(pollTimer);
    }
}
