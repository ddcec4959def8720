package io.learnquest.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.MDC;
import org.slf4j.Marker;

/**
 * Puts the {@link LogFields} of the current Vert.x request into the MDC just before a line is
 * logged (and takes out those it put there before, when this request has none), so both log
 * formats show them. It never decides anything: it answers NEUTRAL. Cheap: a thread-local look-up
 * or two per call, and the MDC is only written when a value changes.
 */
public final class VertxContextMdcFilter extends TurboFilter {
  /** What this filter last put into the MDC of this thread, per key of {@link LogFields#KEYS}. */
  private static final ThreadLocal<String[]> PUT = ThreadLocal.withInitial(() -> new String[LogFields.KEYS.length]);

  /** The MDC's value of {@code key} is set by someone else now: this filter leaves it alone. */
  static void forget(String key) {
    String[] put = PUT.get();
    for (int i = 0; i < LogFields.KEYS.length; i++) {
      if (LogFields.KEYS[i].equals(key)) {
        put[i] = null;
      }
    }
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    // not logger.isEnabledFor: that asks the turbo filters again
    if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
      return FilterReply.NEUTRAL;
    }
    String[] put = PUT.get();
    for (int i = 0; i < LogFields.KEYS.length; i++) {
      String key = LogFields.KEYS[i];
      String value = LogFields.get(key);
      if (value != null) {
        if (!value.equals(put[i]) || !value.equals(MDC.get(key))) {
          MDC.put(key, value);
          put[i] = value;
        }
      } else if (put[i] != null) {
        // only what this filter put: a value set around the call (LogFields.withEventId) stays
        if (put[i].equals(MDC.get(key))) {
          MDC.remove(key);
        }
        put[i] = null;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
