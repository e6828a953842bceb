package io.kassa.engine.core.rules;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A store of the chain: its group (format), its time zone (for member days and birthday months)
 * and its opening date (for anniversary campaigns).
 */
public record Store(String storeId, String groupId, ZoneId zone, LocalDate openedOn) {

    public Store {
        Objects.requireNonNull(storeId, "storeId");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(openedOn, "openedOn");
    }
}
