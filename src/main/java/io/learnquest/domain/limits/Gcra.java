package io.learnquest.domain.limits;

/**
 * The generic cell rate algorithm, pure: a budget of {@code limit} units per {@code periodMicros}
 * is one number, its theoretical arrival time ({@code tat}). Each unit pushes it on by the
 * emission interval {@code periodMicros / limit}; a unit fits while {@code tat} stays within one
 * period of now, so a fresh budget takes {@code limit} units at once and then refills smoothly
 * (no window edge lets twice the limit through). A request for several units takes as many as fit,
 * in order. Times are microseconds; the clock is the caller's argument.
 *
 * <p>The Redis adapter runs the same arithmetic in a Lua script ({@code RedisRateLimitStore}); the
 * store contract test holds the two together.
 */
public final class Gcra {
  private Gcra() {
  }

  /**
   * What one take does to a budget.
   *
   * @param granted      units taken (0..requested)
   * @param tat          the budget's theoretical arrival time afterwards (unchanged when nothing was taken)
   * @param retryAfterMicros when {@code granted} is less than requested: how long until one more unit fits;
   *                     otherwise 0
   */
  public record Step(long granted, long tat, long retryAfterMicros) {
  }

  /** The emission interval of {@code limit} units per {@code periodMicros}; at least 1. */
  public static long interval(long limit, long periodMicros) {
    if (limit < 1 || periodMicros < 1) {
      throw new IllegalArgumentException("a rate needs a limit and a period of at least 1");
    }
    return Math.max(1, periodMicros / limit);
  }

  /**
   * Takes up to {@code requested} units at {@code now} from a budget whose theoretical arrival
   * time is {@code tat} (0 for a budget never used).
   */
  public static Step take(long tat, long now, long requested, long interval, long periodMicros) {
    long base = Math.max(tat, now);
    long fit = Math.max(0, (now + periodMicros - base) / interval);
    long granted = Math.min(requested, fit);
    long next = base + granted * interval;
    long retry = granted < requested ? Math.max(1, next + interval - periodMicros - now) : 0;
    return new Step(granted, granted > 0 ? next : tat, retry);
  }
}
