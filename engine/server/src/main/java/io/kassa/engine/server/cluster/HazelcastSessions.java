package io.kassa.engine.server.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session registry in a Hazelcast map, terminal id to node id. Writes are asynchronous
 * and never awaited by the connection: a registry that lags by a few milliseconds only makes
 * a push take the fallback path.
 */
final class HazelcastSessions implements TerminalSessions {

    private static final Logger log = LoggerFactory.getLogger(HazelcastSessions.class);

    private final IMap<String, String> map;
    private final String nodeId;
    private final Vertx vertx;

    HazelcastSessions(IMap<String, String> map, String nodeId, Vertx vertx) {
        this.map = map;
        this.nodeId = nodeId;
        this.vertx = vertx;
    }

    @Override
    public void connected(String terminalId) {
        map.setAsync(terminalId, nodeId).whenComplete((ignored, error) -> {
            if (error != null) {
                log.warn("session of {} not registered: {}", terminalId, error.toString());
            }
        });
    }

    @Override
    public void disconnected(String terminalId) {
        // Only this node's entry: the terminal may already be connected to another node.
        map.submitToKey(terminalId, new RemoveIfOnNode(nodeId)).whenComplete(
                (ignored, error) -> {
                    if (error != null) {
                        log.debug("session of {} not removed: {}", terminalId,
                                error.toString());
                    }
                });
    }

    @Override
    public Future<Optional<String>> nodeOf(String terminalId) {
        Context context = vertx.getOrCreateContext();
        return Future.fromCompletionStage(map.getAsync(terminalId), context)
                .map(Optional::ofNullable);
    }

    /** Removes the entry when it names {@code nodeId}; runs on the key's owner. */
    static final class RemoveIfOnNode
            implements com.hazelcast.map.EntryProcessor<String, String, Boolean> {
        private static final long serialVersionUID = 1L;
        private final String nodeId;

        RemoveIfOnNode(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public Boolean process(Map.Entry<String, String> entry) {
            if (nodeId.equals(entry.getValue())) {
                entry.setValue(null);
                return true;
            }
            return false;
        }
    }
}
