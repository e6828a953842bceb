package io.kassa.engine.server.http;

import io.kassa.engine.server.gateways.ChannelNotification;
import io.kassa.engine.server.gateways.NotificationVerdict;
import io.kassa.engine.server.gateways.PaymentNotificationSink;
import io.vertx.core.Future;
import java.util.Objects;

/**
 * The callback endpoint's sink, started before the payment orchestration exists and switched
 * to it once it does (the orchestration needs the channels the endpoint's edges create).
 */
final class SwitchableNotificationSink implements PaymentNotificationSink {

    private final PaymentNotificationSink initial;
    private volatile PaymentNotificationSink current;

    SwitchableNotificationSink(PaymentNotificationSink initial) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.current = initial;
    }

    void attach(PaymentNotificationSink real) {
        current = Objects.requireNonNull(real, "real");
    }

    PaymentNotificationSink initial() {
        return initial;
    }

    @Override
    public Future<NotificationVerdict> onNotification(ChannelNotification notification) {
        return current.onNotification(notification);
    }
}
