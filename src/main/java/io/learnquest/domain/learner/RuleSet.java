package io.learnquest.domain.learner;

import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.fairplay.FairPlay;
import io.learnquest.domain.leaderboard.BoardTotals;
import io.learnquest.domain.progression.ProgressionMachine;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.domain.xp.Rewards;
import io.learnquest.domain.xp.XpRules;

/**
 * Every rule one event is applied under, as one value: the event types, XP rewards and pass mark,
 * the level curve, the streak rules, the progression machine, the tenant's fair-play settings,
 * the badge catalog in force, and how many weeks after its week a weekly leaderboard is kept.
 * {@link LearnerRules#apply} reads nothing else, so the same rule set, learner and event always give
 * the same result.
 */
public record RuleSet(EventTypes types, Rewards rewards, LevelCurve curve, StreakRules streaks,
                      ProgressionMachine machine, FairPlay fairPlay, BadgeCatalog badges, XpRules xp,
                      int weeklyRetentionWeeks) {

  public RuleSet(EventTypes types, Rewards rewards, LevelCurve curve, StreakRules streaks, FairPlay fairPlay,
                 BadgeCatalog badges) {
    this(types, rewards, curve, streaks, new ProgressionMachine(), fairPlay, badges, new XpRules(rewards, types),
        BoardTotals.DEFAULT_RETENTION_WEEKS);
  }

  /** The contract's defaults: built-in event types, default rewards and curve, 2 freezes, default fair play. */
  public static RuleSet defaults(BadgeCatalog badges) {
    return new RuleSet(EventTypes.builtIn(), Rewards.defaults(), LevelCurve.defaults(), new StreakRules(2),
        FairPlay.DEFAULTS, badges);
  }

  /** This rule set with another badge catalog. */
  public RuleSet withBadges(BadgeCatalog catalog) {
    return new RuleSet(types, rewards, curve, streaks, machine, fairPlay, catalog, xp, weeklyRetentionWeeks);
  }

  /** This rule set with weekly leaderboards kept {@code weeks} after their week. */
  public RuleSet withWeeklyRetention(int weeks) {
    return new RuleSet(types, rewards, curve, streaks, machine, fairPlay, badges, xp, weeks);
  }

  public int passMark() {
    return rewards.passMark();
  }

  /** A fresh learner: ONBOARDING, no XP, the initial streak. */
  public Learner fresh(String learnerId) {
    return Learner.fresh(learnerId, streaks.initial());
  }
}
