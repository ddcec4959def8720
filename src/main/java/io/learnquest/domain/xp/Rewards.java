package io.learnquest.domain.xp;

import java.util.Map;

/**
 * Configured XP rewards: base XP per activity and the quiz pass mark.
 *
 * @param baseXp   base XP by activity name (built-in activities, see {@link Activities})
 * @param passMark lowest quiz score that passes
 */
public record Rewards(Map<String, Long> baseXp, int passMark) {
  public static Rewards defaults() {
    return new Rewards(Activities.defaults(), 60);
  }

  public Rewards {
    baseXp = Map.copyOf(baseXp);
  }

  public long base(String activity) {
    Long value = baseXp.get(activity);
    if (value == null) {
      throw new IllegalArgumentException("no base XP configured for activity " + activity);
    }
    return value;
  }
}
