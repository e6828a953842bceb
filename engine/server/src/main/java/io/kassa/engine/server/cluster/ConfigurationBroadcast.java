package io.kassa.engine.server.cluster;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries each new version of the chain's configuration (rules, campaigns, coupon templates)
 * from the node that stored it in PostgreSQL to every other node. PostgreSQL stays the
 * source of truth: a node that starts reads the latest version there, and the broadcast only
 * makes the others learn of a change within milliseconds instead of at their next poll.
 */
public interface ConfigurationBroadcast {

    /** A stored version of the configuration document. */
    record Version(long number, String document) {
    }

    /** Tells every node (this one included, possibly) that {@code version} is current. */
    void announce(Version version);

    /** Calls {@code listener} for every version announced by any node, from any thread. */
    void listen(Consumer<Version> listener);

    /** The latest version announced in the cluster, if one is known to it. */
    Optional<Version> latest();

    /** A single node: nothing to tell anyone. */
    static ConfigurationBroadcast singleNode() {
        return new ConfigurationBroadcast() {
            @Override
            public void announce(Version version) {
            }

            @Override
            public void listen(Consumer<Version> listener) {
            }

            @Override
            public Optional<Version> latest() {
                return Optional.empty();
            }
        };
    }
}
