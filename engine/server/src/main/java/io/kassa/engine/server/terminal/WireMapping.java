package io.kassa.engine.server.terminal;

import io.kassa.engine.core.basket.BasketLine;
import io.kassa.engine.core.basket.PricedLine;
import io.kassa.engine.core.coupon.AppliedCoupon;
import io.kassa.engine.core.coupon.CouponRejection;
import io.kassa.engine.core.decision.RejectionCode;
import io.kassa.engine.core.member.MemberSnapshot;
import io.kassa.engine.core.money.CurrencyCode;
import io.kassa.engine.core.money.Money;
import io.kassa.engine.core.points.TierProgress;
import io.kassa.engine.core.quote.Quote;
import io.kassa.engine.core.tender.Tender;
import io.kassa.engine.core.tender.TenderKind;
import io.kassa.engine.server.checkout.CheckoutCommand;
import io.kassa.engine.server.checkout.CommittedSale;
import io.kassa.engine.server.checkout.QuoteCommand;
import io.kassa.engine.server.checkout.SaleKey;
import io.kassa.protocol.ProtocolException;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.CheckoutStatus;
import io.kassa.protocol.v1.ErrorCode;
import io.kassa.protocol.v1.MemberSummary;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.RejectedCoupon;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    static QuoteCommand quote(String storeId, QuoteRequest request) throws ProtocolException {
        CurrencyCode currency = currency(request.getCurrency());
        return new QuoteCommand(storeId, currency, lines(request.getLinesList(), currency),
                memberCode(request.getMemberCode()), request.getPointsWish());
    }

    static CheckoutCommand checkout(String storeId, String terminalId, CheckoutRequest request)
            throws ProtocolException {
        CurrencyCode currency = currency(request.getCurrency());
        List<String> names = new ArrayList<>(request.getLinesCount());
        for (io.kassa.protocol.v1.BasketLine line : request.getLinesList()) {
            names.add(line.getName());
        }
        List<Tender> tenders = new ArrayList<>(request.getTendersCount());
        List<String> references = new ArrayList<>(request.getTendersCount());
        for (io.kassa.protocol.v1.Tender tender : request.getTendersList()) {
            tenders.add(tender(tender, currency));
            // A scanned code travels as the tender's reference into the checkout, which routes
            // it and records the merchant order number in its place, never the code itself.
            references.add(tender.getPaymentCode().isEmpty() ? tender.getApprovalCode()
                    : tender.getPaymentCode());
        }
        return new CheckoutCommand(new SaleKey(storeId, terminalId, request.getSaleId()),
                currency, lines(request.getLinesList(), currency), names, tenders,
                memberCode(request.getMemberCode()), references);
    }

    private static Optional<String> memberCode(String memberCode) {
        return memberCode.isEmpty() ? Optional.empty() : Optional.of(memberCode);
    }

    private static Tender tender(io.kassa.protocol.v1.Tender tender, CurrencyCode currency)
            throws ProtocolException {
        Money amount = Money.ofMinor(tender.getAmountFen(), currency);
        switch (tender.getType()) {
            case CASH:
                return new Tender(TenderKind.CASH, amount,
                        Money.ofMinor(tender.getReceivedFen(), currency));
            case BANK_CARD:
                return new Tender(TenderKind.BANK_CARD, amount, amount);
            case STORED_VALUE:
                return new Tender(TenderKind.STORED_VALUE, amount, amount);
            case POINTS:
                return new Tender(TenderKind.POINTS, amount, amount);
            case WECHAT_PAY:
                return new Tender(TenderKind.WECHAT_PAY, amount, amount);
            case ALIPAY:
                return new Tender(TenderKind.ALIPAY, amount, amount);
            case UNIONPAY_QR:
                return new Tender(TenderKind.UNIONPAY_QR, amount, amount);
            default:
                throw ProtocolException.recoverable(ErrorCode.UNSUPPORTED_TENDER,
                        "tender type " + tender.getType() + " is not accepted");
        }
    }

    static QuoteResponse quoteResponse(Quote quote) {
        QuoteResponse.Builder response = QuoteResponse.newBuilder()
                .setCurrency(quote.basket().currency().name())
                .setSubtotalFen(quote.basket().subtotal().amountMinor())
                .setDiscountFen(quote.basket().discount().amountMinor())
                .setPayableFen(quote.basket().payable().amountMinor())
                .setPointsCap(quote.pointsCapPoints())
                .setPointsToRedeem(quote.pointsToRedeem())
                .setPointsAmountFen(quote.pointsAmount().amountMinor())
                .setPayableAfterPointsFen(quote.payableAfterPoints().amountMinor())
                .setPointsToEarn(quote.pointsToEarn())
                .setPointsExplanation(quote.member().isPresent() ? quote.pointsExplanation()
                        : "");
        for (PricedLine line : quote.basket().lines()) {
            response.addLines(pricedLine(line.lineNumber(), line.line().sku(), line.gross(),
                    line.discount(), line.net()));
        }
        for (AppliedCoupon applied : quote.appliedCoupons()) {
            response.addAppliedCoupons(io.kassa.protocol.v1.AppliedCoupon.newBuilder()
                    .setCouponId(applied.coupon().code())
                    .setTemplateId(applied.coupon().template().templateId())
                    .setDiscountFen(applied.discountFen()));
        }
        for (CouponRejection rejection : quote.rejectedCoupons()) {
            response.addRejectedCoupons(RejectedCoupon.newBuilder()
                    .setCouponId(rejection.couponCode())
                    .setReason(rejection.reason().name())
                    .setExplanation(rejection.explanation()));
        }
        quote.member().ifPresent(member -> response.setMember(
                memberSummary(member, quote.storeLocalDate(), quote.tierProgress())));
        return response.build();
    }

    private static MemberSummary memberSummary(MemberSnapshot member, LocalDate today,
            Optional<TierProgress> progress) {
        MemberSummary.Builder summary = MemberSummary.newBuilder()
                .setMemberId(member.memberId())
                .setTier(member.tierName())
                .setPointsBalance(member.points().balanceOn(today))
                .setStoredValueFen(member.storedValueFen())
                .setLifetimePoints(member.lifetimeEarnedPoints());
        progress.ifPresent(tier -> {
            summary.setNextTier(tier.nextTier().orElse(""));
            summary.setPointsToNextTier(tier.pointsToNextTier());
        });
        return summary.build();
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
                .setReplayed(replayed)
                .setPointsEarned(sale.pointsEarned())
                .setPointsRedeemed(sale.pointsRedeemed());
        for (CommittedSale.Line line : sale.lines()) {
            response.addLines(pricedLine(line.lineNumber(), line.sku(), line.gross(),
                    line.discount(), line.net()));
        }
        return response.build();
    }

    /** The answer to a checkout whose payment is still being resolved. */
    static CheckoutResponse paymentPending(String saleId, String currency) {
        return CheckoutResponse.newBuilder().setSaleId(saleId)
                .setStatus(CheckoutStatus.PAYMENT_PENDING).setCurrency(currency).build();
    }

    static ErrorCode errorCode(io.kassa.engine.server.checkout.PaymentFailure failure) {
        switch (failure.reason()) {
            case CODE_INVALID:
                return ErrorCode.PAYMENT_CODE_INVALID;
            case DECLINED:
                return ErrorCode.PAYMENT_DECLINED;
            case CHANNEL_UNAVAILABLE:
                return ErrorCode.PAYMENT_CHANNEL_UNAVAILABLE;
            default:
                return ErrorCode.PAYMENT_NOT_CONFIRMED;
        }
    }

    /**
     * The push that tells a terminal how a checkout answered "payment pending" ended; empty
     * for outcomes that are not final (a pending again).
     */
    static java.util.Optional<io.kassa.protocol.v1.PaymentUpdate> paymentUpdate(
            io.kassa.engine.server.checkout.SaleKey key,
            io.kassa.engine.server.checkout.CheckoutOutcome outcome) {
        var update = io.kassa.protocol.v1.PaymentUpdate.newBuilder().setSaleId(key.saleId());
        if (outcome instanceof io.kassa.engine.server.checkout.CheckoutOutcome.Committed
                committed) {
            return java.util.Optional.of(update.setStatus(CheckoutStatus.COMMITTED)
                    .setCheckout(checkoutResponse(committed.sale(), true)).build());
        }
        if (outcome instanceof io.kassa.engine.server.checkout.CheckoutOutcome.PaymentFailed
                failed) {
            return java.util.Optional.of(update.setStatus(CheckoutStatus.PAYMENT_FAILED)
                    .setErrorCode(errorCode(failed.failure()))
                    .setMessage(failed.failure().explanation()).build());
        }
        if (outcome instanceof io.kassa.engine.server.checkout.CheckoutOutcome.Abandoned) {
            return java.util.Optional.of(update.setStatus(CheckoutStatus.PAYMENT_FAILED)
                    .setErrorCode(ErrorCode.SALE_ABANDONED)
                    .setMessage("the sale was abandoned; the customer is not charged").build());
        }
        return java.util.Optional.empty();
    }

    private static io.kassa.protocol.v1.PricedLine pricedLine(int lineNumber, String sku,
            Money gross, Money discount, Money net) {
        return io.kassa.protocol.v1.PricedLine.newBuilder()
                .setLineNumber(lineNumber)
                .setSku(sku)
                .setGrossFen(gross.amountMinor())
                .setDiscountFen(discount.amountMinor())
                .setNetFen(net.amountMinor())
                .build();
    }

    // ---- member lookup, payment status, void, top-up, shift totals (SPEC.md 6.16-6.20) ----

    static io.kassa.protocol.v1.MemberLookupResponse memberLookupResponse(
            io.kassa.engine.server.checkout.MemberAccount account) {
        var response = io.kassa.protocol.v1.MemberLookupResponse.newBuilder()
                .setMemberId(account.memberId())
                .setMemberCode(account.memberCode())
                // The whole number never leaves the engine: a terminal shows it masked.
                .setPhoneMasked(account.phone()
                        .map(io.kassa.engine.server.admin.PhoneNumbers::mask).orElse(""))
                .setTier(account.tier())
                .setLifetimePoints(account.lifetimePoints())
                .setNextTier(account.nextTier().orElse(""))
                .setPointsToNextTier(account.pointsToNextTier())
                .setPointsBalance(account.pointsBalance())
                .setStoredValueFen(account.storedValueFen());
        for (io.kassa.engine.core.points.ExpiringPoints expiring : account.expiringPoints()) {
            response.addExpiringPoints(io.kassa.protocol.v1.ExpiringPoints.newBuilder()
                    .setPoints(expiring.points())
                    .setExpiresOn(expiring.expiresOn().toString()));
        }
        for (io.kassa.engine.core.coupon.Coupon coupon : account.coupons()) {
            response.addCoupons(io.kassa.protocol.v1.HeldCoupon.newBuilder()
                    .setCouponId(coupon.code())
                    .setTemplateId(coupon.template().templateId())
                    .setKind(coupon.template().kind().name())
                    .setThresholdFen(coupon.template().thresholdFen())
                    .setValidUntilMillis(coupon.validUntil().toEpochMilli()));
        }
        return response.build();
    }

    static io.kassa.protocol.v1.PaymentStatusResponse paymentStatusResponse(
            io.kassa.engine.server.checkout.SaleStatus status) {
        var response = io.kassa.protocol.v1.PaymentStatusResponse.newBuilder()
                .setSaleId(status.key().saleId())
                .setState(saleState(status.state()));
        // A committed sale is told as a retry of its checkout would be.
        status.committed().ifPresent(sale -> response.setCheckout(checkoutResponse(sale, true)));
        for (io.kassa.engine.server.checkout.PaymentIntent intent : status.payments()) {
            response.addPayments(tenderPayment(intent));
        }
        return response.build();
    }

    private static io.kassa.protocol.v1.SaleState saleState(
            io.kassa.engine.server.checkout.SaleStatus.State state) {
        switch (state) {
            case COMMITTED:
                return io.kassa.protocol.v1.SaleState.SALE_COMMITTED;
            case PAYMENT_PENDING:
                return io.kassa.protocol.v1.SaleState.SALE_PAYMENT_PENDING;
            case FAILED:
                return io.kassa.protocol.v1.SaleState.SALE_FAILED;
            case VOIDED:
                return io.kassa.protocol.v1.SaleState.SALE_VOIDED;
            default:
                return io.kassa.protocol.v1.SaleState.SALE_UNKNOWN;
        }
    }

    static io.kassa.protocol.v1.VoidResponse voidResponse(
            io.kassa.engine.server.checkout.VoidOutcome.Voided voided) {
        var response = io.kassa.protocol.v1.VoidResponse.newBuilder()
                .setSaleId(voided.key().saleId())
                .setVoidedAtMillis(voided.voidedAt().toEpochMilli())
                .setReplayed(voided.replayed());
        for (io.kassa.engine.server.checkout.PaymentIntent intent : voided.payments()) {
            response.addPayments(tenderPayment(intent));
        }
        return response.build();
    }

    /** One payment attempt as a terminal sees it: never the scanned code. */
    static io.kassa.protocol.v1.TenderPayment tenderPayment(
            io.kassa.engine.server.checkout.PaymentIntent intent) {
        return io.kassa.protocol.v1.TenderPayment.newBuilder()
                .setTenderNumber(intent.tenderNumber())
                .setAttempt(intent.attempt())
                .setType(tenderType(intent.tenderKind().name()))
                .setAmountFen(intent.amountFen())
                .setState(io.kassa.protocol.v1.PaymentAttemptState.valueOf(
                        "ATTEMPT_" + intent.state().name()))
                .setMoneyReturned(intent.moneyReturned())
                .setMerchantOrderNo(intent.outTradeNo())
                .build();
    }

    static io.kassa.protocol.v1.TopUpResponse topUpResponse(
            io.kassa.engine.server.checkout.StoredValueTopUps.Recorded recorded,
            boolean replayed) {
        var topUp = recorded.topUp();
        return io.kassa.protocol.v1.TopUpResponse.newBuilder()
                .setTopUpId(topUp.key().topUpId())
                .setMemberId(topUp.memberId())
                .setAmountFen(topUp.amountFen())
                .setBonusFen(recorded.bonusFen())
                .setStoredValueFen(recorded.storedValueAfterFen())
                .setChangeFen(topUp.receivedFen() - topUp.amountFen())
                .setToppedUpAtMillis(recorded.toppedUpAt().toEpochMilli())
                .setReplayed(replayed)
                .setTransactionId(recorded.transactionId().toString())
                .build();
    }

    static io.kassa.protocol.v1.ShiftTotalsResponse shiftTotalsResponse(
            io.kassa.engine.server.checkout.ShiftReports.Outcome.Report report) {
        var totals = report.totals();
        var response = io.kassa.protocol.v1.ShiftTotalsResponse.newBuilder()
                .setFromMillis(report.from().toEpochMilli())
                .setUntilMillis(report.until().toEpochMilli())
                .setSales(Math.toIntExact(totals.sales()))
                .setSalesFen(totals.salesFen())
                .setChangeFen(totals.changeFen())
                .setRefunds(Math.toIntExact(totals.refunds()))
                .setRefundsFen(totals.refundsFen())
                .setVoids(Math.toIntExact(totals.voids()))
                .setTopUps(Math.toIntExact(totals.topUps()))
                .setTopUpsFen(totals.topUpsFen())
                .setTopUpBonusFen(totals.topUpBonusFen());
        for (var tender : totals.tenders()) {
            response.addTenders(tenderTotal(tender));
        }
        for (var tender : totals.topUpTenders()) {
            response.addTopUpTenders(tenderTotal(tender));
        }
        report.closed().ifPresent(closed -> response.setClosedShiftId(closed.shiftId())
                .setReplayed(closed.replayed()));
        return response.build();
    }

    private static io.kassa.protocol.v1.TenderTotal tenderTotal(
            io.kassa.engine.server.checkout.ShiftLedger.TenderTotal total) {
        return io.kassa.protocol.v1.TenderTotal.newBuilder()
                .setType(tenderType(total.kind()))
                .setCount(Math.toIntExact(total.count()))
                .setAmountFen(total.amountFen())
                .build();
    }

    /** The wire type of a tender kind as the engine records it; the names are the same. */
    private static io.kassa.protocol.v1.TenderType tenderType(String kind) {
        try {
            return io.kassa.protocol.v1.TenderType.valueOf(kind);
        } catch (IllegalArgumentException unknown) {
            return io.kassa.protocol.v1.TenderType.TENDER_TYPE_UNSPECIFIED;
        }
    }

    /** The wire code a terminal gets for a business rejection. */
    static ErrorCode errorCode(RejectionCode code) {
        switch (code) {
            case EMPTY_BASKET:
                return ErrorCode.EMPTY_BASKET;
            case INVALID_QUANTITY:
                return ErrorCode.INVALID_QUANTITY;
            case TOO_MANY_LINES:
                return ErrorCode.TOO_MANY_LINES;
            case NEGATIVE_PRICE:
            case NON_POSITIVE_TENDER:
            case NEGATIVE_POINTS_WISH:
                return ErrorCode.INVALID_AMOUNT;
            case AMOUNT_OVERFLOW:
                return ErrorCode.AMOUNT_OVERFLOW;
            case CURRENCY_MISMATCH:
                return ErrorCode.UNSUPPORTED_CURRENCY;
            case TENDERS_DO_NOT_SUM:
            case CASH_RECEIVED_SHORT:
            case NO_TENDER:
                return ErrorCode.TENDER_MISMATCH;
            case UNKNOWN_STORE:
                return ErrorCode.UNKNOWN_STORE;
            case UNKNOWN_CATEGORY:
                return ErrorCode.UNKNOWN_CATEGORY;
            case UNKNOWN_MEMBER:
                return ErrorCode.UNKNOWN_MEMBER;
            case POINTS_WITHOUT_MEMBER:
            case STORED_VALUE_WITHOUT_MEMBER:
                return ErrorCode.MEMBER_REQUIRED;
            case POINTS_OVER_BALANCE:
            case POINTS_NOT_WHOLE:
            case INSUFFICIENT_POINTS:
                return ErrorCode.INSUFFICIENT_POINTS;
            case POINTS_OVER_CAP:
                return ErrorCode.POINTS_OVER_CAP;
            case STORED_VALUE_OVER_BALANCE:
                return ErrorCode.INSUFFICIENT_STORED_VALUE;
            case COUPON_ALREADY_USED:
                return ErrorCode.COUPON_UNAVAILABLE;
            case TOO_MANY_TENDERS:
            case TOO_MANY_COUPONS:
            default:
                // A rule added to the core before the protocol names it still reaches the
                // terminal as a validation error with the core's own explanation.
                return ErrorCode.INVALID_FIELD;
        }
    }
}
