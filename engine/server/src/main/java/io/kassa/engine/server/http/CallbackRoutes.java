package io.kassa.engine.server.http;

import io.kassa.engine.core.channel.ChannelId;
import io.kassa.engine.server.gateways.ChannelCredentials;
import io.kassa.engine.server.gateways.ChannelSettings;
import io.kassa.engine.server.gateways.NotificationVerdict;
import io.kassa.engine.server.gateways.PaymentNotificationSink;
import io.kassa.engine.server.http.Verification.Rejected;
import io.kassa.engine.server.http.Verification.Verified;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /callbacks/wechatpay}, {@code /callbacks/alipay}, {@code /callbacks/unionpay}:
 * reads the raw body up to the limit, verifies it, hands a verified notification to the
 * {@link PaymentNotificationSink}, and answers exactly what each channel expects:
 *
 * <pre>
 * channel     handled (new or duplicate)     rejected
 * wechatpay   204, empty                     4xx/5xx {"code":"FAIL","message":...}
 * alipay      200 success                    4xx/5xx failure  (anything but "success" retries)
 * unionpay    200 {"code":"SUCCESS"}         4xx/5xx {"code":"FAIL","message":...}
 * </pre>
 *
 * Nothing is written before verification succeeds, and the sink writes once (the database's
 * unique key), so a rejected or repeated callback leaves nothing half-written.
 */
public final class CallbackRoutes {

    private static final Logger log = LoggerFactory.getLogger(CallbackRoutes.class);

    /** Marks a context whose body was read, to tell decoding failures from handling ones. */
    private static final String BODY_READ = "kassa.callback-body-read";

    private final NotificationVerifiers verifiers;
    private final PaymentNotificationSink sink;
    private final CallbackCounters counters;
    private final Clock clock;
    private final int bodyBytesMax;

    public CallbackRoutes(ChannelCredentials credentials, ChannelSettings settings,
            PaymentNotificationSink sink, CallbackCounters counters, Clock clock) {
        this.verifiers = new NotificationVerifiers(credentials, settings);
        this.sink = sink;
        this.counters = counters;
        this.clock = clock;
        this.bodyBytesMax = settings.callbackBodyBytesMax();
    }

    public CallbackCounters counters() {
        return counters;
    }

    public void mount(Router router) {
        for (ChannelId channel : new ChannelId[] {
                ChannelId.WECHAT_PAY, ChannelId.ALIPAY, ChannelId.UNIONPAY}) {
            // The body handler enforces the limit on the declared and the actual length before
            // buffering more; its 413 reaches the failure handler, which answers in the
            // channel's own format. It keeps the raw bytes, which are what gets verified.
            router.post("/callbacks/" + channel.name())
                    .handler(BodyHandler.create(false).setBodyLimit(bodyBytesMax)
                            .setMergeFormAttributes(false))
                    .handler(context -> {
                        context.put(BODY_READ, Boolean.TRUE);
                        handle(context, channel, context.request().headers(),
                                context.body().buffer() == null ? Buffer.buffer()
                                        : context.body().buffer());
                    })
                    .failureHandler(context -> {
                        if (context.statusCode() == 413) {
                            reject(context, channel, CallbackRejection.OVERSIZED,
                                    "body exceeds " + bodyBytesMax + " bytes");
                        } else if (context.get(BODY_READ) == null) {
                            // The body handler could not even decode the form.
                            reject(context, channel, CallbackRejection.MALFORMED,
                                    "the body does not decode");
                        } else {
                            log.warn("callback {} failed", channel, context.failure());
                            reject(context, channel, CallbackRejection.SINK_FAILED,
                                    "try again later");
                        }
                    });
        }
    }

    private void handle(RoutingContext context, ChannelId channel, MultiMap headers,
            Buffer body) {
        Instant now = clock.instant();
        Verification verification = switch (channel.name()) {
            case "wechatpay" -> verifiers.wechatPay(headers, body, now);
            case "alipay" -> verifiers.alipay(body, now);
            default -> verifiers.unionPay(headers, body, now);
        };
        if (verification instanceof Rejected rejected) {
            reject(context, channel, rejected.reason(), rejected.message());
            return;
        }
        var notification = ((Verified) verification).notification();
        counters.lag(channel, java.time.Duration.between(notification.sentAt(), now).toMillis());
        sink.onNotification(notification).onComplete(result -> {
            if (result.failed()) {
                log.warn("notification {}/{} could not be handled", channel,
                        notification.notificationId(), result.cause());
                reject(context, channel, CallbackRejection.SINK_FAILED, "try again later");
            } else if (result.result() instanceof NotificationVerdict.Refused refused) {
                reject(context, channel, CallbackRejection.REFUSED, refused.reason());
            } else {
                if (result.result() instanceof NotificationVerdict.Duplicate) {
                    counters.duplicate(channel);
                } else {
                    counters.accepted(channel);
                }
                acknowledge(context, channel);
            }
        });
    }

    private void acknowledge(RoutingContext context, ChannelId channel) {
        var response = context.response();
        switch (channel.name()) {
            case "wechatpay" -> response.setStatusCode(204).end();
            case "alipay" -> response.setStatusCode(200)
                    .putHeader("Content-Type", "text/plain;charset=utf-8").end("success");
            default -> response.setStatusCode(200).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("code", "SUCCESS").encode());
        }
    }

    private void reject(RoutingContext context, ChannelId channel, CallbackRejection reason,
            String message) {
        counters.rejected(channel, reason);
        log.info("callback {} rejected: {} ({})", channel, reason, message);
        var response = context.response().setStatusCode(reason.status());
        if (reason == CallbackRejection.OVERSIZED) {
            // The rest of an oversized body is not read: close rather than drain it.
            response.putHeader("Connection", "close");
        }
        if (channel.equals(ChannelId.ALIPAY)) {
            response.putHeader("Content-Type", "text/plain;charset=utf-8").end("failure");
        } else {
            response.putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("code", "FAIL").put("message", reason.name() + ": " + message)
                    .encode());
        }
    }
}
