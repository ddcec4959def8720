package io.learnquest.domain.progression;

import io.learnquest.domain.event.BuiltInType;
import io.learnquest.domain.event.LearningEvent;
import java.util.Set;

/**
 * The registry of learner counters (docs/rules.md, "Progression"): each entry is one counter, with
 * the name it has in a profile and in the stored learner ({@link #field}), the name a badge rule
 * compares it by ({@link #metric}, see {@code domain.badge.Metric}); which events move it is said by
 * each event type's entry in {@link BuiltInType}.
 * {@link Counters} holds one value per entry; the profile, the stored learner's fields (in this
 * order, see {@code json.CountersJson}), the badge metrics and the badge facts are all read from
 * here, so a new counter is a new entry.
 */
public enum Counter {
  LESSONS_COMPLETED("lessonsCompleted", "lessons_completed"),
  QUIZZES_PASSED("quizzesPassed", "quizzes_passed"),
  PERFECT_QUIZZES("perfectQuizzes", "perfect_quizzes"),
  COURSES_COMPLETED("coursesCompleted", "courses_completed"),
  PEERS_HELPED("peersHelped", "peers_helped");

  private final String field;
  private final String metric;

  Counter(String field, String metric) {
    this.field = field;
    this.metric = metric;
  }

  /** The counter's name in a profile's {@code counters} and in the stored learner. */
  public String field() {
    return field;
  }

  /** The counter's name in the badge rule language ({@code {"metric": ..., "gte": n}}). */
  public String metric() {
    return metric;
  }

  /** The counters a non-repeat {@code event} adds one to: its type's entry says; a custom type moves none. */
  static Set<Counter> movedBy(LearningEvent event, int passMark) {
    return BuiltInType.find(event.type()).map(type -> type.counters(event, passMark)).orElse(Set.of());
  }
}
