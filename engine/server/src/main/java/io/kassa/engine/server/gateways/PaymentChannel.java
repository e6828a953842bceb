package io.kassa.engine.server.gateways;

import io.kassa.engine.core.channel.ChannelId;
import io.vertx.core.Future;

/**
 * One external payment channel as the payment orchestration sees it. Every method answers a
 * sealed business value and never fails its future for a business outcome: a declined payment,
 * an unknown outcome, a channel that is down (circuit open) are all values. A failed future
 * means a programmer error only.
 *
 * <p>Which calls repeat themselves: {@link #query}, {@link #reverse} and {@link #refund} are
 * safe to repeat (a query reads; a reverse and a refund are processed once per merchant order
 * or refund number) and are retried inside the adapter with exponential backoff and jitter up
 * to a bound. {@link #pay} is sent exactly once: an unanswered pay is {@link
 * PayResult.Unknown} and must be resolved by query and reverse, never by paying again.
 */
public interface PaymentChannel {

    ChannelId id();

    Future<PayResult> pay(PayRequest request);

    /** The trade's state by merchant order number. */
    Future<QueryResult> query(String outTradeNo);

    /**
     * Reverses (WeChat Pay, UnionPay) or cancels (Alipay) a trade whose outcome the merchant
     * gives up on: closes it if unpaid, returns the money if paid. Repeated inside the adapter
     * while the channel says "call again" or does not answer, up to the configured bound.
     */
    Future<ReverseResult> reverse(String outTradeNo);

    /** Refunds part or all of a paid trade; idempotent on the refund number. */
    Future<RefundResult> refund(RefundRequest request);
}
