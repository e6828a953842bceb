package io.kassa.engine.server.gateways;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.ZoneOffset;

/**
 * Records each verified notification once in {@code payment_notification} (unique on channel
 * and notification id: the database is the arbiter of duplicates, also across nodes) and
 * acknowledges it. A stand-in until the payment orchestration implements {@link
 * PaymentNotificationSink}; the table stays as the audit of what the channels said.
 */
public final class RecordingNotificationSink implements PaymentNotificationSink {

    private static final String INSERT = """
            insert into payment_notification (channel, notification_id, event_type,
                out_trade_no, transaction_id, channel_state, amount_fen, sent_at, received_at,
                verified_content, raw_body)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            on conflict (channel, notification_id) do nothing
            returning notification_id""";

    private final Pool pool;
    private final Clock clock;

    public RecordingNotificationSink(Pool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public Future<NotificationVerdict> onNotification(ChannelNotification notification) {
        Tuple row = Tuple.tuple()
                .addString(notification.channel().name())
                .addString(notification.notificationId())
                .addString(notification.eventType())
                .addString(notification.outTradeNo())
                .addString(notification.transactionId())
                .addString(notification.channelState())
                .addValue(notification.amountFen().isPresent()
                        ? notification.amountFen().getAsLong() : null)
                .addOffsetDateTime(notification.sentAt().atOffset(ZoneOffset.UTC))
                .addOffsetDateTime(clock.instant().atOffset(ZoneOffset.UTC))
                .addString(notification.verifiedContent())
                .addString(notification.rawBody());
        return pool.preparedQuery(INSERT).execute(row).map(rows -> rows.rowCount() == 1
                ? new NotificationVerdict.Accepted() : new NotificationVerdict.Duplicate());
    }
}
