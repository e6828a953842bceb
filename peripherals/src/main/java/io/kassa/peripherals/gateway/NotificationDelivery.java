package io.kassa.peripherals.gateway;

/**
 * What the engine answered to one delivered notification; status 0 when no answer came.
 */
public record NotificationDelivery(String channel, String notificationId, int status,
        String body) {
}
