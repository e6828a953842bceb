package io.kassa.engine.server.http.admin;

import io.kassa.engine.core.rules.RulesProblem;
import io.kassa.engine.server.admin.AdminProblem;
import io.kassa.engine.server.admin.ApiPrincipal;
import io.kassa.engine.server.http.admin.AdminRoutes.Reply;
import io.kassa.engine.server.rules.LiveRules;
import io.kassa.engine.server.rules.RulesCatalogue;
import io.kassa.engine.server.rules.RulesVersions;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.Set;

/**
 * The chain's configuration through the admin API: the whole rules document, or one coupon
 * template or campaign in it, replaced by an HQ key. Every change is a new version stored in
 * PostgreSQL with its audit entry, validated first (every problem named by its JSON path), and
 * guarded by the version the caller edited ({@code expectedVersion}: a change made meanwhile
 * by someone else is a 409, never silently overwritten). The node that stores it prices with
 * it at once; the others within milliseconds through the cluster.
 *
 * <pre>
 * GET /rules                          {version, rules}                  HQ and ops keys
 * PUT /rules                          {expectedVersion, rules, note?}   HQ keys
 * PUT /coupon-templates/{templateId}  {expectedVersion, template}       HQ keys
 * PUT /campaigns/{campaignId}         {expectedVersion, campaign}       HQ keys
 * </pre>
 */
final class ConfigurationEndpoints {

    private static final String NOTE = "(?s).{1,200}";
    private static final String ID = AdminRoutes.ID;

    private final RulesCatalogue catalogue;

    ConfigurationEndpoints(RulesCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    Future<Reply> current(RoutingContext context, ApiPrincipal principal) {
        if (!principal.readsChain()) {
            throw AdminProblem.forbidden("the chain's configuration is read by HQ and ops keys");
        }
        LiveRules.Version version = catalogue.live().current();
        return Future.succeededFuture(Reply.ok(new JsonObject()
                .put("version", version.number())
                .put("rules", new JsonObject(version.document()))));
    }

    Future<Reply> replace(RoutingContext context, ApiPrincipal principal) {
        requireHq(principal);
        JsonInput input = JsonInput.of(AdminRoutes.body(context),
                Set.of("expectedVersion", "rules", "note"));
        long expected = input.integer("expectedVersion", 0, Long.MAX_VALUE);
        Object rules = AdminRoutes.body(context).getValue("rules");
        if (!(rules instanceof JsonObject document)) {
            throw AdminProblem.badRequest("field 'rules' must be the rules document (an object)");
        }
        return store(document, expected, input.optionalText("note", NOTE), principal,
                "configuration.rules.replace");
    }

    Future<Reply> putCouponTemplate(RoutingContext context, ApiPrincipal principal) {
        return putElement(context, principal, "couponTemplates", "templateId", "template",
                "configuration.coupon-template.put");
    }

    Future<Reply> putCampaign(RoutingContext context, ApiPrincipal principal) {
        return putElement(context, principal, "campaigns", "campaignId", "campaign",
                "configuration.campaign.put");
    }

    /**
     * Replaces the element of the array {@code arrayName} whose id is the path's, or adds it,
     * in a copy of the current document, and stores that copy as the next version.
     */
    private Future<Reply> putElement(RoutingContext context, ApiPrincipal principal,
            String arrayName, String idParameter, String field, String action) {
        requireHq(principal);
        String id = context.pathParam(idParameter);
        if (id == null || !id.matches(ID)) {
            throw AdminProblem.badRequest(idParameter + " must match " + ID);
        }
        JsonObject body = AdminRoutes.body(context);
        JsonInput input = JsonInput.of(body, Set.of("expectedVersion", field, "note"));
        long expected = input.integer("expectedVersion", 0, Long.MAX_VALUE);
        if (!(body.getValue(field) instanceof JsonObject element)) {
            throw AdminProblem.badRequest("field '" + field + "' must be an object");
        }
        Object elementId = element.getValue("id");
        if (elementId != null && !id.equals(elementId)) {
            throw AdminProblem.badRequest(field + ".id '" + elementId
                    + "' differs from the path's '" + id + "'");
        }
        LiveRules.Version version = catalogue.live().current();
        if (version.number() != expected) {
            throw stale(expected, version.number());
        }
        JsonObject document;
        try {
            document = new JsonObject(version.document());
        } catch (DecodeException unreadable) {
            throw new IllegalStateException("configuration version " + version.number()
                    + " is not a JSON object", unreadable);
        }
        JsonArray elements = document.getJsonArray(arrayName, new JsonArray());
        JsonArray replaced = new JsonArray();
        boolean found = false;
        for (Object existing : elements) {
            if (existing instanceof JsonObject object && id.equals(object.getString("id"))) {
                replaced.add(element.copy().put("id", id));
                found = true;
            } else {
                replaced.add(existing);
            }
        }
        if (!found) {
            replaced.add(element.copy().put("id", id));
        }
        document.put(arrayName, replaced);
        int status = found ? 200 : 201;
        return store(document, expected, input.optionalText("note", NOTE), principal, action)
                .map(reply -> new Reply(status, reply.body()));
    }

    private Future<Reply> store(JsonObject document, long expected, Optional<String> note,
            ApiPrincipal principal, String action) {
        return catalogue.replace(document.encode(), expected, note,
                        AdminRoutes.audit(principal, action, Optional.empty()))
                .map(version -> Reply.ok(new JsonObject().put("version", version.number())))
                .recover(error -> {
                    if (error instanceof RulesCatalogue.RulesRejected rejected) {
                        JsonArray problems = new JsonArray();
                        for (RulesProblem problem : rejected.problems()) {
                            problems.add(problem.toString());
                        }
                        return Future.failedFuture(AdminProblem.unprocessable("invalid-rules",
                                rejected.problems().size() + " problem(s) in the rules; nothing"
                                        + " was changed").with("problems", problems));
                    }
                    if (error instanceof RulesVersions.VersionTaken) {
                        return Future.failedFuture(stale(expected,
                                catalogue.live().current().number()));
                    }
                    return Future.failedFuture(error);
                });
    }

    private static AdminProblem stale(long expected, long current) {
        return AdminProblem.conflict("stale-version", "the configuration is at version "
                + current + ", not " + expected + ": read it again and reapply the change")
                .with("currentVersion", current);
    }

    private static void requireHq(ApiPrincipal principal) {
        if (!principal.writesChain()) {
            throw AdminProblem.forbidden("the chain's configuration is changed by HQ keys");
        }
    }
}
