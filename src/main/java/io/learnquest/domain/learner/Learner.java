package io.learnquest.domain.learner;

import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.streak.StreakState;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param boards           their XP on each leaderboard, by board key (see
 *                         {@link io.learnquest.domain.leaderboard.BoardTotals}): the durable totals
 *                         the projection is set and rebuilt from, kept in the learner so that a
 *                         commit writes them with the learner and nothing else
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
    Pace pace,
    Map<String, Long> boards) {

  public Learner {
    badges = Set.copyOf(badges);
    pace = pace == null ? Pace.EMPTY : pace;
    boards = boards == null ? Map.of() : Map.copyOf(boards);
  }

  public Learner(String learnerId, ProgressionState state, long xp, int level, String timezone, StreakState streak,
                 Counters counters, Instant lastActivityAt, Set<String> badges, long version, long notificationSeq,
                 Pace pace) {
    this(learnerId, state, xp, level, timezone, streak, counters, lastActivityAt, badges, version, notificationSeq,
        pace, Map.of());
  }

  public Learner(String learnerId, ProgressionState state, long xp, int level, String timezone, StreakState streak,
                 Counters counters, Instant lastActivityAt, Set<String> badges, long version, long notificationSeq) {
    this(learnerId, state, xp, level, timezone, streak, counters, lastActivityAt, badges, version, notificationSeq,
        Pace.EMPTY, Map.of());
  }

  /** Their totals on {@code boardKeys}, in that order; a board they have no total on is left out. */
  public Map<String, Long> totalsOn(Collection<String> boardKeys) {
    Map<String, Long> totals = new LinkedHashMap<>();
    for (String board : boardKeys) {
      Long xp = boards.get(board);
      if (xp != null) {
        totals.put(board, xp);
      }
    }
    return totals;
  }

  public static Learner fresh(String learnerId, StreakState initialStreak) {
    return new Builder(learnerId).streak(initialStreak).build();
  }

  /** A builder holding this learner's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Builds a learner by naming what differs from a fresh one (ONBOARDING, no XP, level 1, no
   * counters, badges or activity, version 0) or, from {@link #toBuilder}, from that learner.
   */
  public static final class Builder {
    private final String learnerId;
    private ProgressionState state = ProgressionState.ONBOARDING;
    private long xp;
    private int level = 1;
    private String timezone;
    private StreakState streak;
    private Counters counters = Counters.ZERO;
    private Instant lastActivityAt;
    private Set<String> badges = Set.of();
    private long version;
    private long notificationSeq;
    private Pace pace = Pace.EMPTY;
    private Map<String, Long> boards = Map.of();

    public Builder(String learnerId) {
      this.learnerId = learnerId;
    }

    private Builder(Learner l) {
      this(l.learnerId);
      state = l.state;
      xp = l.xp;
      level = l.level;
      timezone = l.timezone;
      streak = l.streak;
      counters = l.counters;
      lastActivityAt = l.lastActivityAt;
      badges = l.badges;
      version = l.version;
      notificationSeq = l.notificationSeq;
      pace = l.pace;
      boards = l.boards;
    }

    public Builder state(ProgressionState value) {
      state = value;
      return this;
    }

    public Builder xp(long value) {
      xp = value;
      return this;
    }

    public Builder level(int value) {
      level = value;
      return this;
    }

    public Builder timezone(String value) {
      timezone = value;
      return this;
    }

    public Builder streak(StreakState value) {
      streak = value;
      return this;
    }

    public Builder counters(Counters value) {
      counters = value;
      return this;
    }

    public Builder lastActivityAt(Instant value) {
      lastActivityAt = value;
      return this;
    }

    public Builder badges(Set<String> value) {
      badges = value;
      return this;
    }

    public Builder version(long value) {
      version = value;
      return this;
    }

    public Builder notificationSeq(long value) {
      notificationSeq = value;
      return this;
    }

    public Builder pace(Pace value) {
      pace = value;
      return this;
    }

    public Builder boards(Map<String, Long> value) {
      boards = value;
      return this;
    }

    public Learner build() {
      return new Learner(learnerId, state, xp, level, timezone, streak, counters, lastActivityAt, badges, version,
          notificationSeq, pace, boards);
    }
  }
}
