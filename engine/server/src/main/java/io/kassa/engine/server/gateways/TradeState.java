package io.kassa.engine.server.gateways;

/** A trade's state in channel-neutral words. */
public enum TradeState {
    /** Paid (WeChat SUCCESS, Alipay TRADE_SUCCESS / TRADE_FINISHED, UnionPay SUCCESS). */
    PAID,
    /** Paid, then refunded in part or whole (WeChat REFUND, UnionPay REFUNDED). */
    REFUNDED,
    /** Waiting for the customer (USERPAYING, WAIT_BUYER_PAY, PAYING). */
    WAITING_FOR_USER,
    /** Created, not paid (WeChat NOTPAY). */
    NOT_PAID,
    /** Closed without payment, or (Alipay TRADE_CLOSED) closed after a full refund. */
    CLOSED,
    /** Reversed (WeChat REVOKED, UnionPay REVERSED). */
    REVERSED,
    /** The payment failed (WeChat PAYERROR, UnionPay FAILED). */
    FAILED;

    /** Whether the customer's money was taken (a later refund aside). */
    public boolean moneyTaken() {
        return this == PAID || this == REFUNDED;
    }

    /** Whether no further change is expected without a merchant action. */
    public boolean settled() {
        return this != WAITING_FOR_USER && this != NOT_PAID;
    }
}
