package io.learnquest.domain.badge;

import java.util.Arrays;
import java.util.Optional;

/** Metrics a badge rule may compare (docs/rules.md, "Badges"), by their rule-language names. */
public enum Metric {
  XP("xp"),
  LEVEL("level"),
  STREAK_DAYS("streak_days"),
  LONGEST_STREAK("longest_streak"),
  LESSONS_COMPLETED("lessons_completed"),
  QUIZZES_PASSED("quizzes_passed"),
  PERFECT_QUIZZES("perfect_quizzes"),
  COURSES_COMPLETED("courses_completed"),
  PEERS_HELPED("peers_helped");

  private final String ruleName;

  Metric(String ruleName) {
    this.ruleName = ruleName;
  }

  public String ruleName() {
    return ruleName;
  }

  public static Optional<Metric> byRuleName(String name) {
    return Arrays.stream(values()).filter(m -> m.ruleName.equals(name)).findFirst();
  }
}
