package io.learnquest.web;

import io.learnquest.auth.Authenticator;
import io.learnquest.auth.Caller;
import io.learnquest.auth.Scope;
import io.learnquest.auth.Unauthorized;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.SecurityPolicyHandler;

/**
 * The web side of docs/api.md, "Credentials": the guard in front of every route (who is calling, may they
 * call this), the browser rules (security headers, CORS, JSON bodies only), and the same checks for
 * the WebSocket handshake. The caller goes on the routing context as {@code caller}, its tenant as
 * {@code tenantId} ({@link RequestTenant}).
 */
final class Security {
  static final String CALLER = "caller";
  static final String ACCESS_TOKEN = "access_token";
  static final String CSP = "default-src 'none'; frame-ancestors 'none'";
  /**
   * The security headers of every answer, names and values in turn, made once as Vert.x's optimized
   * header text: checked and hashed here, not again on each of thousands of answers a second.
   */
  private static final CharSequence[] BROWSER_HEADERS = {
      HttpHeaders.createOptimized("X-Content-Type-Options"), HttpHeaders.createOptimized("nosniff"),
      HttpHeaders.createOptimized("Referrer-Policy"), HttpHeaders.createOptimized("no-referrer"),
      HttpHeaders.createOptimized("Content-Security-Policy"), HttpHeaders.createOptimized(CSP),
      HttpHeaders.createOptimized("X-Frame-Options"), HttpHeaders.createOptimized("DENY"),
      HttpHeaders.CACHE_CONTROL, HttpHeaders.createOptimized("no-store")};
  static final String ALLOWED_METHODS = "GET, POST, PUT, DELETE";
  static final String ALLOWED_HEADERS = "authorization, content-type, last-event-id";
  static final String PREFLIGHT_MAX_AGE = "600";

  private final Authenticator auth;
  private final RateLimiter limiter;
  private final EngineMetrics metrics;

  Security(Authenticator auth, RateLimiter limiter, EngineMetrics metrics) {
    this.auth = auth;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  /** A failure to tell the caller as 403 (valid credentials, not for this). */
  static final class Forbidden extends RuntimeException {
    Forbidden(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * First on every request: the security headers on whatever answers it, and CORS preflights,
   * answered with a grant only for an origin some tenant allows (a preflight carries no credentials;
   * the real request then gets its grant only from its caller's own tenant).
   */
  void browserRules(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    response.headersEndHandler(v -> {
      MultiMap headers = response.headers();
      for (int i = 0; i < BROWSER_HEADERS.length; i += 2) {
        headers.set(BROWSER_HEADERS[i], BROWSER_HEADERS[i + 1]);
      }
    });
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (request.method() == HttpMethod.OPTIONS && origin != null
        && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
      auth.originAllowedAnywhere(origin).onComplete(ar -> {
        if (ar.succeeded() && ar.result()) {
          response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
              .putHeader(HttpHeaders.VARY, "Origin")
              .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
              .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
              .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE)
              .setStatusCode(204).end();
        } else if (ar.failed()) {
          HttpErrors.fail(ctx, ar.cause());
        } else {
          HttpErrors.json(ctx, 403, Failure.body(ErrorCodes.FORBIDDEN, "this origin is not allowed", null));
        }
      });
      return;
    }
    ctx.next();
  }

  /**
   * The guard of one route. A cached key is decided on the spot; otherwise the request is paused
   * while the stores answer, so its body waits for the body handler that follows
   * ({@code bodyFollows}), or is resumed and dropped.
   */
  SecurityPolicyHandler guard(Access access, boolean bodyFollows) {
    if (access == Access.PUBLIC) {
      return RoutingContext::next;
    }
    // A security-policy handler, so Vert.x Web lets it run before the body is read: a caller
    // without credentials never gets its body buffered.
    return ctx -> {
      HttpServerRequest request = ctx.request();
      String queryToken = queryParam(request.query(), ACCESS_TOKEN);
      if (queryToken != null && access != Access.LEARNER_PUSH) {
        unauthorized(ctx, "access_token in the query string is accepted only by the WebSocket and SSE endpoints; "
            + "send Authorization: Bearer");
        return;
      }
      String bearer = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
      if (bearer == null) {
        bearer = queryToken;
      }
      Future<Caller> caller = auth.authenticate(bearer);
      if (caller.isComplete()) {
        decide(ctx, access, caller, bodyFollows, false);
      } else {
        request.pause();
        caller.onComplete(ar -> decide(ctx, access, caller, bodyFollows, true));
      }
    };
  }

  private void decide(RoutingContext ctx, Access access, Future<Caller> result, boolean bodyFollows, boolean paused) {
    if (result.failed()) {
      if (paused) {
        ctx.request().resume();
      }
      fail(ctx, result.cause());
      return;
    }
    Caller caller = result.result();
    try {
      authorize(access, caller, ctx.pathParam("learnerId"));
      checkBody(ctx.request());
    } catch (Forbidden | UnsupportedMedia e) {
      if (paused) {
        ctx.request().resume();
      }
      fail(ctx, e);
      return;
    }
    // Only a caller who may call the route spends its budget; a refused one is answered first. The
    // event routes take the request's budget together with its learners' (EventRoutes): one round
    // trip to the budgets per event instead of two.
    Future<Void> allowed = access == Access.EVENTS_WRITE ? Future.succeededFuture() : limiter.request(caller);
    if (allowed.isComplete()) {
      admit(ctx, access, caller, allowed, bodyFollows, paused);
    } else {
      if (!paused) {
        ctx.request().pause();
      }
      allowed.onComplete(ar -> admit(ctx, access, caller, allowed, bodyFollows, true));
    }
  }

  private void admit(RoutingContext ctx, Access access, Caller caller, Future<Void> allowed, boolean bodyFollows,
                     boolean paused) {
    if (allowed.failed()) {
      if (paused) {
        ctx.request().resume();
      }
      fail(ctx, allowed.cause());
      return;
    }
    ctx.put(CALLER, caller);
    if (caller.tenantId() != null) {
      ctx.put(RequestTenant.KEY, caller.tenantId());
    }
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin == null || caller.tenantId() == null) {
      proceed(ctx, bodyFollows, paused);
      return;
    }
    if (!paused) {
      ctx.request().pause();
    }
    auth.tenant(caller.tenantId()).onComplete(ar -> {
      if (ar.succeeded() && ar.result().origins().contains(origin)) {
        ctx.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin).putHeader(HttpHeaders.VARY, "Origin");
      }
      proceed(ctx, bodyFollows, true);
    });
  }

  private static void proceed(RoutingContext ctx, boolean bodyFollows, boolean paused) {
    if (paused && !bodyFollows) {
      ctx.request().resume();
    }
    ctx.next();
  }

  /** Throws {@link Forbidden} unless the caller may call a route of this access. */
  static void authorize(Access access, Caller caller, String pathLearnerId) {
    boolean ownLearner = caller.kind() == Caller.Kind.LEARNER && caller.learnerId().equals(pathLearnerId);
    boolean allowed = switch (access) {
      case PUBLIC -> true;
      case OPERATOR -> caller.kind() == Caller.Kind.OPERATOR;
      case EVENTS_WRITE -> caller.has(Scope.EVENTS_WRITE);
      case LEARNER, LEARNER_PUSH -> caller.has(Scope.LEARNERS_READ) || ownLearner;
      case CATALOG -> caller.kind() == Caller.Kind.KEY || caller.kind() == Caller.Kind.LEARNER;
      case BOARD -> caller.has(Scope.LEADERBOARDS_READ) || caller.kind() == Caller.Kind.LEARNER;
      case BOARD_AROUND -> caller.has(Scope.LEADERBOARDS_READ) || ownLearner;
      case RULES_WRITE -> caller.has(Scope.RULES_WRITE);
      case ADMIN -> caller.has(Scope.ADMIN);
    };
    if (!allowed) {
      throw new Forbidden(caller.kind() == Caller.Kind.LEARNER
          ? "a learner token reads only its own learner and its tenant's leaderboards"
          : "this credential lacks the scope this route needs");
    }
  }

  /** A failure to tell the caller as 415. */
  static final class UnsupportedMedia extends RuntimeException {
    UnsupportedMedia() {
      super("the body must be JSON: send content-type: application/json", null, false, false);
    }
  }

  /** A POST or PUT that carries a body (or names its type) must say it is JSON. */
  private static void checkBody(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST && request.method() != HttpMethod.PUT) {
      return;
    }
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    boolean hasBody = request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
        || (length != null && !length.trim().equals("0"));
    if (type == null ? hasBody : !isJson(type)) {
      throw new UnsupportedMedia();
    }
  }

  static boolean isJson(String contentType) {
    int semi = contentType.indexOf(';');
    String mediaType = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    return mediaType.equalsIgnoreCase("application/json");
  }

  static void fail(RoutingContext ctx, Throwable cause) {
    if (cause instanceof Unauthorized u) {
      unauthorized(ctx, u.getMessage());
    } else if (cause instanceof Forbidden f) {
      HttpErrors.json(ctx, 403, Failure.body(ErrorCodes.FORBIDDEN, f.getMessage(), null));
    } else if (cause instanceof RateLimiter.Limited l) {
      tooMany(ctx, l);
    } else if (cause instanceof UnsupportedMedia u) {
      HttpErrors.json(ctx, 415, Failure.body(ErrorCodes.UNSUPPORTED_MEDIA_TYPE, u.getMessage(), null));
    } else {
      HttpErrors.fail(ctx, cause);
    }
  }

  /** 429 {@code rate_limited} with Retry-After in seconds. */
  static void tooMany(RoutingContext ctx, RateLimiter.Limited limited) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds));
    }
    HttpErrors.json(ctx, 429, Failure.body(ErrorCodes.RATE_LIMITED, limited.getMessage(), null));
  }

  static void unauthorized(RoutingContext ctx, String message) {
    if (!ctx.response().ended()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
    }
    HttpErrors.json(ctx, 401, Failure.body(ErrorCodes.UNAUTHORIZED, message, null));
  }

  /** The credential of {@code Authorization: Bearer <credential>}, or null. */
  static String bearer(String header) {
    if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String credential = header.substring(7).trim();
    return credential.isEmpty() ? null : credential;
  }

  /** One parameter of a raw query string, URL-decoded; null when absent. */
  static String queryParam(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        try {
          return java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
          return value;
        }
      }
    }
    return null;
  }
}
