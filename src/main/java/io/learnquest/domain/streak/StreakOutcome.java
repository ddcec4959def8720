package io.learnquest.domain.streak;

/**
 * What one study event did to a streak (docs/rules.md, "Streaks").
 *
 * @param extended the event increased {@code current} (also across a freeze)
 * @param broken   the event reset {@code current} to 1 from a value above 1
 */
public record StreakOutcome(StreakState state, boolean extended, boolean broken) {
  public boolean changed(StreakState before) {
    return !state.equals(before);
  }
}
