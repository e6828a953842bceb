package io.kassa.engine.core.tender;

/** Ways a sale is paid. */
public enum TenderKind {
    CASH(true),
    WECHAT_PAY(true),
    ALIPAY(true),
    UNIONPAY_QR(true),
    BANK_CARD(true),
    /** Member stored value (储值), held and debited inside Kassa. */
    STORED_VALUE(false),
    /** Loyalty points redeemed at the chain's redemption rate, held and debited inside Kassa. */
    POINTS(false);

    private final boolean external;

    TenderKind(boolean external) {
        this.external = external;
    }

    /** True when money moves outside Kassa (a gateway, a card terminal, a cash drawer). */
    public boolean isExternal() {
        return external;
    }
}
