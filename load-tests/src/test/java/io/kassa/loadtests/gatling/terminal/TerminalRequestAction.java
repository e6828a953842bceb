package io.kassa.loadtests.gatling.terminal;

import io.gatling.commons.stats.KO$;
import io.gatling.commons.stats.OK$;
import io.gatling.commons.util.Clock;
import io.gatling.core.action.Action;
import io.gatling.core.stats.StatsEngine;
import io.kassa.peripherals.sdk.TerminalErrorException;
import io.vertx.core.Future;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * One terminal-protocol request as a Gatling action, written against Gatling's internal
 * {@link Action} (Gatling has no public API for other protocols; see
 * docs/adr/0009-gatling-terminal-protocol.md, and keep Gatling pinned).
 *
 * <p>Never blocks: {@link #execute} hands the request to the SDK, whose future completes on
 * the terminal's Vert.x context; the answer is timed, logged to Gatling's statistics (OK, or
 * KO with the engine's error code as the message, so the report counts errors by code) and
 * the virtual user goes on to the next action on its own Gatling event loop.
 */
final class TerminalRequestAction<T> implements Action {

    private static final com.typesafe.scalalogging.Logger LOGGER =
            com.typesafe.scalalogging.Logger.apply(
                    LoggerFactory.getLogger(TerminalRequestAction.class));

    private final String requestName;
    private final StatsEngine statsEngine;
    private final Clock clock;
    private final Action next;
    private final Function<io.gatling.javaapi.core.Session, Future<T>> send;
    private final BiFunction<io.gatling.javaapi.core.Session, T,
            io.gatling.javaapi.core.Session> onAnswer;

    TerminalRequestAction(String requestName, StatsEngine statsEngine, Clock clock, Action next,
            Function<io.gatling.javaapi.core.Session, Future<T>> send,
            BiFunction<io.gatling.javaapi.core.Session, T, io.gatling.javaapi.core.Session>
                    onAnswer) {
        this.requestName = requestName;
        this.statsEngine = statsEngine;
        this.clock = clock;
        this.next = next;
        this.send = send;
        this.onAnswer = onAnswer;
    }

    @Override
    public String name() {
        return requestName;
    }

    @Override
    public void execute(io.gatling.core.session.Session session) {
        io.gatling.javaapi.core.Session javaSession = new io.gatling.javaapi.core.Session(session);
        long startMillis = clock.nowMillis();
        Future<T> answer;
        try {
            answer = send.apply(javaSession);
        } catch (RuntimeException bug) {
            answer = Future.failedFuture(bug);
        }
        answer.onComplete(result -> {
            long endMillis = clock.nowMillis();
            io.gatling.core.session.Session after;
            if (result.succeeded()) {
                statsEngine.logResponse(session.scenario(), session.groups(), requestName,
                        startMillis, endMillis, OK$.MODULE$, Option.empty(), Option.empty());
                after = onAnswer(javaSession, result.result(), session);
            } else {
                String code = code(result.cause());
                statsEngine.logResponse(session.scenario(), session.groups(), requestName,
                        startMillis, endMillis, KO$.MODULE$, Option.apply(code),
                        Option.apply(code + ": " + result.cause().getMessage()));
                after = session.markAsFailed();
            }
            // Back on the virtual user's own event loop, as Gatling's own protocols do.
            session.eventLoop().execute(() -> next.$bang(after));
        });
    }

    private io.gatling.core.session.Session onAnswer(io.gatling.javaapi.core.Session javaSession,
            T answer, io.gatling.core.session.Session original) {
        try {
            return onAnswer.apply(javaSession, answer).asScala();
        } catch (RuntimeException bug) {
            LOGGER.underlying().error("{}: handling the answer failed", requestName, bug);
            return original.markAsFailed();
        }
    }

    private static String code(Throwable cause) {
        return cause instanceof TerminalErrorException error ? error.code().name()
                : cause.getClass().getSimpleName();
    }

    @Override
    public com.typesafe.scalalogging.Logger logger() {
        return LOGGER;
    }

    @Override
    public void com$typesafe$scalalogging$StrictLogging$_setter_$logger_$eq(
            com.typesafe.scalalogging.Logger logger) {
        // The logger is a constant of this class; Scala's trait initializer is never run here.
    }
}
