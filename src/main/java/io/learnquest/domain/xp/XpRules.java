package io.learnquest.domain.xp;

import io.learnquest.domain.event.BuiltInType;
import io.learnquest.domain.event.EventTypeSpec;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.LearningEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * XP arithmetic of docs/rules.md, "XP and levels", in integers only: a float would turn 100 XP at 115 % into
 * 114.
 */
public final class XpRules {
  static final int STREAK_PCT_PER_DAY = 5;
  static final int STREAK_PCT_CAP = 50;
  static final int DIFFICULTY_PCT_PER_STEP = 10;
  static final int NEUTRAL_DIFFICULTY = 2;
  static final int TIME_BONUS_PCT = 20;

  private final Rewards rewards;
  private final EventTypes types;

  public XpRules(Rewards rewards, EventTypes types) {
    this.rewards = rewards;
    this.types = types;
  }

  public int passMark() {
    return rewards.passMark();
  }

  /** The activity an event earns XP for, or empty when it earns none (failed quiz, daily login). */
  public Optional<String> activityOf(LearningEvent event) {
    EventTypeSpec spec = types.find(event.type()).orElse(null);
    if (spec == null) {
      // Accepted under a configuration that had this type; it earns nothing now rather than block.
      return Optional.empty();
    }
    if (spec.customBaseXp() != null) {
      return Optional.of(spec.name());
    }
    return BuiltInType.find(event.type()).flatMap(type -> type.activity(event, rewards.passMark()));
  }

  public long baseXp(String activity) {
    return types.find(activity).map(EventTypeSpec::customBaseXp).orElseGet(() -> rewards.base(activity));
  }

  public static int multiplierPct(int streakDays, int difficulty, boolean timeBonus) {
    return 100
        + Math.min(STREAK_PCT_PER_DAY * streakDays, STREAK_PCT_CAP)
        + Math.max(0, DIFFICULTY_PCT_PER_STEP * (difficulty - NEUTRAL_DIFFICULTY))
        + (timeBonus ? TIME_BONUS_PCT : 0);
  }

  /** {@code floor(base * pct / 100)}; exact because both are non-negative integers. */
  public static long apply(long base, int pct) {
    return Math.multiplyExact(base, (long) pct) / 100;
  }

  /**
   * The ledger lines one event produces.
   *
   * @param streakDays     the stored current streak after this event was applied to it
   * @param streakExtended whether this event extended the streak to a new day
   * @param repeat         whether an earlier event of this learner, type and objectId earned
   *                       activity XP (decided by the caller, who owns the history)
   */
  public List<XpGrant> grants(LearningEvent event, int streakDays, boolean streakExtended, boolean repeat) {
    List<XpGrant> grants = new ArrayList<>(2);
    activityOf(event).ifPresent(activity -> {
      // From the event's own type: a custom type may share a built-in activity's name ("lesson").
      Long custom = types.get(event.type()).customBaseXp();
      long base = custom != null ? custom : rewards.base(activity);
      int pct = multiplierPct(streakDays, event.difficulty(), event.timeBonus());
      grants.add(repeat
          ? new XpGrant(activity, base, pct, 0, XpGrant.REPEAT)
          : new XpGrant(activity, base, pct, apply(base, pct), XpGrant.ACTIVITY));
    });
    if (streakExtended && streakDays >= 2) {
      long base = rewards.base(Activities.STREAK);
      int pct = multiplierPct(streakDays, NEUTRAL_DIFFICULTY, false);
      grants.add(new XpGrant(Activities.STREAK, base, pct, apply(base, pct), XpGrant.STREAK_BONUS));
    }
    return grants;
  }

  /**
   * Everything XP-related one event decides, given the learner's XP before it.
   *
   * @param seenBefore whether an earlier event of this learner, type and objectId earned activity XP
   */
  public XpDecision decide(LearningEvent event, int streakDays, boolean streakExtended, boolean seenBefore,
                           long xpBefore, LevelCurve curve) {
    boolean canRepeat = canRepeat(event);
    boolean repeat = seenBefore && canRepeat;
    List<XpGrant> grants = grants(event, streakDays, streakExtended, repeat);
    long total = Math.addExact(xpBefore, XpGrant.sum(grants));
    int levelBefore = curve.levelFor(xpBefore);
    int level = curve.levelFor(total);
    boolean earned = !repeat && canRepeat;
    return new XpDecision(grants, repeat, earned, total, level, level > levelBefore);
  }

  /** Whether the event can be a repeat at all: it earns activity XP and has an object. */
  public boolean canRepeat(LearningEvent event) {
    return repeatObject(event) != null && activityOf(event).isPresent();
  }

  /**
   * What a repeat of this event is judged by: its {@code objectId}, or what its type's registry
   * entry says ({@code course_completed} without one: its {@code courseId}, since a course
   * completed is the course itself); null only when nothing names the object.
   */
  public static String repeatObject(LearningEvent event) {
    return BuiltInType.find(event.type()).map(type -> type.repeatObject(event)).orElse(event.objectId());
  }
}
