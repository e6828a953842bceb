package io.kassa.engine.server.checkout;

import io.vertx.core.Future;

/**
 * The port to the durable record of which hot-copy generation is current (see {@code
 * redis_generation} in the schema). Advancing it fences every hold of older generations:
 * their sales can no longer commit.
 */
public interface GenerationFence {

    Future<String> current();

    /**
     * Moves to a new generation if {@code from} is still current; otherwise leaves it.
     *
     * @return the generation current afterwards (the new one, or whatever another node moved
     *     to first)
     */
    Future<String> advance(String from);
}
