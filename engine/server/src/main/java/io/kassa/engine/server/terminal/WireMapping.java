package io.kassa.engine.server.terminal;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.basket.PricedBasket;
import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.engine.server.checkout.CheckoutCommand;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.QuoteResponse;
import java.util.ArrayList;
import java.util.List;

/** Translation between protocol v1 messages and the domain's values, in both directions. */
final class WireMapping {

    private WireMapping() {
    }

    static CurrencyCode currency(String isoCode) throws ProtocolException {
        return CurrencyCode.parse(isoCode).orElseThrow(() -> ProtocolException.recoverable(
                ErrorCode.UNSUPPORTED_CURRENCY, "currency " + isoCode + " is not supported"));
    }

    static List<BasketLine> lines(
            List<io.kassa.protocol.v1.BasketLine> wireLines, CurrencyCode currency) {
        List<BasketLine> lines = new ArrayList<>(wireLines.size());
        for (io.kassa.protocol.v1.BasketLine line : wireLines) {
            lines.add(new BasketLine(line.getSku(), line.getCategory(),
                    Money.ofMinor(line.getUnitPriceFen(), currency), line.getQuantity()));
        }
        return lines;
    }

    static CheckoutCommand checkout(String storeId, String terminalId, CheckoutRequest request)
            throws ProtocolException {
        CurrencyCode currency = currency(request.getCurrency());
        List<String> names = new ArrayList<>(request.getLinesCount());
        for (io.kassa.protocol.v1.BasketLine line : request.getLinesList()) {
            names.add(line.getName());
        }
        List<Tender> tenders = new ArrayList<>(request.getTendersCount());
        for (io.kassa.protocol.v1.Tender tender : request.getTendersList()) {
            tenders.add(tender(tender, currency));
        }
        return new CheckoutCommand(new SaleKey(storeId, terminalId, request.getSaleId()),
                currency, lines(request.getLinesList(), currency), names, tenders);
    }

    private static Tender tender(io.kassa.protocol.v1.Tender tender, CurrencyCode currency)
            throws ProtocolException {
        if (tender.getType() != io.kassa.protocol.v1.TenderType.CASH) {
            throw ProtocolException.recoverable(ErrorCode.UNSUPPORTED_TENDER,
                    "tender type " + tender.getType() + " is not accepted on this path");
        }
        Money amount = Money.ofMinor(tender.getAmountFen(), currency);
        return new Tender(TenderKind.CASH, amount,
                Money.ofMinor(tender.getReceivedFen(), currency));
    }

    static QuoteResponse quoteResponse(PricedBasket basket) {
        QuoteResponse.Builder response = QuoteResponse.newBuilder()
                .setCurrency(basket.currency().name())
                .setSubtotalFen(basket.subtotal().amountMinor())
                .setDiscountFen(basket.discount().amountMinor())
                .setPayableFen(basket.payable().amountMinor());
        for (PricedLine line : basket.lines()) {
            response.addLines(io.kassa.protocol.v1.PricedLine.newBuilder()
                    .setLineNumber(line.lineNumber())
                    .setSku(line.line().sku())
                    .setGrossFen(line.gross().amountMinor())
                    .setDiscountFen(line.discount().amountMinor())
                    .setNetFen(line.net().amountMinor()));
        }
        return response.build();
    }

    static CheckoutResponse checkoutResponse(CommittedSale sale, boolean replayed) {
        CheckoutResponse.Builder response = CheckoutResponse.newBuilder()
                .setSaleId(sale.key().saleId())
                .setOrderId(sale.orderId().toString())
                .setStatus(CheckoutStatus.COMMITTED)
                .setCurrency(sale.currency().name())
                .setPayableFen(sale.payable().amountMinor())
                .setChangeFen(sale.change().amountMinor())
                .setCommittedAtMillis(sale.committedAt().toEpochMilli())
                .setReplayed(replayed);
        for (CommittedSale.Line line : sale.lines()) {
            response.addLines(io.kassa.protocol.v1.PricedLine.newBuilder()
                    .setLineNumber(line.lineNumber())
                    .setSku(line.sku())
                    .setGrossFen(line.gross().amountMinor())
                    .setDiscountFen(line.discount().amountMinor())
                    .setNetFen(line.net().amountMinor()));
        }
        return response.build();
    }

    /** The wire code a terminal gets for a business rejection. */
    static ErrorCode errorCode(RejectionCode code) {
        switch (code) {
            case EMPTY_BASKET:
                return ErrorCode.EMPTY_BASKET;
            case INVALID_QUANTITY:
                return ErrorCode.INVALID_QUANTITY;
            case NEGATIVE_PRICE:
            case NON_POSITIVE_TENDER:
                return ErrorCode.INVALID_AMOUNT;
            case AMOUNT_OVERFLOW:
                return ErrorCode.AMOUNT_OVERFLOW;
            case CURRENCY_MISMATCH:
                return ErrorCode.UNSUPPORTED_CURRENCY;
            case TENDERS_DO_NOT_SUM:
            case CASH_RECEIVED_SHORT:
                return ErrorCode.TENDER_MISMATCH;
            case NO_TENDER:
                return ErrorCode.INVALID_FIELD;
            default:
                // Rules added to the core before the protocol names them still reach the
                // terminal as a validation error with the core's own explanation.
                return ErrorCode.INVALID_FIELD;
        }
    }
}
