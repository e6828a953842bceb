package io.kassa.engine.server.gateways;

import io.vertx.core.Future;

/**
 * The port through which a verified channel notification reaches the payment side. The
 * callback endpoint calls it only after signature, timestamp, decryption and merchant checks,
 * and answers the channel from the verdict: a failed future is answered as a server error so
 * that the channel retries.
 *
 * <p>For now the engine wires {@link RecordingNotificationSink}, which records the
 * notification once and acknowledges. The payment orchestration will implement this port to
 * check the amount against the intent, advance the intent's state machine, push the result to
 * the terminal, and turn "success after reverse" into a refund.
 */
public interface PaymentNotificationSink {

    Future<NotificationVerdict> onNotification(ChannelNotification notification);
}
