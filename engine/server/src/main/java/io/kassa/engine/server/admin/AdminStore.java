package io.kassa.engine.server.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The port to what the admin API reads and changes in the system of record. Every change runs
 * in one transaction with its ledger entries (balanced), its lot and balance rows, its audit
 * row and an outbox row that makes the hot copy reload the member; changes that move points or
 * money are idempotent on their request id.
 */
public interface AdminStore {

    /** Who made a change and why, written in the same transaction as the change. */
    record Audit(String actor, ApiRole role, String action, String requestId) {
    }

    record StoredKey(String keyId, byte[] secretHash, String name, ApiRole role,
            Set<String> storeIds, boolean disabled) {

        public StoredKey {
            secretHash = secretHash.clone();
            storeIds = Set.copyOf(storeIds);
        }

        @Override
        public byte[] secretHash() {
            return secretHash.clone();
        }
    }

    record Member(String memberId, String memberCode, Optional<String> phone,
            Optional<String> homeStoreId, String tier, Optional<Integer> birthMonth,
            long points, long storedValueFen, int completedOrders,
            Optional<LocalDate> lastOrderOn, Instant registeredAt) {
    }

    record NewMember(String memberId, String memberCode, String phone, String homeStoreId,
            Optional<Integer> birthMonth) {
    }

    /** A lot created by an admin change: its id, points and dates. */
    record NewLot(String lotId, long points, LocalDate earnedOn, LocalDate expiresOn) {
    }

    record PointsMovement(String transactionId, String kind, Instant at, long points,
            Optional<String> orderId, Optional<String> note) {
    }

    record Order(String orderId, String storeId, String terminalId, String saleId,
            Optional<String> memberId, String status, long subtotalFen, long discountFen,
            long payableFen, long pointsEarned, long pointsSpent, Instant committedAt) {
    }

    record AuditEntry(long auditId, Instant at, String actor, String role, String action,
            String objectType, String objectId, JsonObject before, JsonObject after) {
    }

    Future<Optional<StoredKey>> apiKey(String keyId);

    Future<Void> createApiKey(StoredKey key, Audit audit);

    /** Every key (no hashes), oldest first. */
    Future<List<StoredKey>> apiKeys();

    /** Disables a key at once; false when there is no such key. */
    Future<Boolean> disableApiKey(String keyId, Audit audit);

    /** The stored-value bonus rules: threshold and bonus in fen, ascending. */
    Future<List<long[]>> bonusRules();

    Future<Member> registerMember(NewMember member, Optional<NewLot> registrationLot,
            Audit audit);

    Future<Optional<Member>> member(String memberId);

    Future<Optional<Member>> memberByPhone(String phone);

    Future<Optional<Member>> memberByCode(String memberCode);

    /** Movements of the member's points account in [from, to), oldest first. */
    Future<List<PointsMovement>> pointsHistory(String memberId, Instant from, Instant to,
            int limit);

    /**
     * Adds {@code lot} (a positive adjustment) or takes {@code -delta} points from the member's
     * live lots, soonest expiring first (a negative one), with a balanced ledger transaction.
     * Answers the stored result when {@code requestId} was seen already.
     */
    Future<JsonObject> adjustPoints(String memberId, long delta, Optional<NewLot> lot,
            LocalDate today, String reason, Audit audit);

    /** Credits {@code amountFen} plus the bonus the bonus rules give for it. Idempotent. */
    Future<JsonObject> topUp(String memberId, String storeId, long amountFen, Audit audit);

    /** Issues one coupon of {@code templateId} to each member; answers the coupon ids. */
    Future<List<String>> issueCoupons(String templateId, List<String> memberIds,
            Instant validFrom, Instant validUntil, Audit audit);

    /**
     * Exchanges points for a coupon in one transaction: the member's live lots drawn soonest
     * expiring first with a balanced ledger transaction, the coupon issued, the exchange
     * recorded under its exchange id, the hot copy told to reload, an audit row, and for a
     * limited offer one unit counted on the offer's quota row, whose check refuses an
     * oversell. A known exchange id answers the recorded exchange and writes nothing.
     */
    Future<PointsExchange.Outcome> exchangePoints(PointsExchange.Request request, Audit audit);

    /** The exchange recorded under {@code exchangeId}, if any. */
    Future<Optional<PointsExchange>> pointsExchange(String exchangeId);

    /** How many exchanges the limited offer {@code offerId} gave (0 before its first). */
    Future<Long> quotaTaken(String offerId);

    Future<Optional<Order>> order(String orderId);

    Future<List<AuditEntry>> audit(Instant from, Instant to, int limit);

    /** Records a change made elsewhere (terminal provisioning) in the audit log. */
    Future<Void> recordAudit(Audit audit, String objectType, String objectId,
            JsonObject before, JsonObject after);
}
