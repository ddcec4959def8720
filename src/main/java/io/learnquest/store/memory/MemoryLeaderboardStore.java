package io.learnquest.store.memory;

import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.store.LeaderboardStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Sorted sets in memory. Positions are found by walking the ordered set, which is linear; fine for
 * the embedded default, while the Redis adapter answers in O(log N).
 */
public final class MemoryLeaderboardStore implements LeaderboardStore {
  private Map<String, Board> boards = new HashMap<>();
  /** The rebuild under way, if any: its generation and the boards it fills beside the live ones. */
  private String generation;
  private Map<String, Board> building;

  private static final class Board {
    final Map<String, Long> scores = new HashMap<>();
    final TreeSet<Standing> ordered = new TreeSet<>(Standing.RANK_ORDER);

    void raise(String learnerId, long xp) {
      Long old = scores.get(learnerId);
      if (old != null && old >= xp) {
        return;
      }
      scores.put(learnerId, xp);
      if (old != null) {
        ordered.remove(new Standing(learnerId, old));
      }
      ordered.add(new Standing(learnerId, xp));
    }
  }

  @Override
  public synchronized Future<Void> setScores(String learnerId, Map<String, Long> scoresByBoard) {
    scoresByBoard.forEach((key, xp) -> boards.computeIfAbsent(key, k -> new Board()).raise(learnerId, xp));
    if (building != null) {
      scoresByBoard.forEach((key, xp) -> building.computeIfAbsent(key, k -> new Board()).raise(learnerId, xp));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> beginRebuild(String generation, long leaseMs) {
    if (this.generation == null) {
      this.generation = generation;
      this.building = new HashMap<>();
    }
    return Future.succeededFuture(this.generation);
  }

  @Override
  public synchronized Future<Void> rebuildPage(String generation, Map<String, List<Standing>> page) {
    if (!generation.equals(this.generation)) {
      return Future.failedFuture(new IllegalStateException("rebuild " + generation + " does not hold the store"));
    }
    page.forEach((key, standings) -> {
      Board board = building.computeIfAbsent(key, k -> new Board());
      standings.forEach(s -> board.raise(s.learnerId(), s.xp()));
    });
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> finishRebuild(String generation) {
    if (!generation.equals(this.generation)) {
      return Future.failedFuture(new IllegalStateException("rebuild " + generation + " does not hold the store"));
    }
    boards = building;
    this.generation = null;
    building = null;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> abandonRebuild(String generation) {
    if (generation.equals(this.generation)) {
      this.generation = null;
      building = null;
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> rebuildHolder() {
    return Future.succeededFuture(generation);
  }

  @Override
  public synchronized Future<Slice> range(String boardKey, long offset, int count) {
    Board board = boards.get(boardKey);
    if (board == null) {
      return Future.succeededFuture(new Slice(0, List.of()));
    }
    List<Standing> page = new ArrayList<>(count);
    Iterator<Standing> it = board.ordered.iterator();
    for (long i = 0; it.hasNext() && page.size() < count; i++) {
      Standing s = it.next();
      if (i >= offset) {
        page.add(s);
      }
    }
    return Future.succeededFuture(new Slice(board.ordered.size(), page));
  }

  @Override
  public synchronized Future<Long> position(String boardKey, String learnerId) {
    Board board = boards.get(boardKey);
    Long xp = board == null ? null : board.scores.get(learnerId);
    if (xp == null) {
      return Future.succeededFuture(null);
    }
    return Future.succeededFuture((long) board.ordered.headSet(new Standing(learnerId, xp)).size());
  }

  @Override
  public synchronized Future<Void> rebuild(Map<String, List<Standing>> totals) {
    totals.forEach((key, standings) -> {
      Board board = boards.computeIfAbsent(key, k -> new Board());
      standings.forEach(s -> board.raise(s.learnerId(), s.xp()));
    });
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> clear() {
    boards.clear();
    generation = null;
    building = null;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> isEmpty() {
    return Future.succeededFuture(boards.isEmpty());
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }
}
