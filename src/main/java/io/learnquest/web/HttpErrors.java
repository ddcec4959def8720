package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON responses and the JSON error body everywhere: never a stack trace, never HTML. */
final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);
  private HttpErrors() {
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    String text;
    try {
      text = body.encode();
    } catch (RuntimeException | StackOverflowError unencodable) {
      // The answer itself is broken (a value too deep to encode): still end the response, as JSON.
      LOG.error("The answer to {} {} could not be encoded", ctx.request().method(), ctx.request().path(),
          unencodable);
      status = 500;
      text = Failure.body(ErrorCodes.INTERNAL, "internal error: the answer could not be encoded", null).encode();
    }
    response.setStatusCode(status).putHeader("content-type", "application/json").end(text);
  }

  static void noContent(RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    if (!response.ended() && !response.closed()) {
      response.setStatusCode(204).end();
    }
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
    // Without a failure or a status (-1) nothing says the client erred: answer 500, not "http_-1".
    int status = ctx.statusCode() < 400 ? 500 : ctx.statusCode();
    String code = switch (status) {
      case 404 -> ErrorCodes.NOT_FOUND;
      case 405 -> ErrorCodes.METHOD_NOT_ALLOWED;
      case 413 -> ErrorCodes.PAYLOAD_TOO_LARGE;
      case 400 -> ErrorCodes.INVALID_REQUEST;
      default -> status >= 500 ? ErrorCodes.INTERNAL : ErrorCodes.INVALID_REQUEST;
    };
    String message = switch (status) {
      case 404 -> "no such resource: " + ctx.request().method() + " " + ctx.request().path();
      case 405 -> "method " + ctx.request().method() + " is not allowed here";
      case 413 -> "the request body is too large";
      case 500 -> "internal error";
      default -> "the request was refused (HTTP " + status + ")";
    };
    if (status >= 500) {
      LOG.error("{} {} failed without a cause (HTTP {})", ctx.request().method(), ctx.request().path(),
          ctx.statusCode());
    }
    json(ctx, status, Failure.body(code, message, null));
  }
}
