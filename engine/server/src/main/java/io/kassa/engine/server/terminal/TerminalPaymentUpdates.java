package io.kassa.engine.server.terminal;

import io.kassa.engine.server.checkout.CheckoutOutcome;
import io.kassa.engine.server.checkout.PaymentUpdates;
import io.kassa.engine.server.checkout.SaleKey;

/**
 * Turns a checkout's late outcome into a {@code PaymentUpdate} push to the sale's terminal,
 * kept in the push outbox until acknowledged and resent after a reconnect.
 */
public final class TerminalPaymentUpdates implements PaymentUpdates {

    private final PushOutbox outbox;

    public TerminalPaymentUpdates(PushOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void saleResolved(SaleKey key, CheckoutOutcome outcome) {
        WireMapping.paymentUpdate(key, outcome).ifPresent(update ->
                outbox.push(key.terminalId(), push -> push.setPaymentUpdate(update)));
    }
}
