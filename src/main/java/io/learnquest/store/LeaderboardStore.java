package io.learnquest.store;

import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.leaderboard.Standing;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Leaderboards as sorted sets: score descending, ties by learnerId ascending. Scores are set to
 * the durable totals (never incremented blindly) and never lowered: XP only grows, so an update
 * that arrives late or twice, or a rebuild racing live updates, can never make a score go stale.
 * Each tenant has boards of its own, and rebuilds them on its own: every call names the tenant, and
 * sees and changes nothing of another.
 */
public interface LeaderboardStore {
  /** Raises the learner's score in each board to the given total (a lower total changes nothing). */
  Future<Void> setScores(String tenant, String learnerId, Map<String, Long> scoresByBoard);

  /**
   * Corrects the learner's score on each board from {@code from} to {@code to} (0: the entry goes),
   * where it still is {@code from}: a voided event lowers durable totals, which {@link #setScores}
   * never does. A board whose score is no longer {@code from} is left alone (a later update already
   * carries the corrected total, or the board was behind and is rebuilt anyway). While a rebuild
   * runs its new boards get the same correction, and the answer is true: a page it read before the
   * correction may bring the old score back, so the caller has the boards rebuilt again.
   */
  Future<Boolean> replaceScores(String tenant, String learnerId, Map<String, ScoreChange> changes);

  /** {@code count} standings from 0-based position {@code offset}, with the board's size. */
  Future<Slice> range(String tenant, String boardKey, long offset, int count);

  /** 0-based position of the learner, or null when they have no entry. */
  Future<Long> position(String tenant, String boardKey, String learnerId);

  /**
   * Merges durable totals in, all at once or a page at a time: afterwards every given
   * learner has at least the given score in each given board (scores are merged upwards, as by
   * {@link #setScores}), and boards and learners not given are left as they are.
   */
  Future<Void> rebuild(String tenant, Map<String, List<Standing>> boards);

  /**
   * Starts a rebuild from scratch beside the live boards, which keep answering reads: from now until
   * {@link #finishRebuild} or {@link #abandonRebuild}, every {@link #setScores} lands in the new
   * boards too, so no live update made meanwhile is lost. One rebuild at a time per tenant, across
   * nodes: the lease is held for {@code leaseMs} and renewed by every page written. Answers the
   * generation that holds it: {@code generation} itself when this call took it, another one when
   * a rebuild runs already (join it by waiting until {@link #rebuildHolder} no longer names it).
   */
  Future<String> beginRebuild(String tenant, String generation, long leaseMs);

  /** Merges a page of durable totals into the rebuild's new boards (upwards, as {@link #setScores}). */
  Future<Void> rebuildPage(String tenant, String generation, Map<String, List<Standing>> boards);

  /**
   * Puts the rebuilt boards in place of the live ones in one atomic step (a read sees the old
   * boards or the new ones, never a mix or a gap); live boards the rebuild did not write go. Fails,
   * changing nothing, when {@code generation} no longer holds the lease.
   */
  Future<Void> finishRebuild(String tenant, String generation);

  /** Drops the rebuild's new boards and frees the lease; the live boards stay as they are. */
  Future<Void> abandonRebuild(String tenant, String generation);

  /** The generation of the rebuild running now, or null when none is. */
  Future<String> rebuildHolder(String tenant);

  /** Drops every board of every tenant, and any rebuild under way (used by tests). */
  Future<Void> clear();

  /** Drops the tenant's boards and any rebuild of them under way; other tenants keep theirs. */
  Future<Void> eraseTenant(String tenant);

  /** Whether the tenant has no board at all. */
  Future<Boolean> isEmpty(String tenant);

  Future<Void> ping();

  record Slice(long total, List<Standing> standings) {
  }
}
