package io.kassa.engine.core.rules;

import java.util.Set;

/** The stores a campaign or coupon applies to; both sets empty means every store. */
public record StoreScope(Set<String> storeIds, Set<String> storeGroupIds) {

    public static final StoreScope ALL_STORES = new StoreScope(Set.of(), Set.of());

    public StoreScope {
        storeIds = Set.copyOf(storeIds);
        storeGroupIds = Set.copyOf(storeGroupIds);
    }

    public boolean includes(Store store) {
        if (storeIds.isEmpty() && storeGroupIds.isEmpty()) {
            return true;
        }
        return storeIds.contains(store.storeId()) || storeGroupIds.contains(store.groupId());
    }
}
