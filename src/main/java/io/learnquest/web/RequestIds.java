package io.learnquest.web;

import io.learnquest.domain.IdShape;
import io.learnquest.logging.LogFields;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of every route: the request's id is the caller's {@code X-Request-Id} when it
 * is sane (1 to 128 characters of {@code A-Z a-z 0-9 . _ : -}; anything else could forge or break
 * log lines), or a fresh one; it goes back on the response, whatever the status, and into every
 * log line written for the request. At DEBUG each request is logged once it is answered: method,
 * path without its query (which may carry a token), status and time.
 */
final class RequestIds {
  static final String HEADER = "X-Request-Id";
  private static final Logger LOG = LoggerFactory.getLogger(RequestIds.class);

  private RequestIds() {
  }

  static String choose(String given) {
    return IdShape.EVENT_ID.matches(given) ? given : freshId();
  }

  /**
   * A random (version 4) UUID drawn from {@link ThreadLocalRandom}: a request id must be unique,
   * not secret, and {@link UUID#randomUUID()} takes SecureRandom's process-wide lock and reads the
   * kernel's random device for every request.
   */
  static String freshId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long most = (random.nextLong() & ~0xF000L) | 0x4000L;
    long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(most, least).toString();
  }

  static void handle(RoutingContext ctx) {
    String id = choose(ctx.request().getHeader(HEADER));
    ctx.response().putHeader(HEADER, id);
    LogFields.put(LogFields.REQUEST_ID, id);
    if (LOG.isDebugEnabled()) {
      long start = System.nanoTime();
      // the end may come in a callback outside the request's own context: the fields go along by hand
      ctx.addEndHandler(done -> LogFields.with(LogFields.REQUEST_ID, id,
          () -> LogFields.with(LogFields.EVENT_ID, ctx.get(LogFields.EVENT_ID), () -> LOG.debug("{} {} {} {} ms",
              ctx.request().method(), ctx.request().path(), ctx.response().getStatusCode(),
              (System.nanoTime() - start) / 1_000_000))));
    }
    ctx.next();
  }
}
