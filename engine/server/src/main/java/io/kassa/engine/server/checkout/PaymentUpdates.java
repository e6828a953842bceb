package io.kassa.engine.server.checkout;

/**
 * Where the final outcome of a checkout goes when the terminal was answered "payment pending"
 * before it was known: the terminal adapter turns it into a push that survives a reconnect.
 */
public interface PaymentUpdates {

    PaymentUpdates NONE = (key, outcome) -> {
    };

    void saleResolved(SaleKey key, CheckoutOutcome outcome);
}
