package io.kassa.engine.server.terminal;

import io.kassa.engine.server.cluster.TerminalSessions;
import io.kassa.protocol.v1.Push;
import io.kassa.protocol.v1.PushGap;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The server pushes of every terminal served by this node: numbered per terminal 1, 2, 3, ...,
 * kept until acknowledged (at most {@code retainedMax} per terminal), handed to the terminal's
 * live connection when it has one, and replayed after a reconnect from the sequence the terminal
 * says it last saw (protocol/SPEC.md section 7.6).
 *
 * <p>Kept in this node's memory: a push survives a reconnect to the same node, not the node's
 * restart nor a move to another node (a terminal that moves asks for its sale's status; see
 * docs/adr/0010). Which terminals are here is told to the cluster's session registry, so a
 * push made on another node is routed to this one. Shared by every event loop: each
 * terminal's state is guarded by its own lock, so terminals never contend.
 *
 * <p>When a terminal would have more than {@code retainedMax} pushes kept, the two oldest
 * entries are merged into one push of kind {@code gap} carrying the sequence of the later one,
 * so sequences stay dense, the count never exceeds the bound, and the terminal learns what it
 * lost.
 */
public final class PushOutbox {

    /** Where a terminal's pushes go while it is connected; may be called from any thread. */
    interface Sink {
        void deliver(Push push);
    }

    private static final class TerminalPushes {
        long lastSequence;
        ArrayDeque<Push> retained;
        Sink sink;
    }

    private final int retainedMax;
    private final Clock clock;
    private final TerminalSessions sessions;
    private final ConcurrentHashMap<String, TerminalPushes> terminals = new ConcurrentHashMap<>();

    public PushOutbox(int retainedMax, Clock clock) {
        this(retainedMax, clock, TerminalSessions.singleNode());
    }

    /** As above, telling {@code sessions} which terminals are connected to this node. */
    public PushOutbox(int retainedMax, Clock clock, TerminalSessions sessions) {
        this.sessions = sessions;
        if (retainedMax < 2) {
            throw new IllegalArgumentException("retainedMax must be >= 2: " + retainedMax);
        }
        this.retainedMax = retainedMax;
        this.clock = clock;
    }

    /**
     * Numbers a new push for {@code terminalId}, keeps it, and delivers it to the terminal's
     * connection if it has one. Adding a kind of push is one oneof field in the schema and one
     * call here: {@code push(id, builder -> builder.setPaymentResult(...))}.
     */
    public Push push(String terminalId, UnaryOperator<Push.Builder> kind) {
        TerminalPushes pushes = terminals.computeIfAbsent(terminalId, id -> new TerminalPushes());
        synchronized (pushes) {
            Push push = kind.apply(Push.newBuilder()
                    .setSequence(pushes.lastSequence + 1)
                    .setCreatedAtMillis(clock.millis())).build();
            if (push.getKindCase() == Push.KindCase.KIND_NOT_SET) {
                throw new IllegalArgumentException("a push needs a kind");
            }
            pushes.lastSequence = push.getSequence();
            retain(pushes, push);
            if (pushes.sink != null) {
                // Under the lock, so that a terminal's pushes reach its connection in order.
                pushes.sink.deliver(push);
            }
            return push;
        }
    }

    private void retain(TerminalPushes pushes, Push push) {
        if (pushes.retained == null) {
            pushes.retained = new ArrayDeque<>(4);
        }
        if (pushes.retained.size() >= retainedMax) {
            Push oldest = pushes.retained.pollFirst();
            Push next = pushes.retained.pollFirst();
            long firstLost = oldest.hasGap() ? oldest.getGap().getFirstSequence()
                    : oldest.getSequence();
            pushes.retained.addFirst(Push.newBuilder()
                    .setSequence(next.getSequence())
                    .setCreatedAtMillis(clock.millis())
                    .setGap(PushGap.newBuilder().setFirstSequence(firstLost))
                    .build());
        }
        pushes.retained.addLast(push);
        assert pushes.retained.size() <= retainedMax;
    }

    /**
     * Makes {@code sink} the live connection of {@code terminalId} and returns the kept pushes
     * after {@code lastSequenceSeen}, in order, for the caller to send before anything else.
     * A terminal that saw more than this node ever numbered (the node restarted) has its
     * numbering continued after what it saw.
     */
    List<Push> attach(String terminalId, long lastSequenceSeen, Sink sink) {
        // A few dozen bytes per connected terminal; removed again on detach when the terminal
        // never had a push, so that idle terminals leave nothing behind.
        TerminalPushes pushes = terminals.computeIfAbsent(terminalId, id -> new TerminalPushes());
        sessions.connected(terminalId);
        synchronized (pushes) {
            pushes.sink = sink;
            if (Long.compareUnsigned(lastSequenceSeen, pushes.lastSequence) > 0) {
                pushes.lastSequence = lastSequenceSeen;
                pushes.retained = null;
                return List.of();
            }
            if (pushes.retained == null) {
                return List.of();
            }
            List<Push> missed = new ArrayList<>();
            for (Push push : pushes.retained) {
                if (Long.compareUnsigned(push.getSequence(), lastSequenceSeen) > 0) {
                    missed.add(push);
                }
            }
            return missed;
        }
    }

    /** The connection of {@code terminalId} closed; pushes are kept for its return. */
    void detach(String terminalId, Sink sink) {
        TerminalPushes pushes = terminals.get(terminalId);
        if (pushes == null) {
            return;
        }
        synchronized (pushes) {
            if (pushes.sink == sink) {
                pushes.sink = null;
                sessions.disconnected(terminalId);
            }
            if (pushes.sink == null && pushes.lastSequence == 0) {
                terminals.remove(terminalId, pushes);
            }
        }
    }

    /** Forgets every kept push of {@code terminalId} up to and including {@code sequence}. */
    void acknowledge(String terminalId, long sequence) {
        TerminalPushes pushes = terminals.get(terminalId);
        if (pushes == null) {
            return;
        }
        synchronized (pushes) {
            if (pushes.retained == null) {
                return;
            }
            while (!pushes.retained.isEmpty() && Long.compareUnsigned(
                    pushes.retained.peekFirst().getSequence(), sequence) <= 0) {
                pushes.retained.pollFirst();
            }
            if (pushes.retained.isEmpty()) {
                pushes.retained = null;
            }
        }
    }

    /** Pushes kept for {@code terminalId}, for tests and metrics. */
    int retainedCount(String terminalId) {
        TerminalPushes pushes = terminals.get(terminalId);
        if (pushes == null) {
            return 0;
        }
        synchronized (pushes) {
            return pushes.retained == null ? 0 : pushes.retained.size();
        }
    }
}
