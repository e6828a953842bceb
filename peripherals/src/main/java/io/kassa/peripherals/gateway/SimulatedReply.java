package io.kassa.peripherals.gateway;

import java.util.Map;

/** One answer of a simulated API: status, headers (signature headers included) and body. */
record SimulatedReply(int status, String contentType, Map<String, String> headers, String body) {

    static SimulatedReply json(int status, Map<String, String> headers, String body) {
        return new SimulatedReply(status, "application/json", headers, body);
    }
}
