package io.learnquest.bus;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.store.StoreException;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures that cross the event bus: a named code (the bus failure code) and the JSON error body
 * of docs/api.md ("Errors") as the message. A store's own {@link StoreException} becomes one here
 * ({@link #from}), at the boundary of the verticle that called the store; {@code web/HttpErrors}
 * is the one place a failure becomes an HTTP status.
 */
public enum Failure {
  INVALID_INPUT(1),
  NOT_FOUND(2),
  CONFLICT(3),
  PAYLOAD_TOO_LARGE(4),
  STORE_UNAVAILABLE(5),
  INTERNAL(6),
  /**
   * The store refused the data for good (PostgreSQL's data and constraint errors): retrying the
   * same write can never succeed, unlike {@link #STORE_UNAVAILABLE}. Over HTTP it answers a
   * request whose own data the store cannot hold.
   */
  STORE_REFUSED(7),
  /** The embedded default reached its configured bound of learners or events. */
  STORE_FULL(8),
  /** Too many accepted events wait to be applied: refused rather than queued without limit. */
  OVERLOADED(9);

  private static final Logger LOG = LoggerFactory.getLogger(Failure.class);
  private final int code;

  Failure(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Failure ofCode(int code) {
    for (Failure f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    return INTERNAL;
  }

  public static JsonObject body(String error, String message, String field) {
    return new JsonObject().put("error", error).put("message", message).put("field", field);
  }

  /** An exception carrying this failure, for use inside futures. */
  public EngineException exception(String error, String message, String field) {
    return new EngineException(this, body(error, message, field));
  }

  /** Answers a bus request with the failure that {@code cause} stands for. */
  public static void reply(Message<?> message, Throwable cause) {
    EngineException e = from(cause);
    message.fail(e.failure().code, e.body().encode());
  }

  /** The failure a batched answer carried for one of its items. */
  public static EngineException fromBody(int code, JsonObject body) {
    return new EngineException(ofCode(code), body);
  }

  /**
   * Classifies any throwable: our own exceptions keep their code, a store's failure becomes the
   * failure of its kind, bad input is {@link #INVALID_INPUT}, the rest {@link #INTERNAL}.
   */
  public static EngineException from(Throwable cause) {
    if (cause instanceof EngineException e) {
      return e;
    }
    if (cause instanceof StoreException e) {
      return of(e);
    }
    if (cause instanceof InvalidInputException e) {
      return INVALID_INPUT.exception(e.code(), e.getMessage(), e.field());
    }
    if (cause instanceof ReplyException re) {
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        JsonObject body;
        try {
          body = new JsonObject(re.getMessage());
        } catch (RuntimeException notJson) {
          body = body(ErrorCodes.INTERNAL, "internal error", null);
        }
        return new EngineException(ofCode(re.failureCode()), body);
      }
      // No handler or timeout: the part of the engine that should answer is not there right now.
      return STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
          "the engine could not complete the request in time; retry later", null);
    }
    LOG.error("Unexpected failure", cause);
    return INTERNAL.exception(ErrorCodes.INTERNAL, "internal error", null);
  }

  /** The bus failure a store's failure stands for, with the store's error code and message. */
  public static EngineException of(StoreException e) {
    Failure failure = switch (e.kind()) {
      case NOT_FOUND -> NOT_FOUND;
      case CONFLICT -> CONFLICT;
      case REFUSED -> STORE_REFUSED;
      case UNAVAILABLE -> STORE_UNAVAILABLE;
      case FULL -> STORE_FULL;
    };
    return failure.exception(e.kind().error(), e.getMessage(), e.field());
  }

  /** A failure with its JSON error body; stack-less because it is an answer, not a bug. */
  public static final class EngineException extends RuntimeException {
    private final Failure failure;
    private final JsonObject body;

    EngineException(Failure failure, JsonObject body) {
      super(body.getString("message"), null, false, false);
      this.failure = failure;
      this.body = body;
    }

    public Failure failure() {
      return failure;
    }

    public JsonObject body() {
      return body;
    }
  }
}
