package io.learnquest.store;

import io.learnquest.domain.leaderboard.Standing;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Leaderboards as sorted sets: score descending, ties by learnerId ascending. Scores are set to
 * the durable totals (never incremented blindly), so a redelivered update is harmless.
 */
public interface LeaderboardStore {
  Future<Void> setScores(String learnerId, Map<String, Long> scoresByBoard);

  /** {@code count} standings from 0-based position {@code offset}, with the board's size. */
  Future<Slice> range(String boardKey, long offset, int count);

  /** 0-based position of the learner, or null when they have no entry. */
  Future<Long> position(String boardKey, String learnerId);

  /** Replaces every board with the given totals (a rebuild from the durable store). */
  Future<Void> replaceAll(Map<String, List<Standing>> boards);

  Future<Boolean> isEmpty();

  Future<Void> ping();

  record Slice(long total, List<Standing> standings) {
  }
}
