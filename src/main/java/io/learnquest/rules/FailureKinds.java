package io.learnquest.rules;

import io.learnquest.bus.Failure;
import io.learnquest.store.StoreException;
import io.vertx.core.VertxException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure that trying the same event again can cure (a store down or slow, a verticle not
 * answering in time, a concurrent change) from one it cannot (the store refuses the data, or
 * applying the event throws). Only the second kind sends an event to the quarantine: an outage
 * must never move events aside, so whatever is not known to be permanent counts as transient.
 */
final class FailureKinds {
  private FailureKinds() {
  }

  static boolean permanent(Throwable error) {
    if (error instanceof Failure.EngineException e) {
      return permanent(e.failure());
    }
    if (error instanceof StoreException e) {
      return permanent(Failure.of(e).failure());
    }
    if (error instanceof ReplyException re) {
      // A verticle that answered with a failure judged this event; one that did not answer is away.
      return re.failureType() == ReplyFailure.RECIPIENT_FAILURE && permanent(Failure.ofCode(re.failureCode()));
    }
    if (error instanceof TimeoutException || error instanceof VertxException
        || error instanceof java.io.IOException || error instanceof java.io.UncheckedIOException) {
      return false;
    }
    // A bug or a value our own code cannot handle (NullPointerException, DateTimeException, an
    // encoder throwing, a stack overflow): it throws again on every try.
    return error instanceof RuntimeException || error instanceof StackOverflowError;
  }

  private static boolean permanent(Failure failure) {
    return switch (failure) {
      case STORE_REFUSED, INTERNAL, INVALID_INPUT, NOT_FOUND, PAYLOAD_TOO_LARGE -> true;
      // STORE_UNAVAILABLE, CONFLICT, STORE_FULL: another try may pass
      default -> false;
    };
  }

  /**
   * The reason kept with a quarantined event: one line of printable text, bounded, so the store
   * can always hold it (it may quote the very value the store refused).
   */
  static String reason(Throwable error) {
    String text = error instanceof Failure.EngineException e
        ? e.body().getString("error") + ": " + e.getMessage()
        : error instanceof StoreException e ? e.kind().error() + ": " + e.getMessage()
        : error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    StringBuilder clean = new StringBuilder(Math.min(text.length(), 500));
    text.codePoints().limit(500).forEach(cp -> {
      if (Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE) {
        clean.append('?');
      } else {
        clean.appendCodePoint(cp);
      }
    });
    return clean.toString();
  }
}
