package io.kassa.peripherals.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kassa.peripherals.sdk.internal.InFlightRequests;
import io.kassa.protocol.v1.Envelope;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Checks the in-flight table on its own, with a hand-driven clock: the limit at N and N+1,
 * uncounted entries, expiry exactly at the deadline, and removal by id.
 */
class InFlightRequestsTest {

    private static final Envelope.BodyCase QUOTE = Envelope.BodyCase.QUOTE_RESPONSE;

    @Test
    void limitAdmitsTheNthCountedEntryAndRefusesTheNext() {
        InFlightRequests table = new InFlightRequests(3);
        for (long id = 1; id <= 3; id++) {
            assertThat(table.full()).isFalse();
            table.add(id, QUOTE, 0, 1_000, true);
        }

        assertThat(table.full()).isTrue();
        assertThatThrownBy(() -> table.add(4, QUOTE, 0, 1_000, true))
                .isInstanceOf(IllegalStateException.class);
        // A heartbeat does not count, so it still gets in.
        table.add(5, Envelope.BodyCase.HEARTBEAT_ACK, 0, 1_000, false);
        assertThat(table.size()).isEqualTo(4);
        assertThat(table.countedSize()).isEqualTo(3);
        table.remove(2);
        assertThat(table.full()).isFalse();
    }

    @Test
    void entriesExpireAtTheirDeadlineAndNotBefore() {
        InFlightRequests table = new InFlightRequests(8);
        long deadlineNanos = TimeUnit.MILLISECONDS.toNanos(100);
        table.add(1, QUOTE, 0, 100, true);
        table.add(2, QUOTE, TimeUnit.MILLISECONDS.toNanos(50), 100, true);

        assertThat(table.removeExpired(deadlineNanos - 1)).isEmpty();
        assertThat(table.removeExpired(deadlineNanos))
                .extracting(InFlightRequests.Entry::requestId).containsExactly(1L);
        assertThat(table.countedSize()).isEqualTo(1);
        assertThat(table.remove(1)).isNull();
        assertThat(table.remove(2).requestId()).isEqualTo(2);
        assertThat(table.size()).isZero();
    }

    @Test
    void duplicateRequestIdIsABug() {
        InFlightRequests table = new InFlightRequests(8);
        table.add(7, QUOTE, 0, 100, true);

        assertThatThrownBy(() -> table.add(7, QUOTE, 0, 100, true))
                .isInstanceOf(IllegalStateException.class);
        assertThat(table.removeAll()).hasSize(1);
        assertThat(table.countedSize()).isZero();
    }
}
