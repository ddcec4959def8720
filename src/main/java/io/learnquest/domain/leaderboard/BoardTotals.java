package io.learnquest.domain.leaderboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A learner's XP on each leaderboard, by board key: what the projection is set from after each
 * event and rebuilt from after a loss. Pure: the time and the retention come in as arguments.
 *
 * <p>A weekly total is kept while its board may still be shown: {@code retentionWeeks} after its
 * week ends ({@link Board#expiresAt}), the time the projection drops the board. Without that, a
 * learner's totals would grow by a week's entries for every week they are active.
 */
public final class BoardTotals {
  /** How many weeks after its week a weekly board is kept, unless configured otherwise. */
  public static final int DEFAULT_RETENTION_WEEKS = 12;
  private static final String ALL_TIME_SUFFIX = "/" + Board.ALL_TIME;

  private BoardTotals() {
  }

  /**
   * {@code totals} with {@code increments} added, less the weekly totals whose board has expired at
   * {@code at} (the event's time): the learner's totals after an event, as an unmodifiable map
   * ({@code totals} itself when there is nothing to add).
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Long> add(Map<String, Long> totals, Map<String, Long> increments, Instant at,
                                      int retentionWeeks) {
    if (increments.isEmpty()) {
      return totals;
    }
    // Built as the immutable map the learner keeps (its Map.copyOf takes it as it is), from one pass
    // over the totals, rather than as a HashMap to add to that the learner would copy again.
    String lastExpiredWeek = mayHoldExpired(totals, increments) ? lastExpiredWeek(at, retentionWeeks) : null;
    Map.Entry<String, Long>[] after = new Map.Entry[totals.size() + increments.size()];
    int n = 0;
    for (Map.Entry<String, Long> total : totals.entrySet()) {
      String board = total.getKey();
      if (lastExpiredWeek != null && expired(board, lastExpiredWeek)) {
        continue;
      }
      Long xp = increments.get(board);
      after[n++] = xp == null ? total : Map.entry(board, total.getValue() + xp);
    }
    for (Map.Entry<String, Long> increment : increments.entrySet()) {
      String board = increment.getKey();
      // a board without a total, or whose total has just expired, starts from the increment
      if (!totals.containsKey(board) || lastExpiredWeek != null && expired(board, lastExpiredWeek)) {
        after[n++] = increment;
      }
    }
    return Map.ofEntries(n == after.length ? after : Arrays.copyOf(after, n));
  }

  /**
   * Whether {@code totals} hold a weekly total of another board than the event adds to: only such a
   * total can have expired at the event's time.
   */
  private static boolean mayHoldExpired(Map<String, Long> totals, Map<String, Long> increments) {
    for (String board : totals.keySet()) {
      if (!increments.containsKey(board) && !board.endsWith(ALL_TIME_SUFFIX)) {
        return true;
      }
    }
    return false;
  }

  /** {@code totals} less the weekly totals whose board has expired at {@code at}. */
  public static Map<String, Long> unexpired(Map<String, Long> totals, Instant at, int retentionWeeks) {
    String lastExpiredWeek = lastExpiredWeek(at, retentionWeeks);
    Map<String, Long> kept = new HashMap<>(totals.size());
    totals.forEach((board, xp) -> {
      if (!expired(board, lastExpiredWeek)) {
        kept.put(board, xp);
      }
    });
    return kept;
  }

  /**
   * How the learner's totals move from {@code before} to {@code after}: every board whose total
   * differs, 0 standing for no total.
   */
  public static Map<String, ScoreChange> changes(Map<String, Long> before, Map<String, Long> after) {
    Map<String, ScoreChange> changes = new TreeMap<>();
    before.forEach((board, xp) -> {
      long to = after.getOrDefault(board, 0L);
      if (to != xp) {
        changes.put(board, new ScoreChange(xp, to));
      }
    });
    after.forEach((board, xp) -> {
      if (!before.containsKey(board) && xp != 0) {
        changes.put(board, new ScoreChange(0, xp));
      }
    });
    return changes;
  }

  /**
   * The newest week whose board has expired at {@code at}: a week's board expires
   * {@code 1 + retentionWeeks} weeks after its Monday, so it has expired when its Monday is on or
   * before that long ago, that is when it is that instant's week or an earlier one.
   */
  static String lastExpiredWeek(Instant at, int retentionWeeks) {
    return Board.weekOf(at.minus(Duration.ofDays(7L * (1 + retentionWeeks))));
  }

  /**
   * Whether {@code boardKey} is a weekly board of {@code lastExpiredWeek} or before. ISO weeks
   * written {@code 2026-W48} compare as text as they do in time (years of four digits).
   */
  static boolean expired(String boardKey, String lastExpiredWeek) {
    // the period after the last '/', compared where it stands rather than cut out of the key
    int period = boardKey.lastIndexOf('/') + 1;
    int length = boardKey.length() - period;
    if (length == Board.ALL_TIME.length() && boardKey.startsWith(Board.ALL_TIME, period)) {
      return false;
    }
    int common = Math.min(length, lastExpiredWeek.length());
    for (int i = 0; i < common; i++) {
      char c = boardKey.charAt(period + i);
      char week = lastExpiredWeek.charAt(i);
      if (c != week) {
        return c < week;
      }
    }
    return length <= lastExpiredWeek.length();
  }
}
