package io.kassa.loadtests.gatling.terminal;

import io.gatling.core.CoreComponents;
import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;
import io.gatling.javaapi.core.Session;
import io.kassa.protocol.v1.CheckoutRequest;
import io.kassa.protocol.v1.CheckoutResponse;
import io.kassa.protocol.v1.QuoteRequest;
import io.kassa.protocol.v1.QuoteResponse;
import io.kassa.protocol.v1.RefundRequest;
import io.kassa.protocol.v1.RefundResponse;
import io.vertx.core.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The terminal protocol in Gatling's Java DSL: {@code exec(KassaTerminal.quote(fleet, ...))}.
 * Each request goes over the persistent connection of the virtual user's terminal (session
 * attribute {@value #TERMINAL}) through the SDK, and is timed by Gatling from the moment the
 * action runs to the engine's answer.
 */
public final class KassaTerminal {

    /** Session attribute: the index of the terminal in the fleet. */
    public static final String TERMINAL = "terminal";
    /** Session attribute where {@link #quote} keeps the QuoteResponse. */
    public static final String QUOTE = "quote";
    /** Session attribute where {@link #checkout} keeps the CheckoutResponse. */
    public static final String CHECKOUT = "checkout";
    /** Session attribute where {@link #refund} keeps the RefundResponse. */
    public static final String REFUND = "refund";

    private KassaTerminal() {
    }

    /** Hello, the authentication challenge and Welcome: the terminal comes online. */
    public static ActionBuilder connect(TerminalFleet fleet) {
        return request("connect", session -> fleet.connect(session.getLong(TERMINAL)),
                (session, welcome) -> session);
    }

    public static ActionBuilder quote(TerminalFleet fleet, String name,
            Function<Session, QuoteRequest> request) {
        return KassaTerminal.<QuoteResponse>request(name,
                session -> fleet.client(session.getLong(TERMINAL)).quote(request.apply(session)),
                (session, quote) -> session.set(QUOTE, quote));
    }

    public static ActionBuilder checkout(TerminalFleet fleet, String name,
            Function<Session, CheckoutRequest> request) {
        return KassaTerminal.<CheckoutResponse>request(name,
                session -> fleet.client(session.getLong(TERMINAL))
                        .checkout(request.apply(session)),
                (session, done) -> session.set(CHECKOUT, done));
    }

    public static ActionBuilder refund(TerminalFleet fleet, String name,
            Function<Session, RefundRequest> request) {
        return KassaTerminal.<RefundResponse>request(name,
                session -> fleet.client(session.getLong(TERMINAL))
                        .refund(request.apply(session)),
                (session, refunded) -> session.set(REFUND, refunded));
    }

    /** Any request of the SDK: what {@code send} returns is timed and its outcome logged. */
    public static <T> ActionBuilder request(String name, Function<Session, Future<T>> send,
            BiFunction<Session, T, Session> onAnswer) {
        io.gatling.core.action.builder.ActionBuilder scala =
                new io.gatling.core.action.builder.ActionBuilder() {
                    @Override
                    public Action build(ScenarioContext context, Action next) {
                        CoreComponents core = context.coreComponents();
                        return new TerminalRequestAction<>(name, core.statsEngine(),
                                core.clock(), next, send, onAnswer);
                    }
                };
        return () -> scala;
    }
}
