package io.kassa.engine.core.rules;

import io.kassa.engine.core.money.Rational;
import java.time.LocalDate;
import java.time.Month;
import java.time.MonthDay;
import java.util.Objects;
import java.util.Optional;

/** A points multiplier that is on at some dates in some stores. Multipliers multiply. */
public record Campaign(String id, CampaignTrigger trigger, Rational multiplier, StoreScope scope) {

    public Campaign {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(multiplier, "multiplier");
        Objects.requireNonNull(scope, "scope");
    }

    /**
     * Whether the campaign is on for an order.
     *
     * @param storeLocalDate the order's date in the store's zone
     * @param birthMonth the member's birth month, if known
     */
    public boolean appliesTo(Store store, LocalDate storeLocalDate, Optional<Month> birthMonth) {
        if (!scope.includes(store)) {
            return false;
        }
        if (trigger instanceof CampaignTrigger.MemberDay memberDay) {
            return memberDay.days().contains(storeLocalDate.getDayOfWeek());
        }
        if (trigger instanceof CampaignTrigger.BirthdayMonth) {
            return birthMonth.isPresent() && birthMonth.get() == storeLocalDate.getMonth();
        }
        if (trigger instanceof CampaignTrigger.Holiday holiday) {
            return !storeLocalDate.isBefore(holiday.firstDay())
                    && !storeLocalDate.isAfter(holiday.lastDay());
        }
        CampaignTrigger.StoreAnniversary anniversary = (CampaignTrigger.StoreAnniversary) trigger;
        for (int offset = 0; offset < anniversary.days(); offset++) {
            LocalDate day = storeLocalDate.minusDays(offset);
            if (day.getYear() > store.openedOn().getYear()
                    && MonthDay.from(day).equals(MonthDay.from(store.openedOn()))) {
                return true;
            }
        }
        return false;
    }
}
