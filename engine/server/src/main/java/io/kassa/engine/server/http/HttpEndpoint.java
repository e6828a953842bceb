package io.kassa.engine.server.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The engine's HTTP port: the gateways' callbacks, and on the same router whatever else the
 * engine serves (metrics, health, the ops dashboard, the admin API: see {@link OpsRoutes} and
 * {@code http/admin}).
 */
public final class HttpEndpoint {

    /** Longest request line and headers accepted: callbacks carry a few short headers. */
    public static final int HEADER_BYTES_MAX = 16 * 1024;

    private HttpEndpoint() {
    }

    public static Future<HttpServer> start(Vertx vertx, String host, int port,
            CallbackRoutes callbacks) {
        return start(vertx, host, port, callbacks, router -> { });
    }

    /** As above, with {@code routes} mounting more on the same router. */
    public static Future<HttpServer> start(Vertx vertx, String host, int port,
            CallbackRoutes callbacks, java.util.function.Consumer<Router> routes) {
        Router router = Router.router(vertx);
        callbacks.mount(router);
        routes.accept(router);
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port)
                        .setMaxHeaderSize(HEADER_BYTES_MAX))
                .requestHandler(router)
                .listen();
    }
}
