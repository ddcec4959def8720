package io.learnquest.bus;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bounds of {@link Bus#within} set on one event-loop context, sharing timers: every bound of
 * the same length started within {@link #WINDOW_MS} of the first joins its batch, and the batch's
 * one timer expires them all, {@code ms} to {@code ms + WINDOW_MS} after each started. A bound
 * answered in time is not cancelled: its expiry finds it complete and does nothing. The batches are
 * kept on the event loop's context, which a request's own (duplicated) contexts share; an expiry
 * that fails a bound does so on the bound's own context ({@link Bus#within}).
 *
 * <p>Why: nearly every event sets such bounds (its rate-limit take, its two projections), and a
 * Vert.x timer of its own each, set and then cancelled out of a queue of thousands, cost about 2 %
 * of a node's CPU at saturation (docs/benchmarks.md). Used only on its context's thread.
 */
final class Deadlines {
  /** How much later than asked a bound may expire, and so how long a batch takes new bounds. */
  static final long WINDOW_MS = 10;
  private static final long WINDOW_NANOS = WINDOW_MS * 1_000_000;
  private static final String KEY = Deadlines.class.getName();

  /** Only its Vert.x: the context that first asked may be one request's, which must not be kept. */
  private final Vertx vertx;
  /** Per bound length, the batch still taking bounds. */
  private final Map<Long, Batch> open = new HashMap<>();
  private long timersSet;

  private Deadlines(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The context's deadlines, made on first use; call on {@code context}'s own thread. */
  static Deadlines of(Context context) {
    Deadlines deadlines = context.get(KEY);
    if (deadlines == null) {
      deadlines = new Deadlines(context.owner());
      context.put(KEY, deadlines);
    }
    return deadlines;
  }

  private static final class Batch {
    final long closesAt;
    final List<Runnable> expiries = new ArrayList<>();

    Batch(long closesAt) {
      this.closesAt = closesAt;
    }
  }

  /** Runs {@code expire} on this event loop {@code ms} to {@code ms + WINDOW_MS} from now. */
  void add(long ms, Runnable expire) {
    long now = System.nanoTime();
    Batch batch = open.get(ms);
    if (batch == null || now - batch.closesAt >= 0) {
      Batch started = new Batch(now + WINDOW_NANOS);
      open.put(ms, started);
      timersSet++;
      vertx.setTimer(ms + WINDOW_MS, id -> {
        open.remove(ms, started);
        started.expiries.forEach(Runnable::run);
      });
      batch = started;
    }
    batch.expiries.add(expire);
  }

  /** How many timers the bounds of this context have set (for tests). */
  long timersSet() {
    return timersSet;
  }
}
