package io.kassa.engine.server.http;

/** Why a callback was not handed to the payment side; each has its own reply and counter. */
public enum CallbackRejection {
    /** The signature does not verify over the raw body, or signature headers are missing. */
    BAD_SIGNATURE(401),
    /** The serial names no platform key Kassa knows (rotation not yet provisioned, forgery). */
    UNKNOWN_SERIAL(401),
    /** The timestamp is more than the window away from now: a replay or a broken clock. */
    STALE_TIMESTAMP(401),
    /** Not the JSON or form the channel sends, or required fields missing. */
    MALFORMED(400),
    /** Larger than the callback body limit; not read further. */
    OVERSIZED(413),
    /** The WeChat Pay resource does not decrypt (tampered ciphertext, wrong key or nonce). */
    DECRYPTION_FAILED(400),
    /** Signed correctly but for another merchant or app id. */
    WRONG_MERCHANT(400),
    /** Kassa has no keys for this channel. */
    CHANNEL_NOT_CONFIGURED(503),
    /** The payment side refused it (e.g. the amount differs from the intent). */
    REFUSED(422),
    /** Recording or handling failed; the channel is asked to retry. */
    SINK_FAILED(500);

    private final int status;

    CallbackRejection(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
