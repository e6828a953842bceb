package io.kassa.protocol;

/**
 * The limits of protocol v1, named once and shared by the engine, the SDK and the tests.
 * Every length is checked against one of these before anything is allocated for it.
 */
public final class FrameLimits {

    /** Bytes of the length prefix that precedes every payload. */
    public static final int LENGTH_PREFIX_BYTES = 4;

    /** Largest payload (excluding the prefix) either side accepts. */
    public static final int FRAME_BYTES_MAX = 64 * 1024;

    /** Lines in one basket. */
    public static final int BASKET_LINES_MAX = 200;

    /** Tenders in one checkout. */
    public static final int TENDERS_MAX = 8;

    /** Units of one line. */
    public static final int QUANTITY_MAX = 9_999;

    /** Characters of an identifier: terminal, store, sale, SKU, category. */
    public static final int IDENTIFIER_CHARS_MAX = 64;

    /** Longest scanned payment code: Alipay's are at most 24 digits; room for other channels. */
    public static final int PAYMENT_CODE_DIGITS_MAX = 32;

    /** Characters of a free-text name printed on a receipt. */
    public static final int NAME_CHARS_MAX = 128;

    /** Characters of a currency code; whether the engine supports it is the server's business. */
    public static final int CURRENCY_CHARS_MAX = 8;

    /** Heartbeat interval the engine announces in Welcome. */
    public static final int HEARTBEAT_INTERVAL_MILLIS = 15_000;

    /** Heartbeat intervals without any frame after which the engine closes a connection. */
    public static final int IDLE_HEARTBEAT_INTERVALS_MAX = 3;

    /**
     * Time within which a started frame must complete, else the engine sends a fatal
     * FRAME_TRUNCATED and closes: a peer that stalls mid-frame must not pin a buffer forever.
     */
    public static final int FRAME_COMPLETION_MILLIS_MAX = 10_000;

    /** Bytes of the nonce in an AuthChallenge. */
    public static final int AUTH_NONCE_BYTES = 32;

    /** Bytes of an AuthProof: one HMAC-SHA256 output. */
    public static final int AUTH_PROOF_BYTES = 32;

    /** Bytes of a terminal's secret, generated at provisioning. */
    public static final int TERMINAL_SECRET_BYTES = 32;

    /**
     * Time from the TCP connect to the Welcome: a peer that connects and never authenticates
     * must not hold a connection slot for the idle timeout.
     */
    public static final int HANDSHAKE_MILLIS_MAX = 10_000;

    /**
     * Failed authentications per terminal id, and per remote address, within {@link
     * #AUTH_FAILURE_WINDOW_MILLIS}; the next attempt is refused with TOO_MANY_ATTEMPTS.
     */
    public static final int AUTH_FAILURES_PER_TERMINAL_MAX = 5;
    public static final int AUTH_FAILURES_PER_ADDRESS_MAX = 20;
    public static final int AUTH_FAILURE_WINDOW_MILLIS = 60_000;

    /** Requests one connection may have unanswered at once; the next one gets BUSY. */
    public static final int IN_FLIGHT_REQUESTS_MAX = 32;

    /**
     * Token bucket of one terminal's requests: {@code REQUEST_BURST_MAX} at once, refilled at
     * {@code REQUESTS_PER_SECOND_MAX}; a request finding the bucket empty gets RATE_LIMITED.
     */
    public static final int REQUESTS_PER_SECOND_MAX = 50;
    public static final int REQUEST_BURST_MAX = 100;

    /** Unacknowledged pushes kept per terminal; beyond it the oldest become a PushGap. */
    public static final int PUSHES_RETAINED_MAX = 64;

    /** The protocol major version this codec speaks. */
    public static final int PROTOCOL_VERSION = 1;

    /** Largest top-up at a terminal, in fen (50,000 yuan): the admin API's bound too. */
    public static final long TOP_UP_FEN_MAX = 5_000_000;

    /** Characters of a void's free-text reason. */
    public static final int VOID_REASON_CHARS_MAX = 128;

    /** Widest shift window a terminal may ask totals for: 31 days. */
    public static final long SHIFT_WINDOW_MILLIS_MAX = 31L * 24 * 60 * 60 * 1000;

    private FrameLimits() {
    }
}
