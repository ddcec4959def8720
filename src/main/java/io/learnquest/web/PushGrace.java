package io.learnquest.web;

/**
 * How long a request waiting for its outcome ({@code ?wait=true}) trusts the push before it also
 * asks the log: {@link #FACTOR} times the push latency this instance sees (from acceptance to the
 * pushed outcome, averaged), at least {@link #MIN_MS}, at most half the wait. The asks are a net
 * for a push that is lost; a fixed grace made every waiting request ask, four times a second, as
 * soon as the engine answered slower than the grace, adding store reads exactly when it had too
 * much to do. Outcomes found by asking do not count: lost pushes never lengthen the grace. Used
 * from its web instance's event loop only.
 */
final class PushGrace {
  static final long MIN_MS = 500;
  static final int FACTOR = 4;
  /** Each push moves the average a sixteenth of the way to its own latency. */
  private static final double WEIGHT = 1.0 / 16;

  private final long maxMs;
  private double averageMs = -1;

  /** {@code waitTimeoutMs}: how long a request waits at most; the grace stays under half of it. */
  PushGrace(long waitTimeoutMs) {
    this.maxMs = Math.max(MIN_MS, waitTimeoutMs / 2);
  }

  /** An outcome was pushed {@code latencyNanos} after its event was accepted. */
  void pushed(long latencyNanos) {
    double ms = latencyNanos / 1e6;
    averageMs = averageMs < 0 ? ms : averageMs + (ms - averageMs) * WEIGHT;
  }

  /** The grace for a request that starts waiting now. */
  long graceMs() {
    long grace = averageMs < 0 ? MIN_MS : Math.round(FACTOR * averageMs);
    return Math.min(maxMs, Math.max(MIN_MS, grace));
  }
}
