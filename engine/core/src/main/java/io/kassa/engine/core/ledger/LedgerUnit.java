package io.kassa.engine.core.ledger;

/**
 * What a ledger amount counts. Money and loyalty points live in one ledger but never mix: a
 * transaction balances in each unit separately.
 */
public enum LedgerUnit {
    /** Fen of Chinese yuan. */
    CNY,
    /** Loyalty points (100 points redeem for 1 yuan by default, but that is a rule, not a unit). */
    POINTS
}
