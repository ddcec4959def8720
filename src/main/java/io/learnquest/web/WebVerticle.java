package io.learnquest.web;

import io.learnquest.EngineContext;
import io.learnquest.auth.Authenticator;
import io.learnquest.auth.Caller;
import io.learnquest.auth.Unauthorized;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.IdShape;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.notifications.NotificationsService;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.rules.RulesService;
import io.learnquest.ingestion.IngestionService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
  private NotificationsService notifications;
  /** The owners of the stores that readiness ({@code /ready}) asks after. */
  private IngestionService ingestion;
  private RulesService rules;
  private LeaderboardsService leaderboards;
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
  /** Route metadata: the {@link Access} name of the route. */
  public static final String ACCESS = "access";
  static final String AUTHENTICATOR = "web.authenticator";
  static final String AUTHENTICATOR_LISTENING = "web.authenticator.listening";
  /** Admin and auth bodies are small JSON objects. */
  static final int SMALL_BODY_BYTES = 65_536;
  static final String RATE_LIMITER = "web.rateLimiter";
  /** WebSocket close code of a connection refused or ended by a limit (policy violation). */
  static final short CLOSE_POLICY = 1008;
  private PushConnections connections;
  private Authenticator authenticator;
  private Security security;
  private RateLimiter limiter;

  public WebVerticle(EngineContext context) {
    this.context = context;
    this.gate = RequestGate.of(context);
  }

  @Override
  public Future<?> start() {
    Context own = vertx.getOrCreateContext();
    authenticator = context.shared(AUTHENTICATOR, () -> new Authenticator(vertx, context.stores().auth(),
        context.config().auth().cacheTtlMs()));
    metrics = EngineMetrics.of(vertx);
    metrics.requestsInFlightFrom(gate::inFlight);
    connections = context.shared(PushConnections.KEY, () -> new PushConnections(vertx,
        context.stores().connectionLeases(), context.config().limits().connectionLeaseMs(),
        context.config().limits().storeWaitMs()));
    limiter = context.shared(RATE_LIMITER, () -> new RateLimiter(vertx, context.stores().rateLimits(),
        context.config().limits(), context.clock()));
    security = new Security(authenticator, limiter, metrics);
    notifications = new NotificationsService(vertx);
    ingestion = new IngestionService(vertx);
    rules = new RulesService(vertx);
    leaderboards = new LeaderboardsService(vertx);
    EventRoutes events = new EventRoutes(vertx, context, limiter);
    ReadRoutes reads = new ReadRoutes(vertx, context);
    AuthRoutes auth = new AuthRoutes(vertx, context.stores().auth(), authenticator, context.clock());
    router = Router.router(vertx);
    // First of all: the request's time, from its arrival to its answer.
    router.route().handler(new ResponseTimes(metrics)::handle);
    // Then the request's id, so every answer (refusals too) and log line carries it.
    router.route().handler(RequestIds::handle);
    // Before anything reads a parameter: malformed percent-encoding is the client's 400, not a 500.
    router.route().handler(EncodingGuard::check);
    // Then the security headers on every response, and CORS preflights answered.
    router.route().handler(security::browserRules);
    MetricsRoute metricsRoute = new MetricsRoute(vertx, context.stores().events(), context.config().metrics());
    // /metrics has a guard of its own (METRICS_TOKEN, or this host only), not an API key's.
    route(HttpMethod.GET, MetricsRoute.PATH, Access.PUBLIC, null, metricsRoute::handle);
    BodyHandler eventBody = BodyHandler.create(false).setBodyLimit(context.config().maxEventBytes());
    BodyHandler batchBody = BodyHandler.create(false).setBodyLimit(context.config().maxBatchBytes());
    BodyHandler smallBody = BodyHandler.create(false).setBodyLimit(SMALL_BODY_BYTES);

    router.route().handler(gate);
    route(HttpMethod.POST, "/api/v1/events/batch", Access.EVENTS_WRITE, batchBody, events::postBatch);
    route(HttpMethod.POST, "/api/v1/events", Access.EVENTS_WRITE, eventBody, events::postEvent);
    route(HttpMethod.POST, "/api/v1/events/:eventId/void", Access.ADMIN, smallBody, new VoidRoutes(vertx)::voidEvent);
    route(HttpMethod.GET, "/api/v1/learners/:learnerId", Access.LEARNER, null, reads::profile);
    route(HttpMethod.GET, "/api/v1/learners/:learnerId/xp", Access.LEARNER, null, reads::ledger);
    route(HttpMethod.GET, "/api/v1/learners/:learnerId/badges", Access.LEARNER, null, reads::badges);
    route(HttpMethod.GET, "/api/v1/learners/:learnerId/transitions", Access.LEARNER, null, reads::transitions);
    route(HttpMethod.GET, "/api/v1/learners/:learnerId/flags", Access.LEARNER, null, reads::flags);
    route(HttpMethod.GET, "/api/v1/flags", Access.ADMIN, null, reads::allFlags);
    route(HttpMethod.GET, "/api/v1/learners/:learnerId/notifications", Access.LEARNER_PUSH, null,
        this::serverSentEvents);
    route(HttpMethod.GET, "/api/v1/badges", Access.CATALOG, null, reads::catalog);
    route(HttpMethod.PUT, "/api/v1/badges/:badgeId", Access.RULES_WRITE, eventBody, reads::defineBadge);
    route(HttpMethod.DELETE, "/api/v1/badges/:badgeId", Access.RULES_WRITE, null, reads::retireBadge);
    route(HttpMethod.GET, "/api/v1/leaderboards/global", Access.BOARD, null, reads::globalBoard);
    route(HttpMethod.GET, "/api/v1/leaderboards/global/around/:learnerId", Access.BOARD_AROUND, null,
        reads::globalAround);
    route(HttpMethod.GET, "/api/v1/leaderboards/courses/:courseId", Access.BOARD, null, reads::courseBoard);
    route(HttpMethod.GET, "/api/v1/leaderboards/courses/:courseId/around/:learnerId", Access.BOARD_AROUND, null,
        reads::courseAround);
    route(HttpMethod.POST, "/api/v1/admin/leaderboards/rebuild", Access.ADMIN, smallBody, reads::rebuildLeaderboards);
    JobRoutes jobs = new JobRoutes(vertx);
    route(HttpMethod.GET, "/api/v1/jobs", Access.ADMIN, null, jobs::list);
    route(HttpMethod.GET, "/api/v1/jobs/:jobId", Access.ADMIN, null, jobs::get);
    route(HttpMethod.POST, "/api/v1/admin/inactivity/sweep", Access.ADMIN, smallBody, reads::sweepInactivity);
    QuarantineRoutes quarantine = new QuarantineRoutes(vertx);
    route(HttpMethod.GET, "/api/v1/admin/quarantine", Access.ADMIN, null, quarantine::list);
    route(HttpMethod.POST, "/api/v1/admin/quarantine/:eventId/retry", Access.ADMIN, smallBody, quarantine::retry);
    route(HttpMethod.POST, "/api/v1/admin/quarantine/:eventId/discard", Access.ADMIN, smallBody,
        quarantine::discard);
    route(HttpMethod.POST, "/api/v1/keys", Access.ADMIN, smallBody, auth::createKey);
    route(HttpMethod.GET, "/api/v1/keys", Access.ADMIN, null, auth::listKeys);
    route(HttpMethod.DELETE, "/api/v1/keys/:keyId", Access.ADMIN, null, auth::revokeKey);
    route(HttpMethod.PUT, "/api/v1/auth/learner-tokens", Access.ADMIN, smallBody, auth::setLearnerTokens);
    route(HttpMethod.PUT, "/api/v1/auth/origins", Access.ADMIN, smallBody, auth::setOrigins);
    route(HttpMethod.POST, "/api/v1/tenants", Access.OPERATOR, smallBody, auth::createTenant);
    route(HttpMethod.GET, "/api/v1/tenants", Access.OPERATOR, null, auth::listTenants);
    route(HttpMethod.DELETE, "/api/v1/tenants/:tenantId", Access.OPERATOR, null, auth::deleteTenant);
    AtomicBoolean sweeper = context.inactivitySweeperHeld();
    route(HttpMethod.GET, "/health", Access.PUBLIC, null, ctx -> HttpErrors.json(ctx, 200,
        new JsonObject().put("status", "UP").put("inactivitySweeper", sweeper.get())));
    route(HttpMethod.GET, "/ready", Access.PUBLIC, null, this::ready);
    route(HttpMethod.GET, ApiDocument.PATH, Access.PUBLIC, null, ctx -> {
      ctx.response().putHeader("content-type", "application/json");
      AnswerCompression.end(ctx, ApiDocument.bytes(), ApiDocument.gzipped());
    });
    router.route().failureHandler(HttpErrors::handleFailure);
    for (int status : new int[] {404, 405, 413, 400, 500}) {
      router.errorHandler(status, HttpErrors::handleFailure);
    }

    HttpServerOptions options = new HttpServerOptions();
    if (context.config().limits().httpSocketSendBufferBytes() > 0) {
      options.setSendBufferSize(context.config().limits().httpSocketSendBufferBytes());
    }
    server = vertx.createHttpServer(options
            .setHost(context.config().httpHost())
            .setPort(context.config().httpPort())
            // answers are compressed by AnswerCompression, the large ones only
            .setCompressionSupported(false)
            // a connection on which nothing moves is closed: idle sockets must not pile up until
            // the node runs out of file handles (push streams send keep-alives well within it)
            .setIdleTimeout(context.config().limits().httpIdleTimeoutSeconds())
            .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS)
            .setMaxInitialLineLength(InvalidRequests.MAX_REQUEST_LINE)
            .setMaxHeaderSize(InvalidRequests.MAX_HEADERS))
        .invalidRequestHandler(InvalidRequests::answer)
        .webSocketHandshakeHandler(this::handshake)
        // connections are set up once the handshake's guard accepted them (see handshake)
        .webSocketHandler(ws -> {
        })
        .requestHandler(router);
    Future<OpenAPIContract> contract = ApiDocument.contract(context, vertx);
    return Future.all(
            contract.onSuccess(c -> {
              validation = new RequestValidation(c);
              reads.validateWith(validation);
            }),
            events.listenForOutcomes(),
            context.shared(AUTHENTICATOR_LISTENING, authenticator::listen),
            vertx.eventBus().<NotificationsService.Live>consumer(Addresses.NOTIFICATIONS_LIVE,
                m -> m.body().forEach(learnerId -> hub.serves(m.body().tenant(), learnerId),
                    n -> hub.publish(m.body().tenant(), n))).completion())
        .compose(v -> listenOn(own, server))
        .onSuccess(s -> LOG.info("HTTP API listening on {}:{}", context.config().httpHost(), s.actualPort()));
  }

  /**
   * Binds the server on this instance's own context. A server serves its connections on the context
   * it was bound from, and the future it waits for (the API document, loaded once per node from
   * another context) may complete elsewhere: bound from there, every request ran beside this
   * instance's own event loop, and the state this instance keeps (waiting requests, batched
   * submissions) was changed from two threads at once.
   */
  private static Future<HttpServer> listenOn(Context own, HttpServer server) {
    Promise<HttpServer> bound = Promise.promise();
    own.runOnContext(v -> server.listen().onComplete(bound));
    return bound.future();
  }

  /** The routes this verticle serves (the WebSocket upgrade at {@link #WS_PATH} is not among them). */
  public Router router() {
    return router;
  }

  /**
   * Registers one route with who may call it (kept as the route's {@link #ACCESS} metadata, so the
   * router itself is the list of routes and their rules). POST and PUT always read their body
   * through a body handler, after the guard; the parameters are checked against the API document
   * after both.
   */
  private void route(HttpMethod method, String path, Access access, BodyHandler body, Handler<RoutingContext> handler) {
    Route route = router.route(method, path).putMetadata(ACCESS, access.name());
    route.handler(ResponseTimes.naming(path));
    route.handler(security.guard(access, body != null));
    if (body != null) {
      route.handler(body);
    }
    // Then its parameters are checked against the API document: after the guard, so a caller
    // without credentials is answered 401 whatever else is wrong with the request.
    route.handler(ctx -> validation.parameters(ctx));
    route.handler(handler);
  }

  /**
   * Every route of the router as {@code METHOD path} with its access rule (null for a route
   * registered without one: a bug the security suite catches).
   */
  public java.util.Map<String, String> routeAccess() {
    java.util.Map<String, String> rules = new java.util.TreeMap<>();
    for (Route r : router.getRoutes()) {
      if (r.getPath() == null) {
        continue;
      }
      Set<HttpMethod> methods = r.methods() == null || r.methods().isEmpty() ? Set.of() : r.methods();
      Object access = r.getMetadata(ACCESS);
      if (methods.isEmpty()) {
        rules.put("* " + r.getPath(), access == null ? null : access.toString());
      }
      for (HttpMethod m : methods) {
        rules.put(m.name() + " " + r.getPath(), access == null ? null : access.toString());
      }
    }
    return rules;
  }

  /** The port actually bound (useful with port 0 in tests). */
  public int actualPort() {
    return server.actualPort();
  }

  private void ready(RoutingContext ctx) {
    List<Future<Void>> checks = new ArrayList<>();
    for (Future<Void> check : List.of(ingestion.ready(), rules.ready(), leaderboards.ready())) {
      checks.add(check.timeout(READY_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS));
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

  /**
   * The WebSocket's own guard (upgrades do not pass the router): credentials from the
   * Authorization header or {@code ?access_token=} (browsers cannot set headers on a WebSocket),
   * the learner's own token or a key with {@code learners:read}, and a browser's Origin allowed by
   * the caller's tenant.
   */
  private void handshake(ServerWebSocketHandshake hs) {
    if (!WS_PATH.equals(hs.path())) {
      hs.reject(404);
      return;
    }
    if (!gate.isOpen()) {
      hs.reject(503);
      return;
    }
    Context here = Vertx.currentContext();
    PushParams params;
    try {
      params = pushParams(Security.queryParam(hs.query(), "learnerId"), Security.queryParam(hs.query(), "since"));
    } catch (InvalidInputException e) {
      hs.reject(400);
      return;
    }
    String bearer = Security.bearer(hs.headers().get(HttpHeaders.AUTHORIZATION));
    if (bearer == null) {
      bearer = Security.queryParam(hs.query(), Security.ACCESS_TOKEN);
    }
    String origin = hs.headers().get(HttpHeaders.ORIGIN);
    authenticator.authenticate(bearer).compose(caller -> {
      Security.authorize(Access.LEARNER_PUSH, caller, params.learnerId);
      return limiter.request(caller).map(caller);
    }).compose(caller -> {
      if (origin == null) {
        return Future.succeededFuture(caller);
      }
      return authenticator.tenant(caller.tenantId()).compose(tenant -> tenant.origins().contains(origin)
          ? Future.succeededFuture(caller)
          : Future.failedFuture(new Security.Forbidden("this origin is not allowed")));
    }).onComplete(ar -> {
      if (ar.failed()) {
        hs.reject(ar.cause() instanceof Unauthorized ? 401 : ar.cause() instanceof Security.Forbidden ? 403
            : ar.cause() instanceof RateLimiter.Limited ? 429 : 503);
        return;
      }
      Caller caller = ar.result();
      int max = context.config().limits().of(caller.tenantId()).connectionsPerLearner();
      onContext(here, connections.open(caller.tenantId(), params.learnerId, max), opened -> {
        if (opened.failed()) {
          // accepted, then closed with the reason: a browser sees the close, not a refused handshake's status
          hs.accept().onSuccess(ws -> ws.close(CLOSE_POLICY, opened.cause().getMessage()));
          return;
        }
        hs.accept().onComplete(accepted -> {
          if (accepted.failed()) {
            connections.close(opened.result());
          } else {
            webSocket(accepted.result(), caller, params, opened.result());
          }
        });
      });
    });
  }

  /**
   * Runs {@code then} with the outcome of {@code work} on {@code here}, the connection's own
   * context, whatever thread completed it: what it checks and what it sets up about the connection
   * then happens in one turn of the connection's event loop, never beside it.
   */
  private static <T> void onContext(Context here, Future<T> work, Handler<io.vertx.core.AsyncResult<T>> then) {
    work.onComplete(ar -> {
      if (Vertx.currentContext() == here) {
        then.handle(ar);
      } else {
        here.runOnContext(v -> then.handle(ar));
      }
    });
  }

  private void webSocket(ServerWebSocket ws, Caller caller, PushParams params, PushConnections.Held held) {
    String tenant = caller.tenantId();
    ws.setWriteQueueMaxSize(context.config().limits().pushSendBufferBytes());
    AtomicBoolean dropped = new AtomicBoolean();
    PushHub.Connection connection = new PushHub.Connection(tenant, params.learnerId, params.since, params.replay,
        frame -> {
      if (dropped.get()) {
        return;
      }
      if (ws.writeQueueFull()) {
        // A client that does not read must not grow our memory: it reconnects with since= and replays.
        dropped.set(true);
        SlowClients.drop(vertx, ws, CLOSE_POLICY, "too slow: reconnect with since=" + frame.id());
        return;
      }
      ws.writeTextMessage(frame.json());
    }, this::replay);
    hub.add(connection);
    metrics.pushConnected();
    // a ping keeps a quiet WebSocket within the idle timeout; the client's pong answers it
    long keepAlive = vertx.setPeriodic(keepAliveMs(), t -> {
      if (!ws.writeQueueFull()) {
        ws.writePing(io.vertx.core.buffer.Buffer.buffer());
      }
    });
    ws.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      connections.close(held);
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
    String tenant = RequestTenant.of(ctx);
    int max = context.config().limits().of(tenant).connectionsPerLearner();
    onContext(Vertx.currentContext(), connections.open(tenant, params.learnerId, max), opened -> {
      if (opened.failed()) {
        HttpErrors.json(ctx, 429, Failure.body(ErrorCodes.TOO_MANY_CONNECTIONS, opened.cause().getMessage(), null));
      } else if (ctx.response().closed()) {
        // the client left while its lease was taken
        connections.close(opened.result());
      } else {
        stream(ctx, params, opened.result());
      }
    });
  }

  private void stream(RoutingContext ctx, PushParams params, PushConnections.Held held) {
    gate.longLived(ctx);
    HttpServerResponse response = ctx.response()
        .setChunked(true)
        .putHeader("content-type", "text/event-stream")
        .putHeader("connection", "keep-alive");
    response.setWriteQueueMaxSize(context.config().limits().pushSendBufferBytes());
    response.write(": connected\n\n");
    AtomicBoolean dropped = new AtomicBoolean();
    PushHub.Connection connection = new PushHub.Connection(RequestTenant.of(ctx), params.learnerId, params.since,
        params.replay, frame -> {
      if (dropped.get()) {
        return;
      }
      if (response.writeQueueFull()) {
        // As for WebSocket: a client that does not read is closed and resumes with Last-Event-ID.
        dropped.set(true);
        SlowClients.drop(ctx.request().connection());
        return;
      }
      response.write("id: " + frame.id() + "\ndata: " + frame.json() + "\n\n");
    }, this::replay);
    hub.add(connection);
    metrics.pushConnected();
    long keepAlive = vertx.setPeriodic(keepAliveMs(), t -> {
      if (!response.writeQueueFull()) {
        response.write(": keep-alive\n\n");
      }
    });
    response.closeHandler(v -> {
      vertx.cancelTimer(keepAlive);
      connections.close(held);
      hub.remove(connection);
      metrics.pushDisconnected();
    });
    if (params.replay) {
      replay(connection, params.since);
    }
  }

  /** How often a quiet push connection sends something: well within the HTTP idle timeout. */
  private long keepAliveMs() {
    return Math.max(100, Math.min(SSE_KEEPALIVE_MS, context.config().limits().httpIdleTimeoutSeconds() * 1000L / 3));
  }

  private void replay(PushHub.Connection connection, long since) {
    notifications.history(connection.tenant, connection.learnerId, since)
        .onComplete(ar -> {
          List<PushHub.Frame> history = new ArrayList<>();
          if (ar.succeeded()) {
            ar.result().notifications().forEach(n -> history.add(PushHub.Frame.of(n)));
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
      throw HttpErrors.badParam("learnerId", IdShape.LEARNER_ID.refusal("learnerId"));
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
}
