package io.learnquest.domain.badge;

import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What a badge rule sees: the learner's metrics after the event, and the event itself.
 *
 * @param eventType     type of the event being evaluated
 * @param eventScore    its score, or null
 * @param eventCourseId its courseId, or null
 * @param metrics       metric values after the event
 * @param counters      counters after the event (non-repeat counts per type)
 */
public record LearnerFacts(String eventType, Integer eventScore, String eventCourseId,
                           Map<Metric, Long> metrics, Counters counters) {
  /** The counters and their metrics, made once rather than for every event's facts. */
  private static final Counter[] COUNTERS = Counter.values();
  private static final Metric[] COUNTER_METRICS = Arrays.stream(COUNTERS).map(Metric::of).toArray(Metric[]::new);

  public long metric(Metric metric) {
    return metrics.getOrDefault(metric, 0L);
  }

  public static Map<Metric, Long> metricsOf(long xp, int level, int streakDays, int longestStreak, Counters c) {
    Map<Metric, Long> metrics = new HashMap<>();
    metrics.put(Metric.XP, xp);
    metrics.put(Metric.LEVEL, (long) level);
    metrics.put(Metric.STREAK_DAYS, (long) streakDays);
    metrics.put(Metric.LONGEST_STREAK, (long) longestStreak);
    for (int i = 0; i < COUNTERS.length; i++) {
      metrics.put(COUNTER_METRICS[i], c.get(COUNTERS[i]));
    }
    return metrics;
  }
}
