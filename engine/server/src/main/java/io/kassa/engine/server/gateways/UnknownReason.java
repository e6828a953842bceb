package io.kassa.engine.server.gateways;

/** Why a call's outcome is unknown. */
public enum UnknownReason {
    /** WeChat USERPAYING, Alipay 10003, UnionPay 05: the customer is entering a password. */
    USER_PAYING,
    /** The channel said SYSTEMERROR / 20000 / 96, or answered 5xx. */
    SYSTEM_ERROR,
    /** WeChat BANKERROR: the bank behind the wallet did not answer the channel. */
    BANK_ERROR,
    /** No answer within the timeout, or the connection failed after the request was sent. */
    NO_ANSWER,
    /** An answer came whose signature did not verify, or which contradicts the request. */
    UNVERIFIABLE_ANSWER,
    /** The channel's circuit is open; nothing was sent. */
    CIRCUIT_OPEN,
}
