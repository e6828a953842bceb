package io.kassa.engine.core.decision;

/** Stable reason codes of business rejections. Adapters map them to wire error codes. */
public enum RejectionCode {
    EMPTY_BASKET,
    INVALID_QUANTITY,
    NEGATIVE_PRICE,
    AMOUNT_OVERFLOW,
    CURRENCY_MISMATCH,
    NO_TENDER,
    NON_POSITIVE_TENDER,
    TENDERS_DO_NOT_SUM,
    CASH_RECEIVED_SHORT,
}
