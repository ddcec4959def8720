package io.learnquest.store;

import io.learnquest.domain.leaderboard.Standing;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Leaderboards as sorted sets: score descending, ties by learnerId ascending. Scores are set to
 * the durable totals (never incremented blindly) and never lowered: XP only grows, so an update
 * that arrives late or twice, or a rebuild racing live updates, can never make a score go stale.
 */
public interface LeaderboardStore {
  /** Raises the learner's score in each board to the given total (a lower total changes nothing). */
  Future<Void> setScores(String learnerId, Map<String, Long> scoresByBoard);

  /** {@code count} standings from 0-based position {@code offset}, with the board's size. */
  Future<Slice> range(String boardKey, long offset, int count);

  /** 0-based position of the learner, or null when they have no entry. */
  Future<Long> position(String boardKey, String learnerId);

  /**
   * Rebuilds from the durable totals, all at once or a page at a time: afterwards every given
   * learner has at least the given score in each given board (scores are merged upwards, as by
   * {@link #setScores}), and boards and learners not given are left as they are.
   */
  Future<Void> rebuild(Map<String, List<Standing>> boards);

  /** Drops every board (used before a rebuild from scratch, and by tests). */
  Future<Void> clear();

  Future<Boolean> isEmpty();

  Future<Void> ping();

  record Slice(long total, List<Standing> standings) {
  }
}
