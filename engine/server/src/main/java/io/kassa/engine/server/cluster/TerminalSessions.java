package io.kassa.engine.server.cluster;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Which node each connected terminal is on: the session registry a push or a gateway
 * callback result uses to reach a terminal connected to another node. An entry is a hint, not
 * a fact — a node may have died with its terminals still listed — so a sender that cannot
 * reach the named node keeps the push itself.
 */
public interface TerminalSessions {

    /** {@code terminalId} authenticated on this node. */
    void connected(String terminalId);

    /** {@code terminalId}'s connection to this node closed (a newer one elsewhere stays). */
    void disconnected(String terminalId);

    /** The node {@code terminalId} was last seen connected to, if any. */
    Future<Optional<String>> nodeOf(String terminalId);

    /** A single node: every terminal is either here or nowhere. */
    static TerminalSessions singleNode() {
        return new TerminalSessions() {
            @Override
            public void connected(String terminalId) {
            }

            @Override
            public void disconnected(String terminalId) {
            }

            @Override
            public Future<Optional<String>> nodeOf(String terminalId) {
                return Future.succeededFuture(Optional.empty());
            }
        };
    }
}
