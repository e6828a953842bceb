package io.kassa.engine.server.http.admin;

import io.kassa.engine.server.admin.AdminProblem;
import io.kassa.engine.server.admin.AdminStore;
import io.kassa.engine.server.admin.ApiPrincipal;
import io.kassa.engine.server.admin.ApiRole;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * API keys: {@code kassa_<key id>_<secret>}, presented as {@code Authorization: Bearer <key>}.
 * The key id finds the row; only SHA-256 of the secret is stored and compared in constant time.
 * A bootstrap HQ key (KASSA_ADMIN_BOOTSTRAP_KEY, at least 32 characters) works without a row,
 * so that a new chain can create its first keys; it is never stored.
 */
public final class ApiKeys {

    /** Longest Authorization header value considered. */
    static final int KEY_CHARS_MAX = 200;

    public static final int BOOTSTRAP_KEY_CHARS_MIN = 32;

    private static final String PREFIX = "kassa_";
    private static final String KEY_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final AdminStore store;
    private final Optional<byte[]> bootstrapHash;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(AdminStore store, Optional<String> bootstrapKey) {
        bootstrapKey.ifPresent(key -> {
            if (key.length() < BOOTSTRAP_KEY_CHARS_MIN) {
                throw new IllegalArgumentException("KASSA_ADMIN_BOOTSTRAP_KEY must have at least "
                        + BOOTSTRAP_KEY_CHARS_MIN + " characters");
            }
        });
        this.store = store;
        this.bootstrapHash = bootstrapKey.map(ApiKeys::sha256);
    }

    /** A new key: its id, the full key (shown once) and the hash to store. */
    public record NewKey(String keyId, String key, byte[] secretHash) {
    }

    public NewKey generate() {
        StringBuilder keyId = new StringBuilder(16);
        for (int index = 0; index < 16; index++) {
            keyId.append(KEY_ID_ALPHABET.charAt(random.nextInt(KEY_ID_ALPHABET.length())));
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        return new NewKey(keyId.toString(), PREFIX + keyId + "_" + encoded, sha256(encoded));
    }

    /** The principal of an Authorization header; fails with a 401 problem when not valid. */
    public Future<ApiPrincipal> authenticate(String authorization) {
        if (authorization == null || authorization.length() > KEY_CHARS_MAX
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Future.failedFuture(AdminProblem.unauthorized(
                    "send 'Authorization: Bearer <API key>'"));
        }
        String key = authorization.substring(7).trim();
        if (bootstrapHash.isPresent()
                && MessageDigest.isEqual(bootstrapHash.get(), sha256(key))) {
            return Future.succeededFuture(new ApiPrincipal("bootstrap", "bootstrap key",
                    ApiRole.HQ_ADMIN, Set.of()));
        }
        int separator = key.indexOf('_', PREFIX.length());
        if (!key.startsWith(PREFIX) || separator < 0) {
            return Future.failedFuture(AdminProblem.unauthorized("malformed API key"));
        }
        String keyId = key.substring(PREFIX.length(), separator).toLowerCase(Locale.ROOT);
        byte[] presented = sha256(key.substring(separator + 1));
        if (!keyId.matches("[a-z0-9]{8,32}")) {
            return Future.failedFuture(AdminProblem.unauthorized("malformed API key"));
        }
        return store.apiKey(keyId).compose(found -> {
            // Compare even when absent, so that timing does not tell which key ids exist.
            byte[] expected = found.map(AdminStore.StoredKey::secretHash).orElse(new byte[32]);
            boolean matches = MessageDigest.isEqual(expected, presented);
            if (found.isEmpty() || !matches || found.get().disabled()) {
                return Future.failedFuture(AdminProblem.unauthorized("unknown or disabled key"));
            }
            AdminStore.StoredKey stored = found.get();
            return Future.succeededFuture(new ApiPrincipal(stored.keyId(), stored.name(),
                    stored.role(), stored.storeIds()));
        });
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
