package io.learnquest.jobs;

import java.time.Duration;
import java.util.Locale;

/**
 * How far a long piece of work is: processed of total, the rate so far and the time left at that
 * rate. Pure arithmetic on the monotonic times it is given, so it is tested without a clock.
 */
public final class Progress {
  private final long startedNanos;
  private long total;
  private long processed;

  public Progress(long total, long startedNanos) {
    if (total < 0) {
      throw new IllegalArgumentException("total must be 0 or more");
    }
    this.total = total;
    this.startedNanos = startedNanos;
  }

  public long total() {
    return total;
  }

  public long processed() {
    return processed;
  }

  /** The work grew or shrank on the way (an estimate corrected); never below what is done. */
  public void total(long newTotal) {
    total = Math.max(newTotal, processed);
  }

  public void advance(long items) {
    if (items < 0) {
      throw new IllegalArgumentException("items must be 0 or more");
    }
    processed += items;
    if (processed > total) {
      total = processed;
    }
  }

  /** Items per second since the start; 0 before any time has passed. */
  public double ratePerSecond(long nowNanos) {
    long elapsed = nowNanos - startedNanos;
    return elapsed <= 0 ? 0 : processed * 1e9 / elapsed;
  }

  /** The time left at the rate so far: zero when done, null while there is no rate to tell. */
  public Duration eta(long nowNanos) {
    long left = total - processed;
    if (left <= 0) {
      return Duration.ZERO;
    }
    double rate = ratePerSecond(nowNanos);
    if (rate <= 0) {
      return null;
    }
    return Duration.ofMillis((long) Math.ceil(left / rate * 1000));
  }

  /** 0..100, with one decimal; 100 for no work at all. */
  public double percent() {
    return total == 0 ? 100.0 : Math.floor(processed * 1000.0 / total) / 10.0;
  }

  public Duration elapsed(long nowNanos) {
    return Duration.ofNanos(Math.max(0, nowNanos - startedNanos));
  }

  /** For a log line: {@code 2500 / 10000 (25.0%), 1250/s, ETA 6 s}. */
  public String describe(long nowNanos) {
    Duration eta = eta(nowNanos);
    return String.format(Locale.ROOT, "%d / %d (%.1f%%), %.0f/s, ETA %s", processed, total, percent(),
        ratePerSecond(nowNanos), eta == null ? "unknown" : seconds(eta));
  }

  private static String seconds(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    return s < 120 ? s + " s" : s / 60 + " min " + s % 60 + " s";
  }
}
