package io.learnquest.domain.progression;

import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.LearningEvent;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learner counters of docs/rules.md, "Progression", plus the count of non-repeat events per type (which the
 * badge rule {@code {"event": T, "count": N}} reads).
 */
public record Counters(
    long lessonsCompleted,
    long quizzesPassed,
    long perfectQuizzes,
    long coursesCompleted,
    long peersHelped,
    Map<String, Long> eventCounts) {

  public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, Map.of());

  public Counters {
    eventCounts = Map.copyOf(eventCounts);
  }

  public long countOf(String type) {
    return eventCounts.getOrDefault(type, 0L);
  }

  /** Counters after a non-repeat event; a repeat moves none of them, so callers skip this. */
  public Counters after(LearningEvent event, int passMark) {
    Map<String, Long> counts = new TreeMap<>(eventCounts);
    counts.merge(event.type(), 1L, Long::sum);
    long lessons = lessonsCompleted;
    long passed = quizzesPassed;
    long perfect = perfectQuizzes;
    long courses = coursesCompleted;
    long peers = peersHelped;
    switch (event.type()) {
      case EventTypes.LESSON_COMPLETED -> lessons++;
      case EventTypes.QUIZ_COMPLETED -> {
        if (event.score() >= passMark) {
          passed++;
        }
        if (event.score() == 100) {
          perfect++;
        }
      }
      case EventTypes.COURSE_COMPLETED -> courses++;
      case EventTypes.PEER_HELPED -> peers++;
      default -> {
      }
    }
    return new Counters(lessons, passed, perfect, courses, peers, counts);
  }
}
