package io.learnquest.domain.xp;

import java.util.List;

/**
 * One line of the XP ledger (docs/rules.md, "XP and levels"): {@code xp = floor(baseXp * multiplierPct / 100)},
 * or 0 for a repeat.
 *
 * @param reason {@link #ACTIVITY}, {@link #STREAK_BONUS}, {@link #REPEAT}, or the fair-play rule that
 *               held it back ({@code self_help}, {@code velocity})
 */
public record XpGrant(String activity, long baseXp, int multiplierPct, long xp, String reason) {
  public static final String ACTIVITY = "activity";
  public static final String STREAK_BONUS = "streak_bonus";
  public static final String REPEAT = "repeat";

  public boolean repeatEntry() {
    return REPEAT.equals(reason);
  }

  /** An entry that earned its XP (activity or streak bonus), as opposed to a 0-XP line. */
  public boolean earns() {
    return ACTIVITY.equals(reason) || STREAK_BONUS.equals(reason);
  }

  /** The XP of {@code grants} together (a loop: it runs more than once per event). */
  public static long sum(List<XpGrant> grants) {
    long sum = 0;
    for (XpGrant grant : grants) {
      sum += grant.xp;
    }
    return sum;
  }

  /** This grant held back by a fair-play rule: the same line with 0 XP and the rule as reason. */
  public XpGrant withheld(String rule) {
    return new XpGrant(activity, baseXp, multiplierPct, 0, rule);
  }
}
