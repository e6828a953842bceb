package io.kassa.engine.server.rules;

import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.RulesProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the chain's rules come from at start-up: the JSON file named by {@code
 * KASSA_RULES_FILE}, or the demo chain shipped in the jar. Invalid rules stop the start with
 * every problem listed by its JSON path.
 */
public final class ChainRulesSource {

    public static final String DEMO_RULES_RESOURCE = "/rules/demo-chain.json";

    private ChainRulesSource() {
    }

    public static ChainRules fromEnvironment(Map<String, String> environment) {
        return parse(documentFromEnvironment(environment), origin(environment));
    }

    /** The JSON document {@link #fromEnvironment} reads, unparsed. */
    public static String documentFromEnvironment(Map<String, String> environment) {
        String file = environment.get("KASSA_RULES_FILE");
        if (file == null || file.isBlank()) {
            return readResource(DEMO_RULES_RESOURCE);
        }
        try {
            return Files.readString(Path.of(file.trim()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("KASSA_RULES_FILE " + file + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** Where {@link #documentFromEnvironment} reads from, for messages. */
    public static String origin(Map<String, String> environment) {
        String file = environment.get("KASSA_RULES_FILE");
        return file == null || file.isBlank() ? DEMO_RULES_RESOURCE : file.trim();
    }

    /** Parses {@code json}, failing with every problem listed by its JSON path. */
    public static ChainRules parse(String json, String origin) {
        RulesJsonResult result = RulesJson.parse(json);
        if (result instanceof RulesJsonResult.Loaded loaded) {
            return loaded.rules();
        }
        StringBuilder problems = new StringBuilder("rules in " + origin + " are invalid:");
        for (RulesProblem problem : ((RulesJsonResult.Invalid) result).problems()) {
            problems.append("\n  ").append(problem);
        }
        throw new IllegalArgumentException(problems.toString());
    }

    private static String readResource(String resource) {
        try (InputStream input = ChainRulesSource.class.getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
