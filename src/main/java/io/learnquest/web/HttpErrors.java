package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON responses and the JSON error body everywhere: never a stack trace, never HTML. */
final class HttpErrors {
  private HttpErrors() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  /** Seconds an overloaded node asks a client to wait: about what it takes to apply a backlog's worth. */
  static final String OVERLOADED_RETRY_AFTER_S = "1";

  static void fail(RoutingContext ctx, Throwable cause) {
    Failure.EngineException e = Failure.from(cause);
    if (e.failure() == Failure.OVERLOADED && !ctx.response().headWritten()) {
      ctx.response().putHeader("retry-after", OVERLOADED_RETRY_AFTER_S);
    }
    json(ctx, e.failure().httpStatus(), e.body());
  }

  static InvalidInputException badParam(String name, String message) {
    return new InvalidInputException(ErrorCodes.INVALID_VALUE, message, name);
  }

  /** The failure handler of the router: statuses Vert.x Web sets itself (404, 405, 413) included. */
  static void handleFailure(RoutingContext ctx) {
    if (ctx.failure() != null) {
      fail(ctx, ctx.failure());
      return;
    }
    int status = ctx.statusCode();
    String code = switch (status) {
      case 404 -> ErrorCodes.NOT_FOUND;
      case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
      case 400 -> ErrorCodes.INVALID_JSON;
      default -> status >= 500 ? ErrorCodes.INTERNAL : "http_" + status;
    };
    String message = switch (status) {
      case 404 -> "no such resource: " + ctx.request().method() + " " + ctx.request().path();
      case 405 -> "method " + ctx.request().method() + " is not allowed here";
      case 413 -> "the request body is too large";
      default -> "request failed with HTTP " + status;
    };
    json(ctx, status < 400 ? 500 : status, Failure.body(code, message, null));
  }
}
