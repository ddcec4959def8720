package io.learnquest.domain.limits;

/**
 * The limits of one tenant.
 *
 * @param requestsPerKeyPerSecond   requests one API key (or one learner's token) may make per second
 * @param eventsPerLearnerPerMinute events one learner may be sent per minute, whoever sends them
 * @param connectionsPerLearner     live WebSocket and SSE connections one learner may hold at once
 */
public record Limits(long requestsPerKeyPerSecond, long eventsPerLearnerPerMinute, int connectionsPerLearner) {
  public static final Limits DEFAULTS = new Limits(2_000, 120, 5);
  /** The largest rate a budget can hold: one unit per microsecond of its period. */
  public static final long MAX_PER_SECOND = 1_000_000;
  public static final long MAX_PER_MINUTE = 60_000_000;
  public static final long SECOND_MICROS = 1_000_000;
  public static final long MINUTE_MICROS = 60_000_000;

  public Limits {
    if (requestsPerKeyPerSecond < 1 || requestsPerKeyPerSecond > MAX_PER_SECOND) {
      throw new IllegalArgumentException("requestsPerKeyPerSecond must be between 1 and " + MAX_PER_SECOND);
    }
    if (eventsPerLearnerPerMinute < 1 || eventsPerLearnerPerMinute > MAX_PER_MINUTE) {
      throw new IllegalArgumentException("eventsPerLearnerPerMinute must be between 1 and " + MAX_PER_MINUTE);
    }
    if (connectionsPerLearner < 1) {
      throw new IllegalArgumentException("connectionsPerLearner must be at least 1");
    }
  }
}
