package io.kassa.engine.core.rules;

import java.util.Objects;

/**
 * One thing wrong with a rules configuration.
 *
 * @param path the field, in the JSON rules format's terms: {@code tiers[1].multiplier}
 * @param problem what is wrong with it, for the person who edits the file
 */
public record RulesProblem(String path, String problem) {

    public RulesProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
        return path + ": " + problem;
    }
}
