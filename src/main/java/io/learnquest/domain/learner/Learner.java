package io.learnquest.domain.learner;

import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.streak.StreakState;
import java.time.Instant;
import java.util.Set;

/**
 * The learner aggregate: everything one event's rules read, kept as one record so that the
 * effects of an event are written together.
 *
 * @param lastActivityAt   latest occurredAt of any of their events (null before the first)
 * @param badges           ids of badges awarded so far
 * @param version          number of committed changes; a commit must name the version it read
 * @param notificationSeq  last notification sequence number handed out to this learner
 * @param pace             when their recent XP-earning events happened, for the velocity rule
 */
public record Learner(
    String learnerId,
    ProgressionState state,
    long xp,
    int level,
    String timezone,
    StreakState streak,
    Counters counters,
    Instant lastActivityAt,
    Set<String> badges,
    long version,
    long notificationSeq,
    Pace pace) {

  public Learner {
    badges = Set.copyOf(badges);
    pace = pace == null ? Pace.EMPTY : pace;
  }

  public Learner(String learnerId, ProgressionState state, long xp, int level, String timezone, StreakState streak,
                 Counters counters, Instant lastActivityAt, Set<String> badges, long version, long notificationSeq) {
    this(learnerId, state, xp, level, timezone, streak, counters, lastActivityAt, badges, version, notificationSeq,
        Pace.EMPTY);
  }

  public static Learner fresh(String learnerId, StreakState initialStreak) {
    return new Learner(learnerId, ProgressionState.ONBOARDING, 0, 1, null, initialStreak, Counters.ZERO,
        null, Set.of(), 0, 0);
  }
}
