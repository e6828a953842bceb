package io.kassa.engine.server.rules;

import io.kassa.engine.core.rules.ChainRules;
import java.util.function.Supplier;

/**
 * The chain's rules this node prices with right now, and their version. A request takes one
 * snapshot with {@link #get()} and uses it throughout, so a sale is never priced with half an
 * old version and half a new one. Versions only move forward: an announcement that arrives
 * late, after a newer one, changes nothing.
 */
public final class LiveRules implements Supplier<ChainRules> {

    /** One version of the rules with the document it was read from. */
    public record Version(long number, ChainRules rules, String document) {
    }

    private volatile Version current;

    public LiveRules(Version initial) {
        this.current = initial;
    }

    /** Rules that never change: tests and tools that price with one fixed document. */
    public static LiveRules fixed(ChainRules rules) {
        return new LiveRules(new Version(0, rules, ""));
    }

    @Override
    public ChainRules get() {
        return current.rules();
    }

    public Version current() {
        return current;
    }

    /** Makes {@code version} current when it is newer; true when it did. */
    public synchronized boolean offer(Version version) {
        if (version.number() <= current.number()) {
            return false;
        }
        current = version;
        return true;
    }
}
