package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.json.JsonMapping;
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
    write(ctx, status, body);
  }

  /**
   * A message record as the JSON body: its components by name, in order, nulls included (but for
   * components marked {@code @JsonInclude(NON_NULL)}), instants as ISO-8601 text. Encoded straight
   * from the record by {@link JsonMapping#encode}, once, with no map or serializer on the way.
   */
  static void json(RoutingContext ctx, int status, Record body) {
    write(ctx, status, body);
  }

  /** An answer already encoded as JSON text (an applied event's outcome, encoded once by the rules). */
  static void jsonText(RoutingContext ctx, int status, String json) {
    HttpServerResponse response = ctx.response();
    if (!response.ended() && !response.closed()) {
      response.setStatusCode(status).putHeader("content-type", "application/json");
      AnswerCompression.end(ctx, json);
    }
  }

  private static void write(RoutingContext ctx, int status, Object body) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    String text;
    try {
      text = body instanceof JsonObject json ? json.encode() : JsonMapping.encode(body);
    } catch (RuntimeException | StackOverflowError unencodable) {
      // The answer itself is broken (a value too deep to encode): still end the response, as JSON.
      LOG.error("The answer to {} {} could not be encoded", ctx.request().method(), ctx.request().path(),
          unencodable);
      status = 500;
      text = Failure.body(ErrorCodes.INTERNAL, "internal error: the answer could not be encoded", null).encode();
    }
    jsonText(ctx, status, text);
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
    json(ctx, status(e.failure()), e.body());
  }

  /** The one place a failure's code becomes an HTTP status. */
  static int status(Failure failure) {
    return switch (failure) {
      case INVALID_INPUT -> 400;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case PAYLOAD_TOO_LARGE -> 413;
      case INTERNAL -> 500;
      // the store can never hold the request's own data: the request is what must change
      case STORE_REFUSED -> 400;
      case STORE_UNAVAILABLE, STORE_FULL, OVERLOADED -> 503;
    };
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
