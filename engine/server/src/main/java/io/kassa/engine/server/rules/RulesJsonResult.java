package io.kassa.engine.server.rules;

import io.kassa.engine.core.rules.ChainRules;
import io.kassa.engine.core.rules.RulesProblem;
import java.util.List;
import java.util.Objects;

/** The outcome of loading a rules file: the chain's rules, or every problem with its path. */
public sealed interface RulesJsonResult {

    record Loaded(ChainRules rules) implements RulesJsonResult {
        public Loaded {
            Objects.requireNonNull(rules, "rules");
        }
    }

    record Invalid(List<RulesProblem> problems) implements RulesJsonResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid result names its problems");
            }
        }
    }
}
