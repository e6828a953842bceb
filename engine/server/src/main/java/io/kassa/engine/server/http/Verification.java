package io.kassa.engine.server.http;

import io.kassa.engine.server.gateways.ChannelNotification;

/** The result of checking one callback: verified, or rejected with a reason. */
sealed interface Verification {

    record Verified(ChannelNotification notification) implements Verification {
    }

    record Rejected(CallbackRejection reason, String message) implements Verification {
    }
}
