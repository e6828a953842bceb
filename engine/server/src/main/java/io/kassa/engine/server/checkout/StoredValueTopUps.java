package io.kassa.engine.server.checkout;

import io.kassa.engine.core.tender.TenderKind;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The port through which a top-up of stored value taken at a terminal becomes durable: the
 * bonus the chain's rules add, a balanced ledger transaction, the member's balance, the record
 * of the top-up and an outbox row that refreshes the member's hot copy, in one transaction,
 * exactly once per {@link Key}.
 */
public interface StoredValueTopUps {

    /** A top-up as the terminal names it: idempotent on this key. */
    record Key(String storeId, String terminalId, String topUpId) {
        public Key {
            Objects.requireNonNull(storeId, "storeId");
            Objects.requireNonNull(terminalId, "terminalId");
            Objects.requireNonNull(topUpId, "topUpId");
        }
    }

    /**
     * @param receivedFen cash handed over (at least {@code amountFen}); the amount for a card
     * @param reference a card's approval code, or empty
     */
    record TopUp(Key key, String memberId, TenderKind tenderKind, long amountFen,
            long receivedFen, String reference) {

        public TopUp {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(tenderKind, "tenderKind");
            Objects.requireNonNull(reference, "reference");
            if (amountFen <= 0 || receivedFen < amountFen) {
                throw new IllegalArgumentException("a top-up takes a positive amount, received"
                        + " in full: " + amountFen + " of " + receivedFen);
            }
        }
    }

    /** A top-up as recorded: what it asked, and what it credited. */
    record Recorded(TopUp topUp, long bonusFen, long storedValueAfterFen, UUID transactionId,
            Instant toppedUpAt) {
    }

    sealed interface Result {
        /**
         * @param replayed true when the key was recorded earlier with the same content
         * @param outboxId the row refreshing the member's hot copy, when this call wrote it
         */
        record Done(Recorded recorded, boolean replayed, Optional<Long> outboxId)
                implements Result {
        }

        /** The key was recorded earlier for another member, amount or tender. */
        record Conflict(Recorded existing) implements Result {
        }
    }

    Future<Result> topUp(TopUp topUp);
}
