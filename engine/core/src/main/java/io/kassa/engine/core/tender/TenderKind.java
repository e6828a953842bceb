package io.kassa.engine.core.tender;

/** Ways a sale is paid. */
public enum TenderKind {
    CASH,
}
