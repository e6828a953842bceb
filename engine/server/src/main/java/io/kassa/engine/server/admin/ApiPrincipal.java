package io.kassa.engine.server.admin;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The caller of the admin API, as its key says: who (for the audit log), in which role, and for
 * a store manager which stores.
 */
public record ApiPrincipal(String keyId, String name, ApiRole role, Set<String> storeIds) {

    public ApiPrincipal {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(role, "role");
        storeIds = Set.copyOf(storeIds);
        if ((role == ApiRole.STORE_MANAGER) == storeIds.isEmpty()) {
            throw new IllegalArgumentException("a store manager, and only a store manager, has"
                    + " stores: " + role + " " + storeIds);
        }
    }

    /** May read objects of {@code storeId} (a member's home store, an order's store). */
    public boolean readsStore(Optional<String> storeId) {
        return role != ApiRole.STORE_MANAGER
                || storeId.map(storeIds::contains).orElse(false);
    }

    /** May change objects of {@code storeId}. */
    public boolean writesStore(Optional<String> storeId) {
        return role == ApiRole.HQ_ADMIN
                || role == ApiRole.STORE_MANAGER && storeId.map(storeIds::contains).orElse(false);
    }

    /** May read chain-wide figures (reports, audit, every store). */
    public boolean readsChain() {
        return role != ApiRole.STORE_MANAGER;
    }

    /** May make chain-wide changes (keys, bulk issuance). */
    public boolean writesChain() {
        return role == ApiRole.HQ_ADMIN;
    }

    /** The actor recorded in the audit log. */
    public String actor() {
        return "key:" + keyId;
    }
}
