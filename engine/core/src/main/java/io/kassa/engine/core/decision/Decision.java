package io.kassa.engine.core.decision;

import java.util.Objects;
import java.util.function.Function;

/**
 * The outcome of a business rule: accepted with a value, or rejected with a reason. Business
 * outcomes are values, not exceptions, so a caller cannot forget the "no" branch.
 */
public sealed interface Decision<T> permits Decision.Accepted, Decision.Rejected {

    static <T> Decision<T> accept(T value) {
        return new Accepted<>(value);
    }

    static <T> Decision<T> reject(RejectionCode code, String explanation) {
        return new Rejected<>(Rejection.of(code, explanation));
    }

    static <T> Decision<T> reject(Rejection rejection) {
        return new Rejected<>(rejection);
    }

    /** Applies {@code next} to an accepted value; passes a rejection through unchanged. */
    default <R> Decision<R> then(Function<T, Decision<R>> next) {
        if (this instanceof Accepted<T> accepted) {
            return next.apply(accepted.value());
        }
        return new Rejected<>(((Rejected<T>) this).rejection());
    }

    record Accepted<T>(T value) implements Decision<T> {
        public Accepted {
            Objects.requireNonNull(value, "value");
        }
    }

    record Rejected<T>(Rejection rejection) implements Decision<T> {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
