package io.kassa.engine.server.gateways;

import io.kassa.engine.core.channel.ChannelId;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A notification whose signature (and, for WeChat Pay, decryption) has been verified, in
 * channel-neutral words plus the verified content as received.
 *
 * @param notificationId the channel's id of the notification (WeChat {@code id}, Alipay
 *     {@code notify_id}, UnionPay {@code notifyId}): the same across resends
 * @param channelState the trade state in the channel's words (SUCCESS, TRADE_SUCCESS, ...)
 * @param amountFen the amount the channel reports, when it reports one
 * @param verifiedContent what was verified: WeChat's decrypted resource, Alipay's form body,
 *     UnionPay's JSON body
 * @param rawBody the exact body received
 */
public record ChannelNotification(ChannelId channel, String notificationId, String eventType,
        String outTradeNo, String transactionId, String channelState, OptionalLong amountFen,
        Instant sentAt, String verifiedContent, String rawBody) {

    public ChannelNotification {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(outTradeNo, "outTradeNo");
        Objects.requireNonNull(transactionId, "transactionId");
        Objects.requireNonNull(channelState, "channelState");
        Objects.requireNonNull(amountFen, "amountFen");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(verifiedContent, "verifiedContent");
        Objects.requireNonNull(rawBody, "rawBody");
    }
}
