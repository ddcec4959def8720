package io.learnquest.domain.badge;

import io.learnquest.domain.progression.Counters;
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
  public long metric(Metric metric) {
    return metrics.getOrDefault(metric, 0L);
  }

  public static Map<Metric, Long> metricsOf(long xp, int level, int streakDays, int longestStreak, Counters c) {
    return Map.of(
        Metric.XP, xp,
        Metric.LEVEL, (long) level,
        Metric.STREAK_DAYS, (long) streakDays,
        Metric.LONGEST_STREAK, (long) longestStreak,
        Metric.LESSONS_COMPLETED, c.lessonsCompleted(),
        Metric.QUIZZES_PASSED, c.quizzesPassed(),
        Metric.PERFECT_QUIZZES, c.perfectQuizzes(),
        Metric.COURSES_COMPLETED, c.coursesCompleted(),
        Metric.PEERS_HELPED, c.peersHelped());
  }
}
