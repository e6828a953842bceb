package io.kassa.engine.server.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
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
            return redis.script(List.of("LOAD", source)).compose(loaded -> {
                if (!sha1.equals(loaded.toString())) {
                    return Future.failedFuture(new IllegalStateException("Redis computed SHA "
                            + loaded + " for script " + name + ", expected " + sha1));
                }
                return redis.evalsha(call);
            });
        });
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
