package io.learnquest.domain.badge;

import io.learnquest.domain.progression.Counter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A value a badge rule may compare (docs/rules.md, "Badges"), by its rule-language name: the
 * learner's XP, level and streaks, and one metric per counter of the {@link Counter} registry
 * (a counter added there is a metric here).
 */
public record Metric(String ruleName) {
  public static final Metric XP = new Metric("xp");
  public static final Metric LEVEL = new Metric("level");
  public static final Metric STREAK_DAYS = new Metric("streak_days");
  public static final Metric LONGEST_STREAK = new Metric("longest_streak");
  private static final List<Metric> ALL;

  static {
    List<Metric> all = new ArrayList<>(List.of(XP, LEVEL, STREAK_DAYS, LONGEST_STREAK));
    for (Counter c : Counter.values()) {
      all.add(of(c));
    }
    ALL = Collections.unmodifiableList(all);
  }

  /** The metric of a counter. */
  public static Metric of(Counter counter) {
    return new Metric(counter.metric());
  }

  /** Every metric, the learner's first, then the counters' in registry order. */
  public static List<Metric> values() {
    return ALL;
  }

  public static Optional<Metric> byRuleName(String name) {
    return ALL.stream().filter(m -> m.ruleName.equals(name)).findFirst();
  }
}
