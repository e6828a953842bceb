package io.kassa.engine.server.gateways;

/** What a reverse (or Alipay cancel) established. */
public sealed interface ReverseResult {

    /** Done: the trade is closed, and {@code moneyReturned} says whether it had been paid. */
    record Reversed(boolean moneyReturned) implements ReverseResult {
    }

    /** The channel refuses for good (e.g. reverse window passed): refund instead. */
    record Refused(String code, String message) implements ReverseResult {
    }

    /** Still "call again" or unanswered after the adapter's attempts: the janitor retries. */
    record Unanswered(UnknownReason reason, int attempts) implements ReverseResult {
    }
}
