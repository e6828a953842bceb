package io.kassa.engine.server.checkout;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.basket.BasketPricing;
import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.decision.Decision;
import io.kassa.engine.core.ledger.SalePosting;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.tender.SettledTenders;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderSplit;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkout orchestration: prices with the domain core, then records the sale through the
 * {@link SalesLedger} port. It decides nothing about money itself; it sequences the pure rules
 * and the one durable write, and turns a retry into the answer the first attempt got.
 */
public final class CheckoutService {

    private final SalesLedger ledger;
    private final Clock clock;
    private final TimeOrderedIds orderIds;

    public CheckoutService(SalesLedger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
        this.orderIds = new TimeOrderedIds(clock);
    }

    /** Prices a basket; read-only and in memory. */
    public Decision<PricedBasket> quote(CurrencyCode currency, List<BasketLine> lines) {
        return BasketPricing.price(lines, currency);
    }

    /** Completes a sale exactly once per sale key. */
    public Future<CheckoutOutcome> checkout(CheckoutCommand command) {
        Decision<PricedBasket> priced = BasketPricing.price(command.lines(), command.currency());
        if (priced instanceof Decision.Rejected<PricedBasket> rejected) {
            return Future.succeededFuture(new CheckoutOutcome.Rejected(rejected.rejection()));
        }
        PricedBasket basket = ((Decision.Accepted<PricedBasket>) priced).value();
        Decision<SettledTenders> settled = TenderSplit.settle(basket.payable(), command.tenders());
        if (settled instanceof Decision.Rejected<SettledTenders> rejected) {
            return Future.succeededFuture(new CheckoutOutcome.Rejected(rejected.rejection()));
        }
        SettledTenders tenders = ((Decision.Accepted<SettledTenders>) settled).value();
        String fingerprint = RequestFingerprint.of(command);
        SalesLedger.SaleRecord record = saleRecord(command, basket, tenders, fingerprint);
        return ledger.record(record).map(result -> {
            if (result instanceof SalesLedger.RecordResult.Recorded recorded) {
                return new CheckoutOutcome.Committed(recorded.sale(), false);
            }
            CommittedSale existing = ((SalesLedger.RecordResult.AlreadyRecorded) result).existing();
            return existing.requestFingerprint().equals(fingerprint)
                    ? new CheckoutOutcome.Committed(existing, true)
                    : new CheckoutOutcome.Conflict(existing);
        });
    }

    private SalesLedger.SaleRecord saleRecord(
            CheckoutCommand command, PricedBasket basket, SettledTenders tenders,
            String fingerprint) {
        List<CommittedSale.Line> saleLines = new ArrayList<>(basket.lines().size());
        List<SalesLedger.RecordedLine> recordedLines = new ArrayList<>(basket.lines().size());
        for (PricedLine line : basket.lines()) {
            saleLines.add(new CommittedSale.Line(line.lineNumber(), line.line().sku(),
                    line.gross(), line.discount(), line.net()));
            recordedLines.add(new SalesLedger.RecordedLine(line.lineNumber(), line.line().sku(),
                    line.line().category(), command.lineNames().get(line.lineNumber() - 1),
                    line.line().unitPrice().amountMinor(), line.line().quantity(),
                    line.gross().amountMinor(), line.discount().amountMinor(),
                    line.net().amountMinor()));
        }
        List<SalesLedger.RecordedTender> recordedTenders = new ArrayList<>();
        for (int index = 0; index < tenders.tenders().size(); index++) {
            Tender tender = tenders.tenders().get(index);
            recordedTenders.add(new SalesLedger.RecordedTender(index + 1, tender.kind().name(),
                    tender.amount().amountMinor(), tender.received().amountMinor()));
        }
        CommittedSale sale = new CommittedSale(orderIds.next(), command.key(), fingerprint,
                command.currency(), saleLines, basket.payable(), tenders.change(),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        return new SalesLedger.SaleRecord(sale, recordedLines, recordedTenders,
                SalePosting.entries(command.key().storeId(), basket, tenders));
    }
}
