package io.kassa.engine.server.admin;

/**
 * A request the admin API refuses, carried to the HTTP edge as an RFC 9457 problem: its status,
 * a stable type slug ({@code /problems/<slug>}), a title and a detail for this occurrence.
 */
public final class AdminProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String slug;
    private final String title;
    private final transient java.util.Map<String, Object> extensions;

    public AdminProblem(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, java.util.Map.of());
    }

    private AdminProblem(int status, String slug, String title, String detail,
            java.util.Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.extensions = extensions;
    }

    /** The same problem with one more member (RFC 9457 extension), e.g. a list of errors. */
    public AdminProblem with(String member, Object value) {
        java.util.Map<String, Object> more = new java.util.LinkedHashMap<>(extensions);
        more.put(member, value);
        return new AdminProblem(status, slug, title, getMessage(), java.util.Map.copyOf(more));
    }

    /** Extension members beyond type, title, status, detail and instance. */
    public java.util.Map<String, Object> extensions() {
        return extensions;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public static AdminProblem badRequest(String detail) {
        return new AdminProblem(400, "invalid-request", "The request is not valid", detail);
    }

    public static AdminProblem unknownField(String field) {
        return new AdminProblem(400, "unknown-field", "The request has a field that cannot be set",
                "field '" + field + "' is not accepted here");
    }

    public static AdminProblem unauthorized(String detail) {
        return new AdminProblem(401, "unauthorized", "No valid API key", detail);
    }

    public static AdminProblem forbidden(String detail) {
        return new AdminProblem(403, "forbidden", "The key's role does not allow this", detail);
    }

    /** Also what an object outside the caller's stores looks like: its existence is not told. */
    public static AdminProblem notFound(String what) {
        return new AdminProblem(404, "not-found", "No such object", what + " not found");
    }

    public static AdminProblem conflict(String slug, String detail) {
        return new AdminProblem(409, slug, "The request conflicts with the current state",
                detail);
    }

    public static AdminProblem unprocessable(String slug, String detail) {
        return new AdminProblem(422, slug, "The request cannot be carried out", detail);
    }
}
