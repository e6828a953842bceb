package io.kassa.engine.server.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.protocol.v1.Draining;
import io.kassa.protocol.v1.Push;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

// Goal: pushes are numbered densely per terminal, kept until acknowledged, replayed after the
// sequence a returning terminal saw, and bounded with a gap marker at N+1; method: the outbox
// alone, with a sink that records what it was handed.
class PushOutboxTest {

    private static final int RETAINED_MAX = 4;

    private final PushOutbox outbox = new PushOutbox(RETAINED_MAX, Clock.systemUTC());
    private final List<Push> delivered = new ArrayList<>();
    private final PushOutbox.Sink sink = delivered::add;

    private Push push(String terminalId) {
        return outbox.push(terminalId, builder -> builder.setDraining(
                Draining.newBuilder().setReason("test")));
    }

    @Test
    void sequencesArePerTerminalFromOne() {
        assertThat(push("T1").getSequence()).isEqualTo(1);
        assertThat(push("T1").getSequence()).isEqualTo(2);
        assertThat(push("T2").getSequence()).isEqualTo(1);
    }

    @Test
    void liveConnectionGetsEachPushAndMissedOnesAreReplayedAfterLastSeen() {
        push("T1");
        push("T1");
        assertThat(outbox.attach("T1", 1, sink)).extracting(Push::getSequence).containsExactly(2L);

        push("T1");

        assertThat(delivered).extracting(Push::getSequence).containsExactly(3L);
    }

    @Test
    void acknowledgedPushesAreForgottenAndDetachedTerminalsKeepTheRest() {
        outbox.attach("T1", 0, sink);
        push("T1");
        push("T1");
        push("T1");
        outbox.acknowledge("T1", 2);
        outbox.detach("T1", sink);

        assertThat(outbox.retainedCount("T1")).isEqualTo(1);
        assertThat(outbox.attach("T1", 0, sink)).extracting(Push::getSequence)
                .containsExactly(3L);
    }

    @Test
    void boundIsKeptAtNAndTheOldestBecomeAGapAtNPlusOne() {
        for (int count = 0; count < RETAINED_MAX; count++) {
            push("T1");
        }
        assertThat(outbox.attach("T1", 0, sink)).hasSize(RETAINED_MAX)
                .noneMatch(Push::hasGap);

        push("T1");

        List<Push> kept = outbox.attach("T1", 0, sink);
        assertThat(kept).hasSize(RETAINED_MAX);
        assertThat(kept.get(0).getGap().getFirstSequence()).isEqualTo(1);
        assertThat(kept.get(0).getSequence()).isEqualTo(2);
        assertThat(kept).extracting(Push::getSequence).containsExactly(2L, 3L, 4L, 5L);

        push("T1");

        kept = outbox.attach("T1", 0, sink);
        assertThat(kept.get(0).getGap().getFirstSequence()).isEqualTo(1);
        assertThat(kept).extracting(Push::getSequence).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void terminalThatSawMoreThanThisNodeNumberedContinuesAfterIt() {
        assertThat(outbox.attach("T1", 41, sink)).isEmpty();

        assertThat(push("T1").getSequence()).isEqualTo(42);
    }

    @Test
    void idleTerminalLeavesNoStateBehind() {
        outbox.attach("T-idle", 0, sink);
        outbox.detach("T-idle", sink);

        assertThat(outbox.retainedCount("T-idle")).isZero();
        assertThat(outbox.attach("T-idle", 0, sink)).isEmpty();
    }
}
