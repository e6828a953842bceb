package io.kassa.engine.server.admin;

import io.vertx.core.Future;
import java.time.Instant;

/**
 * The fast side of a chain-wide quota (a limited gift, a campaign budget): a count shared by
 * every engine node that refuses at once when nothing is left, and lets through, each with a
 * hold, at most what is left. It is an estimate that errs towards refusing later, never
 * towards giving more: PostgreSQL's {@code check (taken <= stock)} decides, and this side is
 * told what PostgreSQL decided so it can follow (docs/adr/0011-chain-wide-quotas.md).
 *
 * <p>Every call names the hot copy's generation (docs/adr/0006): a count kept in another
 * generation belongs to another PostgreSQL truth (Redis lost, PostgreSQL restored, another
 * database) and is treated as unknown.
 */
public interface ChainQuotas {

    /** What a take answered. */
    enum Verdict {
        /** A unit is held for this exchange; settle it when PostgreSQL has answered. */
        TAKEN,
        /** Nothing is left. */
        SOLD_OUT,
        /** This exchange id was committed already: a retry. */
        DONE,
        /** The quota's count is not known here (lost, never seeded): seed it and retry. */
        UNKNOWN
    }

    /**
     * A take's verdict; for {@link Verdict#SOLD_OUT}, {@code complete} says that every
     * committed exchange id is known here, so the refusal cannot be a retry of one of them.
     */
    record Take(Verdict verdict, boolean complete) {
    }

    /**
     * Holds one unit of {@code quotaId} for {@code holdId} if fewer than {@code stock} are
     * committed or held; a hold ends by itself at {@code holdUntil} if never settled.
     */
    Future<Take> take(String quotaId, String generation, String holdId, long stock, Instant now,
            Instant holdUntil);

    /** The held unit was committed in PostgreSQL, whose count is now {@code takenInPostgres}. */
    Future<Void> committed(String quotaId, String generation, String holdId,
            long takenInPostgres);

    /** The held unit was not used: it goes back. */
    Future<Void> released(String quotaId, String generation, String holdId);

    /** PostgreSQL refused the unit as sold out: the count here was behind, now it is full. */
    Future<Void> soldOut(String quotaId, String generation, String holdId, long stock);

    /**
     * Sets the count from PostgreSQL's when it is unknown in {@code generation} (forgetting
     * holds and done ids of another generation); never lowers a known one.
     */
    Future<Void> seed(String quotaId, String generation, long takenInPostgres);
}
