package io.kassa.loadtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.kassa.loadtests.inprocess.InProcessKassa;
import io.kassa.peripherals.gateway.GatewaySimulatorOptions;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A few seconds of the load generator against a real engine and the gateway simulator in this
 * JVM: every sale of the realistic mix — members, points, split tender, and scanned codes
 * whose channel asks the customer for a password (USERPAYING), refunds of whole sales —
 * completes, lands in PostgreSQL, and the report says so. Not a measurement: the benchmark is load-tests/bench.
 */
class TerminalLoadGeneratorSmokeTest {

    @Test
    void aShortRunOfTheRealisticMixCompletesEverySale() throws Exception {
        // Every code sale asks for the password, typed within 300 ms: the code path runs
        // through the channel's query and notification without slowing the smoke down.
        GatewaySimulatorOptions gateway = new GatewaySimulatorOptions().setUserPayingShare(1.0)
                .setUserPasswordMillis(300).setNotificationDelayMillis(10);
        try (InProcessKassa kassa = InProcessKassa.start("smoke", 50, gateway)) {
            LoadOptions options = new LoadOptions("127.0.0.1", kassa.terminalPort(), 6, 3, 25,
                    3, 1, 17, true, 50, "", 20, 20);
            Vertx vertx = Vertx.vertx();
            try {
                for (int index = 0; index < options.terminals(); index++) {
                    TerminalLoadGenerator.Terminal terminal =
                            TerminalLoadGenerator.terminal(index, options.stores());
                    kassa.secret(terminal.storeId(), terminal.terminalId());
                }
                // Two steps over the same connections, as the benchmark steps its rate: each
                // step reports its own sales.
                List<Double> started = new ArrayList<>();
                // Every member quoted once first, as the benchmark does.
                TerminalLoadGenerator generator = new TerminalLoadGenerator(vertx, options,
                        kassa::secret).sweepMembersFirst(200);
                List<LoadReport> reports = generator.runSteps(List.of(25.0, 40.0), 1,
                                started::add, stepReport -> { }, stepReport -> true)
                        .await(120, TimeUnit.SECONDS);
                assertThat(generator.membersSwept()).isEqualTo(options.members());
                assertThat(started).containsExactly(25.0, 40.0);
                assertThat(reports).hasSize(2);
                LoadReport report = reports.get(0);
                LoadReport second = reports.get(1);
                System.out.print(report.table());
                System.out.print(second.table());
                assertThat(second.targetRatePerSecond()).isEqualTo(40.0);
                assertThat(second.salesFailed()).as(second.table()).isZero();
                // 3 measured seconds at 40/s: about 120 sales.
                assertThat(second.salesCompleted()).as(second.table()).isBetween(60L, 200L);
                assertThat(second.quoteMicros().getTotalCount())
                        .isEqualTo(second.salesCompleted());

                assertThat(report.salesFailed()).as(report.table()).isZero();
                assertThat(report.errorsByCode()).isEmpty();
                // 3 measured seconds at 25/s: about 75 sales (Poisson arrivals).
                assertThat(report.salesCompleted()).as(report.table()).isBetween(35L, 130L);
                assertThat(report.mix().get(SaleMix.Kind.MEMBER)).isPositive();
                assertThat(report.mix().get(SaleMix.Kind.USERPAYING)).as(report.table())
                        .isPositive();
                assertThat(report.userPayingSaleMicros().getTotalCount())
                        .isEqualTo(report.mix().get(SaleMix.Kind.USERPAYING));
                // A USERPAYING sale waits at least for the customer's password.
                assertThat(report.userPayingSaleMicros().getMinValue()).isGreaterThan(300_000);
                assertThat(report.mix().get(SaleMix.Kind.REFUND)).as(report.table()).isPositive();
                assertThat(report.refundMicros().getTotalCount())
                        .isEqualTo(report.mix().get(SaleMix.Kind.REFUND));
                assertThat(report.keyValues()).contains("failed=0", "userpaying_p99_ms=",
                        "refund_p99_ms=", "send_lag_p99_ms=", "wakeup_p99_ms=");
                // Every measured sale was sent once, and the probe woke about every ms.
                assertThat(report.sendLagMicros().getTotalCount())
                        .isEqualTo(report.quoteMicros().getTotalCount());
                assertThat(report.wakeupMicros().getTotalCount()).isGreaterThan(500);
                assertThat(kassa.count("select count(*) from sale_refund"
                        + " where state = 'COMMITTED'")).isGreaterThanOrEqualTo(
                                report.mix().get(SaleMix.Kind.REFUND));
                // Warm-up sales are sent too: PostgreSQL holds at least every measured one.
                assertThat(kassa.count("select count(*) from sales_order"
                        + " where status = 'COMMITTED'")).isGreaterThanOrEqualTo(
                                report.salesCompleted() + second.salesCompleted());
            } finally {
                vertx.close().await(10, TimeUnit.SECONDS);
            }
        }
    }
}
