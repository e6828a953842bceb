package io.kassa.engine.server.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script kept as a resource file and run by its SHA-1 (EVALSHA). The script is sent to
 * Redis only when Redis says it does not know it (NOSCRIPT: after a restart, a failover, or a
 * SCRIPT FLUSH), then the call is retried once.
 */
final class RedisScript {

    private final String name;
    private final String source;
    private final String sha1;

    private RedisScript(String name, String source) {
        this.name = name;
        this.source = source;
        this.sha1 = sha1Hex(source);
    }

    static RedisScript fromResource(String name) {
        String path = "/redis/" + name + ".lua";
        try (InputStream input = RedisScript.class.getResourceAsStream(path)) {
            if (input == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new RedisScript(name, new String(input.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    String name() {
        return name;
    }

    String sha1() {
        return sha1;
    }

    Future<Response> run(RedisAPI redis, List<String> keys, List<String> arguments) {
        List<String> call = new ArrayList<>(2 + keys.size() + arguments.size());
        call.add(sha1);
        call.add(Integer.toString(keys.size()));
        call.addAll(keys);
        call.addAll(arguments);
        return redis.evalsha(call).recover(failure -> {
            if (failure.getMessage() == null || !failure.getMessage().startsWith("NOSCRIPT")) {
                return Future.failedFuture(failure);
            }
            return load(redis).compose(loaded -> redis.evalsha(call));
        });
    }

    /** This script's EVALSHA, to send in a pipeline with {@link #runInPipeline}. */
    Request request(List<String> keys, List<String> arguments) {
        Request request = Request.cmd(Command.EVALSHA).arg(sha1).arg(keys.size());
        for (String key : keys) {
            request.arg(key);
        }
        for (String argument : arguments) {
            request.arg(argument);
        }
        return request;
    }

    /**
     * Sends the {@code pipeline} — this script's {@link #request} among other commands — in
     * one write on one connection: Redis runs the commands in that order, one
     * round trip for all (a pipeline, not a transaction: each command runs on its own). Every
     * command of a pipeline must be safe to send twice, since a pipeline whose script Redis
     * did not know is sent again once the script is loaded. Fails when any command fails.
     */
    Future<List<Response>> runInPipeline(Redis client, RedisAPI redis,
            java.util.function.Supplier<List<Request>> pipeline) {
        return runInPipeline(client, redis, List.of(), pipeline);
    }

    /**
     * As {@link #runInPipeline(Redis, RedisAPI, java.util.function.Supplier)}, for a pipeline
     * that also runs the scripts {@code others}: after a NOSCRIPT, each is loaded before the
     * pipeline goes again.
     */
    Future<List<Response>> runInPipeline(Redis client, RedisAPI redis, List<RedisScript> others,
            java.util.function.Supplier<List<Request>> pipeline) {
        return client.batch(pipeline.get()).recover(failure -> {
            // A pipeline names the failed command: "ERR [1] NOSCRIPT No matching script...".
            if (failure.getMessage() == null || !failure.getMessage().contains("NOSCRIPT")) {
                return Future.failedFuture(failure);
            }
            List<RedisScript> scripts = new java.util.ArrayList<>(others);
            scripts.add(this);
            Future<Void> loaded = Future.succeededFuture();
            for (RedisScript script : scripts) {
                loaded = loaded.compose(previous -> script.load(redis));
            }
            return loaded.compose(all -> client.batch(pipeline.get()));
        });
    }

    private Future<Void> load(RedisAPI redis) {
        return redis.script(List.of("LOAD", source)).compose(loaded -> sha1.equals(
                loaded.toString()) ? Future.<Void>succeededFuture()
                : Future.failedFuture(new IllegalStateException("Redis computed SHA " + loaded
                        + " for script " + name + ", expected " + sha1)));
    }

    private static String sha1Hex(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK provides SHA-1", impossible);
        }
    }
}
