package io.kassa.engine.server.terminal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed authentications per key (a terminal id, or a remote address) in a fixed window,
 * and says when a key has reached its maximum. Bounded: it remembers at most {@code keysMax}
 * keys, forgetting the least recently failed first, so an attacker cycling through random
 * terminal ids costs memory up to the bound and no further; a window ends {@code windowMillis}
 * after its first failure. Shared by every event loop: methods are synchronized, and each is a
 * handful of map operations.
 */
final class AuthenticationLimiter {

    /** Keys remembered at once, per limiter. */
    static final int KEYS_MAX = 100_000;

    private static final class Window {
        long startedAtMillis;
        int failures;
    }

    private final int failuresMax;
    private final long windowMillis;
    private final int keysMax;
    private final Map<String, Window> windows;

    AuthenticationLimiter(int failuresMax, long windowMillis, int keysMax) {
        assert failuresMax >= 1 && windowMillis >= 1 && keysMax >= 1;
        this.failuresMax = failuresMax;
        this.windowMillis = windowMillis;
        this.keysMax = keysMax;
        this.windows = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > AuthenticationLimiter.this.keysMax;
            }
        };
    }

    /** True when {@code key} has failed {@code failuresMax} times within the current window. */
    synchronized boolean limited(String key, long nowMillis) {
        Window window = windows.get(key);
        if (window == null) {
            return false;
        }
        if (nowMillis - window.startedAtMillis >= windowMillis) {
            windows.remove(key);
            return false;
        }
        return window.failures >= failuresMax;
    }

    synchronized void recordFailure(String key, long nowMillis) {
        Window window = windows.get(key);
        if (window == null || nowMillis - window.startedAtMillis >= windowMillis) {
            window = new Window();
            window.startedAtMillis = nowMillis;
            windows.put(key, window);
        }
        window.failures++;
        assert windows.size() <= keysMax;
    }

    synchronized int size() {
        return windows.size();
    }
}
