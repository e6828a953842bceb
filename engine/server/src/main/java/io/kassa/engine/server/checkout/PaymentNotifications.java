package io.kassa.engine.server.checkout;

import io.kassa.engine.server.gateways.ChannelNotification;
import io.kassa.engine.server.gateways.NotificationVerdict;
import io.kassa.engine.server.gateways.PaymentNotificationSink;
import io.vertx.core.Future;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment side of verified channel notifications. A notification is a shortcut, never the
 * only path (code payments may send none): the query loop and the janitor reach the same
 * states without it.
 *
 * <ol>
 *   <li>The intent must exist and, when the channel reports an amount, the amounts must agree;
 *       otherwise the notification is refused (the channel retries, an operator looks).
 *   <li>The notification is recorded once ({@code recorder}: unique on channel and
 *       notification id); a resend is acknowledged and changes nothing.
 *   <li>A success moves an open intent to SUCCEEDED (the orchestration waiting on it sees it at
 *       its next tick). A success for an intent already given up (FAILED, or REVERSED without
 *       money returned) means the customer was charged for a sale that did not complete: the
 *       intent goes back to REVERSING and its money is returned (reverse, else refund).
 *       Any other state is left as it is: out-of-order and late notifications change nothing
 *       the channel's own answers have settled.
 * </ol>
 */
public final class PaymentNotifications implements PaymentNotificationSink {

    private static final Logger log = LoggerFactory.getLogger(PaymentNotifications.class);

    /** The channels' words for "paid" (WeChat Pay, UnionPay; Alipay). */
    private static final Set<String> PAID_STATES =
            Set.of("SUCCESS", "TRADE_SUCCESS", "TRADE_FINISHED");

    private static final Set<IntentState> OPEN = EnumSet.of(IntentState.SENT,
            IntentState.UNKNOWN, IntentState.QUERYING);

    private final PaymentIntents intents;
    private final PaymentOrchestrator orchestrator;
    private final PaymentNotificationSink recorder;

    public PaymentNotifications(PaymentIntents intents, PaymentOrchestrator orchestrator,
            PaymentNotificationSink recorder) {
        this.intents = intents;
        this.orchestrator = orchestrator;
        this.recorder = recorder;
    }

    @Override
    public Future<NotificationVerdict> onNotification(ChannelNotification notification) {
        return intents.find(notification.outTradeNo()).compose(found -> {
            if (found.isEmpty()) {
                return Future.succeededFuture(new NotificationVerdict.Refused(
                        "no payment intent " + notification.outTradeNo()));
            }
            PaymentIntent intent = found.get();
            if (!intent.channel().equals(notification.channel())) {
                return Future.succeededFuture(new NotificationVerdict.Refused("intent "
                        + intent.outTradeNo() + " is not a " + notification.channel()
                        + " payment"));
            }
            if (notification.amountFen().isPresent()
                    && notification.amountFen().getAsLong() != intent.amountFen()) {
                log.error("notification {} of {} reports {} fen, the intent is for {}",
                        notification.notificationId(), intent.outTradeNo(),
                        notification.amountFen().getAsLong(), intent.amountFen());
                return Future.succeededFuture(new NotificationVerdict.Refused(
                        "amount differs from the order"));
            }
            return recorder.onNotification(notification).compose(verdict -> {
                if (!(verdict instanceof NotificationVerdict.Accepted)) {
                    return Future.succeededFuture(verdict);
                }
                return apply(intent, notification).map(applied -> verdict);
            });
        });
    }

    private Future<Void> apply(PaymentIntent intent, ChannelNotification notification) {
        String state = notification.channelState().toUpperCase(Locale.ROOT);
        if (!PAID_STATES.contains(state)) {
            return Future.succeededFuture();
        }
        if (OPEN.contains(intent.state())) {
            return intents.transition(intent.outTradeNo(), OPEN,
                    PaymentIntents.Transition.to(IntentState.SUCCEEDED).channelState(state)
                            .transactionId(notification.transactionId())
                            .detail("paid, as notified"))
                    .compose(moved -> moved.isPresent() ? Future.<Void>succeededFuture()
                            : intents.find(intent.outTradeNo())
                                    .compose(now -> refundIfGivenUp(now.orElseThrow(),
                                            notification)));
        }
        return refundIfGivenUp(intent, notification);
    }

    /** A success for an intent already given up: return the money (not awaited). */
    private Future<Void> refundIfGivenUp(PaymentIntent intent,
            ChannelNotification notification) {
        boolean givenUp = intent.state() == IntentState.FAILED
                || (intent.state() == IntentState.REVERSED && !intent.moneyReturned());
        if (givenUp) {
            log.warn("intent {} was {} but its channel reports it paid: returning the money",
                    intent.outTradeNo(), intent.state());
            orchestrator.giveBack(intent,
                    java.util.Optional.of(notification.transactionId())).onFailure(error -> log.warn("returning the money"
                    + " of {} failed; the payment janitor will", intent.outTradeNo(), error));
        }
        return Future.succeededFuture();
    }
}
