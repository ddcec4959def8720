package io.learnquest.domain.xp;

/**
 * One line of the XP ledger (docs/rules.md, "XP and levels"): {@code xp = floor(baseXp * multiplierPct / 100)},
 * or 0 for a repeat.
 *
 * @param reason {@link #ACTIVITY}, {@link #STREAK_BONUS} or {@link #REPEAT}
 */
public record XpGrant(String activity, long baseXp, int multiplierPct, long xp, String reason) {
  public static final String ACTIVITY = "activity";
  public static final String STREAK_BONUS = "streak_bonus";
  public static final String REPEAT = "repeat";

  public boolean repeatEntry() {
    return REPEAT.equals(reason);
  }
}
