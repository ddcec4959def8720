package io.learnquest.domain.streak;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Streak rules of docs/rules.md, "Streaks". Days are local dates in the learner's zone; the caller
 * passes them in, so the engine's own clock and zone never decide a streak.
 */
public final class StreakRules {
  static final int FREEZE_REGAIN_EVERY = 7;

  private final int maxFreezes;

  public StreakRules(int maxFreezes) {
    if (maxFreezes < 0) {
      throw new IllegalArgumentException("maxFreezes must be >= 0");
    }
    this.maxFreezes = maxFreezes;
  }

  public StreakState initial() {
    return new StreakState(0, 0, maxFreezes, null);
  }

  public static LocalDate localDay(Instant at, ZoneId zone) {
    // the date of at.atZone(zone), without making the ZonedDateTime
    return LocalDate.ofInstant(at, zone);
  }

  /** Applies one study event on local day {@code day}. */
  public StreakOutcome apply(StreakState s, LocalDate day) {
    LocalDate last = s.lastStudyDate();
    int current = s.current();
    int freezes = s.freezesLeft();
    boolean broken = false;
    if (last == null) {
      current = 1;
    } else {
      long gap = ChronoUnit.DAYS.between(last, day);
      if (gap <= 0) {
        // Same day, or a late event for an earlier day: the streak is as it was.
        return new StreakOutcome(s, false, false);
      }
      long missed = gap - 1;
      if (missed <= freezes) {
        freezes -= (int) missed;
        current += 1;
      } else {
        broken = current > 1;
        current = 1;
      }
    }
    boolean extended = current > s.current();
    if (extended && current % FREEZE_REGAIN_EVERY == 0) {
      freezes = Math.min(maxFreezes, freezes + 1);
    }
    StreakState next = new StreakState(current, Math.max(s.longest(), current), freezes, day);
    return new StreakOutcome(next, extended, broken);
  }

  /** The profile's view: current is 0 once today is more than {@code 1 + freezes} days after last. */
  public static StreakView view(StreakState s, LocalDate today) {
    LocalDate last = s.lastStudyDate();
    int current = s.current();
    if (last == null || ChronoUnit.DAYS.between(last, today) > 1 + s.freezesLeft()) {
      current = 0;
    }
    boolean atRisk = current > 0 && !last.equals(today);
    return new StreakView(current, s.longest(), s.freezesLeft(), last, atRisk);
  }
}
