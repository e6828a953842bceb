package io.kassa.engine.server.terminal;

import static io.kassa.engine.server.terminal.TerminalAuthenticationTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.engine.server.testing.RawTerminal;
import io.kassa.engine.server.testing.TestEngine;
import io.kassa.engine.server.testing.TestServices;
import io.kassa.protocol.FrameEncoder;
import io.kassa.protocol.FrameLimits;
import io.kassa.protocol.v1.BasketLine;
import io.kassa.protocol.v1.Envelope;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.Heartbeat;
import io.kassa.protocol.v1.QuoteRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A connection gets at most N requests in flight (BUSY at N+1, never a queue), a bounded request
 * rate (RATE_LIMITED beyond it), and a terminal that does not read stalls only itself: the engine
 * stops reading it until its writes drain. Checked over real TCP; checkouts are held in flight
 * by an exclusive lock the test takes on the sales table, so that exactly N are pending.
 */
class TerminalBackPressureTest {

    private static final int IN_FLIGHT_MAX = FrameLimits.IN_FLIGHT_REQUESTS_MAX;
    private static TestEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = TestEngine.start("back_pressure");
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void nthRequestInFlightIsTakenAndTheNextIsBusy() throws Exception {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T-busy");
                Connection lock = TestServices.jdbc(engine.schema())) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                // Inserts wait for this lock, so every checkout stays in flight until commit.
                statement.execute("lock table sales_order in exclusive mode");
            }
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int index = 1; index <= IN_FLIGHT_MAX + 1; index++) {
                burst.write(FrameEncoder.encode(checkout(100 + index, "busy-" + index)));
            }
            terminal.sendBytes(burst.toByteArray());

            // The N held checkouts cannot answer, so the first frame is the one refused.
            assertError(terminal.receive(), 100 + IN_FLIGHT_MAX + 1, ErrorCode.BUSY, false);
            assertThat(terminal.exchange(heartbeat(99)).hasHeartbeatAck())
                    .as("a heartbeat is never BUSY").isTrue();
            lock.commit();

            Set<Long> committed = new HashSet<>();
            for (int index = 1; index <= IN_FLIGHT_MAX; index++) {
                Envelope answer = terminal.receive();
                assertThat(answer.hasCheckoutResponse()).as(answer.toString()).isTrue();
                committed.add(answer.getRequestId());
            }
            assertThat(committed).hasSize(IN_FLIGHT_MAX);
            assertThat(engine.count("select count(*) from sales_order where sale_id like 'busy-%'"))
                    .isEqualTo(IN_FLIGHT_MAX);
        }
    }

    @Test
    void requestsBeyondTheBurstAreRateLimited() throws IOException {
        try (RawTerminal terminal = RawTerminal.greeted(engine, "S001", "T-rate")) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            // Far above what the refill could grant while the frames arrive.
            int sent = FrameLimits.REQUEST_BURST_MAX * 2;
            for (int index = 1; index <= sent; index++) {
                burst.write(FrameEncoder.encode(heartbeat(1_000 + index)));
            }
            terminal.sendBytes(burst.toByteArray());

            int acknowledged = 0;
            int limited = 0;
            for (int index = 1; index <= sent; index++) {
                Envelope answer = terminal.receive();
                if (answer.hasHeartbeatAck()) {
                    acknowledged++;
                } else {
                    assertError(answer, answer.getRequestId(), ErrorCode.RATE_LIMITED, false);
                    limited++;
                }
            }
            // The burst and whatever trickled in meanwhile at 50 per second, and not much more.
            assertThat(acknowledged).isBetween(FrameLimits.REQUEST_BURST_MAX,
                    FrameLimits.REQUEST_BURST_MAX + FrameLimits.REQUESTS_PER_SECOND_MAX);
            assertThat(limited).isEqualTo(sent - acknowledged).isPositive();
        }
    }

    @Test
    void terminalThatDoesNotReadIsNoLongerReadUntilItsWritesDrain() throws Exception {
        try (TestEngine generous = TestEngine.start("write_queue",
                io.kassa.engine.server.terminal.TerminalPolicy.defaults().withLimits(
                        new TerminalPolicy.Limits(IN_FLIGHT_MAX, 1_000_000, 1_000_000,
                                FrameLimits.HANDSHAKE_MILLIS_MAX,
                                FrameLimits.PUSHES_RETAINED_MAX)));
                RawTerminal terminal =
                        RawTerminal.connectWithReceiveBuffer(generous.port(), 4096)) {
            terminal.authenticate(RawTerminal.hello("S001", "T-lagging"),
                    generous.secret("S001", "T-lagging"));
            // Each quote of 200 long lines asks for an answer of about 17 KB.
            byte[] quote = FrameEncoder.encode(bigQuote(7));
            int requests = 3_000;
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                try {
                    for (int index = 0; index < requests; index++) {
                        terminal.output().write(quote);
                        written.addAndGet(quote.length);
                    }
                } catch (IOException closed) {
                    // The test closes the socket if the writer is still blocked at the end.
                }
            }, "lagging-terminal-writer");
            writer.setDaemon(true);
            writer.start();

            long stalledAt = awaitStall(written);

            // Tens of megabytes were to be sent: far beyond socket buffers, so the writer only
            // stops because the engine stopped reading.
            assertThat(writer.isAlive()).isTrue();
            assertThat(stalledAt).isLessThan((long) requests * quote.length / 2);

            // Reading again lets everything through, every request answered.
            for (int index = 0; index < requests; index++) {
                Envelope answer = terminal.receive();
                assertThat(answer.hasQuoteResponse()).as(answer.toString()).isTrue();
            }
            writer.join(10_000);
            assertThat(written.get()).isEqualTo((long) requests * quote.length);
        }
    }

    /** Waits until the writer has made no progress for a second; returns its bytes written. */
    private static long awaitStall(AtomicLong written) throws InterruptedException {
        long previous = -1;
        for (int round = 0; round < 30; round++) {
            Thread.sleep(1_000);
            long now = written.get();
            if (now == previous) {
                return now;
            }
            previous = now;
        }
        throw new AssertionError("the writer never stalled: " + previous + " bytes written");
    }

    private static Envelope bigQuote(long requestId) {
        QuoteRequest.Builder quote = QuoteRequest.newBuilder().setCurrency("CNY");
        for (int line = 0; line < FrameLimits.BASKET_LINES_MAX; line++) {
            quote.addLines(BasketLine.newBuilder()
                    .setSku(String.format("%064d", line)).setCategory("grocery")
                    .setUnitPriceFen(100).setQuantity(1));
        }
        return Envelope.newBuilder().setRequestId(requestId).setQuoteRequest(quote).build();
    }

    static Envelope checkout(long requestId, String saleId) {
        return Envelope.newBuilder().setRequestId(requestId)
                .setCheckoutRequest(RawTerminal.cashCheckout(saleId, 250,
                        RawTerminal.line("milk", "dairy", 250, 1)))
                .build();
    }

    static Envelope heartbeat(long requestId) {
        return Envelope.newBuilder().setRequestId(requestId)
                .setHeartbeat(Heartbeat.newBuilder().setSentAtMillis(1)).build();
    }
}
