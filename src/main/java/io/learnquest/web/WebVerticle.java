package io.learnquest.web;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.rules.RulesVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * REST API (docs/api.md) and live push (docs/api.md, "Live push") over raw WebSocket and SSE. Everything
 * it answers comes from the other verticles over the event bus.
 */
public final class WebVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WebVerticle.class);
  static final String WS_PATH = "/ws";
  static final long READY_TIMEOUT_MS = 2_000;
  static final long SSE_KEEPALIVE_MS = 15_000;

  private final EngineContext context;
  private final PushHub hub = new PushHub();
  private final RequestGate gate;
  private HttpServer server;
  private EngineMetrics metrics;
  private Router router;
  /** Set from the API document before the server listens, so before any request. */
  private RequestValidation validation;
  /**
   * After a route's BodyHandler, for a body no validator of the engine checks: refuses one that
   * breaks the API document.
   */
  private final Handler<RoutingContext> documentBody = ctx -> validation.body(ctx);

  public WebVerticle(EngineContext context) {
    this.context = context;
    this.gate = RequestGate.of(context);
  }

  @Override
  public Future<?> start() {
    EventRoutes events = new EventRoutes(vertx, context);
    ReadRoutes reads = new ReadRoutes(vertx, context);
    metrics = EngineMetrics.of(vertx);
    router = Router.router(vertx);
    // First of all: the request's id, so every answer (refusals too) and log line carries it.
    router.route().handler(RequestIds::handle);
    // Before anything reads a parameter: malformed percent-encoding is the client's 400, not a 500.
    router.route().handler(EncodingGuard::check);
    // Then every documented route's parameters are checked against the API document.
    router.route().handler(ctx -> validation.parameters(ctx));
    MetricsRoute metricsRoute = new MetricsRoute(vertx, context.stores().events(), context.config().metrics());
    router.get(MetricsRoute.PATH).handler(metricsRoute::handle);
    BodyHandler eventBody = BodyHandler.create(false).setBodyLimit(context.config().maxEventBytes());
    BodyHandler batchBody = BodyHandler.create(false).setBodyLimit(context.config().maxBatchBytes());

    router.route().handler(gate);
    router.post("/api/v1/events/batch").handler(batchBody).handler(events::postBatch);
    router.post("/api/v1/events").handler(eventBody).handler(events::postEvent);
    router.get("/api/v1/learners/:learnerId").handler(reads::profile);
    router.get("/api/v1/learners/:learnerId/xp").handler(reads::ledger);
    router.get("/api/v1/learners/:learnerId/badges").handler(reads::badges);
    router.get("/api/v1/learners/:learnerId/transitions").handler(reads::transitions);
    router.get("/api/v1/learners/:learnerId/flags").handler(reads::flags);
    router.get("/api/v1/flags").handler(reads::allFlags);
    router.get("/api/v1/learners/:learnerId/notifications").handler(this::serverSentEvents);
    router.get("/api/v1/badges").handler(reads::catalog);
    router.put("/api/v1/badges/:badgeId").handler(eventBody).handler(reads::defineBadge);
    router.delete("/api/v1/badges/:badgeId").handler(reads::retireBadge);
    router.get("/api/v1/leaderboards/global").handler(reads::globalBoard);
    router.get("/api/v1/leaderboards/global/around/:learnerId").handler(reads::globalAround);
    router.get("/api/v1/leaderboards/courses/:courseId").handler(reads::courseBoard);
    router.get("/api/v1/leaderboards/courses/:courseId/around/:learnerId").handler(reads::courseAround);
    router.post("/api/v1/admin/leaderboards/rebuild").handler(reads::rebuildLeaderboards);
    JobRoutes jobs = new JobRoutes(vertx);
    router.get("/api/v1/jobs").handler(jobs::list);
    router.get("/api/v1/jobs/:jobId").handler(jobs::get);
    router.post("/api/v1/admin/inactivity/sweep").handler(reads::sweepInactivity);
    QuarantineRoutes quarantine = new QuarantineRoutes(vertx);
    router.get("/api/v1/admin/quarantine").handler(quarantine::list);
    router.post("/api/v1/admin/quarantine/:eventId/retry").handler(quarantine::retry);
    router.post("/api/v1/admin/quarantine/:eventId/discard").handler(quarantine::discard);
    AtomicBoolean sweeper = context.shared(RulesVerticle.SWEEPER_FLAG, AtomicBoolean::new);
    router.get("/health").handler(ctx -> HttpErrors.json(ctx, 200, new JsonObject().put("status", "UP")
        .put("inactivitySweeper", sweeper.get())));
    router.get("/ready").handler(this::ready);
    router.get(ApiDocument.PATH).handler(ctx -> ctx.response().putHeader("content-type", "application/json")
        .end(ApiDocument.bytes()));
    router.route().failureHandler(HttpErrors::handleFailure);
    for (int status : new int[] {404, 405, 413, 400, 500}) {
      router.errorHandler(status, HttpErrors::handleFailure);
    }

    server = vertx.createHttpServer(new HttpServerOptions()
            .setHost(context.config().httpHost())
            .setPort(context.config().httpPort())
            .setCompressionSupported(true)
            .setMaxInitialLineLength(InvalidRequests.MAX_REQUEST_LINE)
            .setMaxHeaderSize(InvalidRequests.MAX_HEADERS))
        .invalidRequestHandler(InvalidRequests::answer)
        .webSocketHandshakeHandler(this::handshake)
        .webSocketHandler(this::webSocket)
        .requestHandler(router);
    Future<OpenAPIContract> contract = ApiDocument.contract(context, vertx);
    return Future.all(
            contract.onSuccess(c -> {
              validation = new RequestValidation(c);
              events.validateWith(validation);
              reads.validateWith(validation);
            }),
            events.listenForOutcomes(),
            vertx.eventBus().<JsonObject>consumer(Addresses.NOTIFICATIONS_LIVE,
                m -> m.body().getJsonArray("frames").forEach(frame -> hub.publish((JsonObject) frame)))
                .completion())
        .compose(v -> server.listen())
        .onSuccess(s -> LOG.info("HTTP API listening on {}:{}", context.config().httpHost(), s.actualPort()));
  }

  /** The routes this verticle serves (the WebSocket upgrade at {@link #WS_PATH} is not among them). */
  public Router router() {
    return router;
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }

  private void ready(RoutingContext ctx) {
    List<Future<JsonObject>> checks = new ArrayList<>();
    for (String address : List.of(Addresses.INGESTION_READY, Addresses.RULES_READY, Addresses.LEADERBOARDS_READY)) {
      checks.add(Bus.request(vertx, address, new JsonObject()).timeout(READY_TIMEOUT_MS,
          java.util.concurrent.TimeUnit.MILLISECONDS));
    }
    Future.all(checks).onComplete(ar -> {
      if (ar.succeeded()) {
        HttpErrors.json(ctx, 200, new JsonObject().put("status", "READY"));
      } else {
        HttpErrors.json(ctx, 503, Failure.body(ErrorCodes.STORE_UNAVAILABLE,
            "not ready: a store or part of the engine is unreachable", null));
      }
    });
  }

  private void handshake(ServerWebSocketHandshake hs) {
    if (!WS_PATH.equals(hs.path())) {
      hs.reject(404);
      return;
    }
    if (!gate.isOpen()) {
      hs.reject(503);
      return;
    }
    try {
      pushParams(queryParam(hs.query(), "learnerId"), queryParam(hs.query(), "since"));
      hs.accept();
    } catch (InvalidInputException e) {
      hs.reject(400);
    }
  }

  private void webSocket(ServerWebSocket ws) {
    PushParams params = pushParams(queryParam(ws.query(), "learnerId"), queryParam(ws.query(), "since"));
    PushHub.Connection connection = new PushHub.Connection(params.learnerId, params.since, params.replay, frame -> {
      if (ws.writeQueueFull()) {
        // A client that does not read must not grow our memory: it reconnects with since= and replays.
        ws.close((short) 1008, "too slow: reconnect with since=" + frame.getString("id"));
        return;
      }
      ws.writeTextMessage(frame.encode());
    }, this::replay);
    hub.add(connection);
    metrics.pushConnected();
    ws.closeHandler(v -> {
      hub.remove(connection);
      metrics.pushDisconnected();
    });
    if (params.replay) {
      replay(connection, params.since);
    }
  }

  private void serverSentEvents(RoutingContext ctx) {
    String since = ctx.request().getHeader("Last-Event-ID");
    if (since == null) {
      since = ctx.request().getParam("since");
    }
    PushParams params;
    try {
      params = pushParams(ctx.pathParam("learnerId"), since);
    } catch (InvalidInputException e) {
      HttpErrors.fail(ctx, e);
      return;
    }
    gate.longLived(ctx);
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("cache-control", "no-cache")
        .putHeader("connection", "keep-alive");
    response.write(": connected\n\n");
    PushHub.Connection connection = new PushHub.Connection(params.learnerId, params.since, params.replay, frame -> {
      if (response.writeQueueFull()) {
        // As for WebSocket: a client that does not read is closed and resumes with Last-Event-ID.
        response.reset();
        return;
      }
      response.write("id: " + frame.getString("id") + "\ndata: " + frame.encode() + "\n\n");
    }, this::replay);
    hub.add(connection);
    metrics.pushConnected();
    long keepAlive = vertx.setPeriodic(SSE_KEEPALIVE_MS, t -> response.write(": keep-alive\n\n"));
    response.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      hub.remove(connection);
      metrics.pushDisconnected();
    });
    if (params.replay) {
      replay(connection, params.since);
    }
  }

  private void replay(PushHub.Connection connection, long since) {
    Bus.request(vertx, Addresses.NOTIFICATIONS_HISTORY,
            new JsonObject().put("learnerId", connection.learnerId).put("after", since))
        .onComplete(ar -> {
          List<JsonObject> history = new ArrayList<>();
          if (ar.succeeded()) {
            JsonArray frames = ar.result().getJsonArray("notifications");
            frames.forEach(f -> history.add((JsonObject) f));
          } else {
            LOG.warn("Replay for {} failed: {}", connection.learnerId, ar.cause().toString());
          }
          connection.finishReplay(history);
        });
  }

  private record PushParams(String learnerId, long since, boolean replay) {
  }

  private static PushParams pushParams(String learnerId, String since) {
    if (!EventValidator.isValidLearnerId(learnerId)) {
      throw HttpErrors.badParam("learnerId", "learnerId must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -");
    }
    if (since == null || since.isEmpty()) {
      return new PushParams(learnerId, 0, false);
    }
    try {
      long seq = Long.parseLong(since);
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return new PushParams(learnerId, seq, true);
    } catch (NumberFormatException e) {
      throw HttpErrors.badParam("since", "since / Last-Event-ID must be a notification id received earlier");
    }
  }

  private static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        try {
          return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
          throw HttpErrors.badParam(name, name + " holds malformed percent-encoding");
        }
      }
    }
    return null;
  }
}
