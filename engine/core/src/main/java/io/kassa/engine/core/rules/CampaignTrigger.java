package io.kassa.engine.core.rules;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;

/** When a points campaign is on, judged on the store-local date of the order. */
public sealed interface CampaignTrigger {

    /** Member day: every given weekday (every Wednesday). */
    record MemberDay(Set<DayOfWeek> days) implements CampaignTrigger {
        public MemberDay {
            days = Set.copyOf(days);
        }
    }

    /** The member's birthday month. */
    record BirthdayMonth() implements CampaignTrigger {
    }

    /** A holiday: every date from {@code firstDay} to {@code lastDay}, both included. */
    record Holiday(LocalDate firstDay, LocalDate lastDay) implements CampaignTrigger {
        public Holiday {
            Objects.requireNonNull(firstDay, "firstDay");
            Objects.requireNonNull(lastDay, "lastDay");
        }
    }

    /**
     * The anniversary of the store's opening: the same month and day as {@link
     * Store#openedOn()} in a later year, and the {@code days - 1} days after it.
     */
    record StoreAnniversary(int days) implements CampaignTrigger {
    }
}
