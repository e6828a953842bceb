package io.kassa.engine.core.decision;

import java.util.Objects;

/** Why the rules said no: a stable code for machines and an explanation for people. */
public record Rejection(RejectionCode code, String explanation) {

    public Rejection {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(explanation, "explanation");
    }

    public static Rejection of(RejectionCode code, String explanation) {
        return new Rejection(code, explanation);
    }
}
