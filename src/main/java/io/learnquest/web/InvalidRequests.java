package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Requests the HTTP decoder refuses before any route sees them: a request line longer than
 * {@link #MAX_REQUEST_LINE} (414), headers larger than {@link #MAX_HEADERS} (431), or a request that
 * is not HTTP (400). Vert.x answers these with an empty body; this answers them with the JSON error
 * body like every other refusal, then closes the connection as Vert.x does (what follows a broken
 * request on the same connection cannot be trusted).
 */
final class InvalidRequests {
  /** The request line (method, URI, version), in bytes: Vert.x's default. */
  static final int MAX_REQUEST_LINE = 4_096;
  /** All headers together, in bytes: Vert.x's default. */
  static final int MAX_HEADERS = 8_192;

  private InvalidRequests() {
  }

  static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    JsonObject body;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      body = Failure.body(ErrorCodes.URI_TOO_LONG,
          "the request line is longer than " + MAX_REQUEST_LINE + " bytes", null);
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      body = Failure.body(ErrorCodes.HEADERS_TOO_LARGE,
          "the request headers are larger than " + MAX_HEADERS + " bytes", null);
    } else {
      status = 400;
      body = Failure.body(ErrorCodes.INVALID_REQUEST, "the request is not valid HTTP", null);
    }
    HttpServerResponse response = request.response();
    response.setStatusCode(status).putHeader("content-type", "application/json").putHeader("connection", "close")
        .end(body.encode()).onComplete(done -> request.connection().close());
  }
}
