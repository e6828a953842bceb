package io.kassa.peripherals.gateway;

import java.util.Map;

/**
 * A notification as the simulator would POST it to the engine: the channel, the headers
 * (signature headers included), the content type and the exact body. Tests may tamper with any
 * part before delivering it.
 */
public record SignedNotification(String channel, String notificationId, String contentType,
        Map<String, String> headers, String body) {

    public SignedNotification {
        headers = Map.copyOf(headers);
    }

    public SignedNotification withBody(String newBody) {
        return new SignedNotification(channel, notificationId, contentType, headers, newBody);
    }

    public SignedNotification withHeader(String name, String value) {
        java.util.Map<String, String> changed = new java.util.HashMap<>(headers);
        changed.put(name, value);
        return new SignedNotification(channel, notificationId, contentType, changed, body);
    }
}
