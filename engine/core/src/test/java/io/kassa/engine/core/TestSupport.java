package io.kassa.engine.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;

/** Small helpers shared by the core's tests. */
public final class TestSupport {

    private TestSupport() {
    }

    public static <T> T accepted(Decision<T> decision) {
        if (decision instanceof Decision.Rejected<T> rejected) {
            throw new AssertionError("expected acceptance, got " + rejected.rejection());
        }
        return ((Decision.Accepted<T>) decision).value();
    }

    public static void rejectedWith(Decision<?> decision, RejectionCode code) {
        assertThat(decision).isInstanceOf(Decision.Rejected.class);
        assertThat(((Decision.Rejected<?>) decision).rejection().code()).isEqualTo(code);
    }

    public static Tender tender(TenderKind kind, long fen) {
        return new Tender(kind, Money.fen(fen), Money.fen(fen));
    }
}
