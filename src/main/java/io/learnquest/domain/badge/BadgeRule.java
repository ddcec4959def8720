package io.learnquest.domain.badge;

import java.util.List;

/** The badge rule language of docs/rules.md, "Badges" as a small algebraic type. */
public sealed interface BadgeRule {
  boolean matches(LearnerFacts facts);

  /** This event is of {@code type} and the learner has at least {@code count} non-repeat events of it. */
  record EventCount(String type, long count) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return type.equals(facts.eventType()) && facts.counters().countOf(type) >= count;
    }
  }

  /** This event is of {@code type} with a score of at least {@code score}. */
  record EventScore(String type, int score) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return type.equals(facts.eventType()) && facts.eventScore() != null && facts.eventScore() >= score;
    }
  }

  /** This event is of {@code type}, and of {@code courseId} when one is given. */
  record EventIs(String type, String courseId) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return type.equals(facts.eventType()) && (courseId == null || courseId.equals(facts.eventCourseId()));
    }
  }

  enum Op {
    GTE("gte"), GT("gt"), LTE("lte"), LT("lt"), EQ("eq");

    final String ruleName;

    Op(String ruleName) {
      this.ruleName = ruleName;
    }

    boolean test(long left, long right) {
      return switch (this) {
        case GTE -> left >= right;
        case GT -> left > right;
        case LTE -> left <= right;
        case LT -> left < right;
        case EQ -> left == right;
      };
    }
  }

  record Compare(Metric metric, Op op, long value) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return op.test(facts.metric(metric), value);
    }
  }

  record All(List<BadgeRule> rules) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return rules.stream().allMatch(r -> r.matches(facts));
    }
  }

  record Any(List<BadgeRule> rules) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return rules.stream().anyMatch(r -> r.matches(facts));
    }
  }

  record Not(BadgeRule rule) implements BadgeRule {
    @Override
    public boolean matches(LearnerFacts facts) {
      return !rule.matches(facts);
    }
  }
}
