package io.learnquest.logging;

import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.Map;
import org.slf4j.MDC;

/**
 * The fields a log line carries besides its message ({@code requestId}, {@code tenant},
 * {@code eventId}). An event loop serves many requests in turns, so a thread's MDC cannot hold
 * them across callbacks: they live in the local data of the request's own (duplicated) Vert.x
 * context, which Vert.x hands on to every callback of that request, and
 * {@link VertxContextMdcFilter} copies them into the MDC as each line is logged. Work that is not
 * one request's (an event applied by the rules) wraps its log calls in {@link #withEventId}.
 */
public final class LogFields {
  public static final String REQUEST_ID = "requestId";
  public static final String TENANT = "tenant";
  public static final String EVENT_ID = "eventId";
  static final String[] KEYS = {REQUEST_ID, TENANT, EVENT_ID};
  private static final Object KEY_PREFIX = LogFields.class;

  private LogFields() {
  }

  /** A key of the context's local data that nothing else uses. */
  private record Key(Object owner, String name) {
  }

  /**
   * Sets a field for the rest of the current request's work; ignored outside a request's own
   * context (on a verticle's shared context it would stick to every later request).
   */
  public static void put(String name, String value) {
    if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
      Map<Object, Object> data = context.localContextData();
      if (value == null) {
        data.remove(new Key(KEY_PREFIX, name));
      } else {
        data.put(new Key(KEY_PREFIX, name), value);
      }
    }
  }

  /** The field as the current request's context holds it, or null. */
  public static String get(String name) {
    if (Vertx.currentContext() instanceof ContextInternal context && context.isDuplicate()) {
      Object value = context.localContextData().get(new Key(KEY_PREFIX, name));
      return value instanceof String s ? s : null;
    }
    return null;
  }

  /** Runs {@code log} (a few log calls) with {@code eventId} in the MDC, then takes it out again. */
  public static void withEventId(String eventId, Runnable log) {
    with(EVENT_ID, eventId, log);
  }

  /**
   * Runs {@code log} with the field in the MDC, then takes it out again: for callbacks that may run
   * outside the request's own context (a reply shared by the requests of one batch).
   */
  public static void with(String name, String value, Runnable log) {
    if (value == null) {
      log.run();
      return;
    }
    String before = MDC.get(name);
    VertxContextMdcFilter.forget(name);
    MDC.put(name, value);
    try {
      log.run();
    } finally {
      if (before == null) {
        MDC.remove(name);
      } else {
        MDC.put(name, before);
      }
    }
  }
}
