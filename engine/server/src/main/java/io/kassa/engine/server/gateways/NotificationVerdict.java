package io.kassa.engine.server.gateways;

/** What the payment side made of a verified notification; decides the reply to the channel. */
public sealed interface NotificationVerdict {

    /** Handled now: acknowledge. */
    record Accepted() implements NotificationVerdict {
    }

    /** Handled before (same channel and notification id): acknowledge, change nothing. */
    record Duplicate() implements NotificationVerdict {
    }

    /**
     * Refused (e.g. the amount differs from the intent): answer a failure so that the channel
     * retries and an operator looks; {@code reason} goes into the reply.
     */
    record Refused(String reason) implements NotificationVerdict {
    }
}
