package io.kassa.engine.server.http.admin;

import io.kassa.engine.server.admin.AdminProblem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A request body read strictly: only the fields an endpoint names may appear (a member update
 * cannot smuggle a balance in: no mass assignment), each of the type and within the bounds
 * asked for; anything else is a 400 problem naming the field.
 */
final class JsonInput {

    private final JsonObject body;

    private JsonInput(JsonObject body) {
        this.body = body;
    }

    static JsonInput of(JsonObject body, Set<String> allowed) {
        if (body == null) {
            throw AdminProblem.badRequest("a JSON object body is required");
        }
        for (String field : body.fieldNames()) {
            if (!allowed.contains(field)) {
                throw AdminProblem.unknownField(field);
            }
        }
        return new JsonInput(body);
    }

    String text(String field, String pattern) {
        return optionalText(field, pattern).orElseThrow(() -> AdminProblem.badRequest(
                "field '" + field + "' is required"));
    }

    Optional<String> optionalText(String field, String pattern) {
        Object value = body.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text) || !text.matches(pattern)) {
            throw AdminProblem.badRequest("field '" + field + "' must be a string matching "
                    + pattern);
        }
        return Optional.of(text);
    }

    long integer(String field, long minimum, long maximum) {
        return optionalInteger(field, minimum, maximum).orElseThrow(() ->
                AdminProblem.badRequest("field '" + field + "' is required"));
    }

    Optional<Long> optionalInteger(String field, long minimum, long maximum) {
        Object value = body.getValue(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            throw AdminProblem.badRequest("field '" + field + "' must be an integer");
        }
        long number = ((Number) value).longValue();
        if (number < minimum || number > maximum) {
            throw AdminProblem.badRequest("field '" + field + "' must be within " + minimum
                    + ".." + maximum);
        }
        return Optional.of(number);
    }

    List<String> texts(String field, String pattern, int countMax) {
        Object value = body.getValue(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof JsonArray array) || array.size() > countMax) {
            throw AdminProblem.badRequest("field '" + field + "' must be an array of at most "
                    + countMax + " strings");
        }
        List<String> texts = new ArrayList<>(array.size());
        for (Object item : array) {
            if (!(item instanceof String text) || !text.matches(pattern)) {
                throw AdminProblem.badRequest("field '" + field + "' must hold strings matching "
                        + pattern);
            }
            texts.add(text);
        }
        return texts;
    }
}
