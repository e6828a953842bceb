package io.kassa.engine.server;

import io.kassa.engine.server.checkout.MemberAccounts;
import io.kassa.engine.server.checkout.SaleDesk;
import io.kassa.engine.server.checkout.ShiftReports;
import io.kassa.engine.server.checkout.TopUpService;
import io.kassa.engine.server.postgres.PgMemberDirectory;
import io.kassa.engine.server.postgres.PgSaleVoids;
import io.kassa.engine.server.postgres.PgShiftLedger;
import io.kassa.engine.server.postgres.PgStoredValueTopUps;
import io.kassa.engine.server.terminal.TerminalDesk;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * The terminal's requests besides quote and checkout, wired (SPEC.md 6.16-6.20): member
 * lookups through the checkout's member reads, sale status and voids over the sales ledger
 * and (once payments run) the payment orchestration, top-ups through the one top-up path the
 * admin API uses too, and shift totals from PostgreSQL.
 */
final class DeskAssembly {

    private DeskAssembly() {
    }

    /** Wires {@code desk}; answers the sale desk, to enable payments on once they run. */
    static SaleDesk wire(TerminalDesk desk, Pool pool, CheckoutAssembly assembly, Clock clock) {
        PgMemberDirectory directory = new PgMemberDirectory(pool);
        SaleDesk sales = new SaleDesk(assembly.ledger(), new PgSaleVoids(pool, clock), directory,
                assembly.balances());
        desk.wire(new TerminalDesk.Services(new MemberAccounts(assembly.checkout()), sales,
                new TopUpService(new PgStoredValueTopUps(pool, clock), directory,
                        assembly.balances(), assembly.outbox(), clock),
                new ShiftReports(new PgShiftLedger(pool, clock), assembly.checkout(), clock)));
        return sales;
    }
}
