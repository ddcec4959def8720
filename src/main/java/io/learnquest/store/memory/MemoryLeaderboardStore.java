package io.learnquest.store.memory;

import io.learnquest.domain.leaderboard.BoardTotals;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.store.LeaderboardStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Sorted sets in memory. Positions are found by walking the ordered set, which is linear; fine for
 * the embedded default, while the Redis adapter answers in O(log N). Each tenant has its boards,
 * and its rebuild, apart. Weekly boards expire {@code retentionWeeks} after their week, as in Redis:
 * a write to an expired board is dropped, a read finds it empty, and a new board's arrival sweeps
 * the expired ones out.
 */
public final class MemoryLeaderboardStore implements LeaderboardStore {
  private final Map<String, Space> tenants = new HashMap<>();
  private final int retentionWeeks;
  private final Clock clock;
  /** When each board key seen expires (null: never), worked out once per key. */
  private final Map<String, Optional<Instant>> expiries = new HashMap<>();

  /** Weekly boards kept the default 12 weeks after their week, by the system clock. */
  public MemoryLeaderboardStore() {
    this(BoardTotals.DEFAULT_RETENTION_WEEKS, Clock.systemUTC());
  }

  public MemoryLeaderboardStore(int retentionWeeks, Clock clock) {
    this.retentionWeeks = retentionWeeks;
    this.clock = clock;
  }

  private boolean expired(String boardKey) {
    Optional<Instant> expiry = expiries.computeIfAbsent(boardKey,
        k -> Optional.ofNullable(io.learnquest.domain.leaderboard.Board.fromKey(k).expiresAt(retentionWeeks)));
    return expiry.isPresent() && !expiry.get().isAfter(clock.instant());
  }

  /** {@code boards}' board {@code key} to write to, made when new (sweeping out expired ones then); null when expired. */
  private Board writable(Map<String, Board> boards, String key) {
    if (expired(key)) {
      boards.remove(key);
      return null;
    }
    Board board = boards.get(key);
    if (board == null) {
      boards.keySet().removeIf(this::expired);
      board = new Board();
      boards.put(key, board);
    }
    return board;
  }

  /** The live board {@code key} of the tenant to read, or null (none, or expired). */
  private Board readable(String tenant, String key) {
    Space space = tenants.get(tenant);
    Board board = space == null ? null : space.boards.get(key);
    if (board != null && expired(key)) {
      space.boards.remove(key);
      return null;
    }
    return board;
  }

  /** One tenant's boards. */
  private static final class Space {
    Map<String, Board> boards = new HashMap<>();
    /** The rebuild under way, if any: its generation and the boards it fills beside the live ones. */
    String generation;
    Map<String, Board> building;
  }

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

    void replace(String learnerId, ScoreChange change) {
      Long old = scores.get(learnerId);
      if ((old == null ? 0 : old) != change.from()) {
        return;
      }
      if (old != null) {
        ordered.remove(new Standing(learnerId, old));
        scores.remove(learnerId);
      }
      if (change.to() > 0) {
        scores.put(learnerId, change.to());
        ordered.add(new Standing(learnerId, change.to()));
      }
    }
  }

  @Override
  public synchronized Future<Boolean> replaceScores(String tenant, String learnerId, Map<String, ScoreChange> changes) {
    Space space = space(tenant);
    changes.forEach((key, change) -> replaceIn(space.boards, key, learnerId, change));
    if (space.building != null) {
      changes.forEach((key, change) -> replaceIn(space.building, key, learnerId, change));
    }
    return Future.succeededFuture(space.building != null);
  }

  private void replaceIn(Map<String, Board> boards, String key, String learnerId, ScoreChange change) {
    Board board = change.from() == 0 ? writable(boards, key) : boards.get(key);
    if (board != null) {
      board.replace(learnerId, change);
      if (board.scores.isEmpty()) {
        boards.remove(key);
      }
    }
  }

  private void raise(Map<String, Board> boards, String key, String learnerId, long xp) {
    Board board = writable(boards, key);
    if (board != null) {
      board.raise(learnerId, xp);
    }
  }

  /** Every standing raised on {@code boards}' board {@code key}, found (or made) once. */
  private void raiseAll(Map<String, Board> boards, String key, List<Standing> standings) {
    Board board = writable(boards, key);
    if (board != null) {
      standings.forEach(s -> board.raise(s.learnerId(), s.xp()));
    }
  }

  private Space space(String tenant) {
    return tenants.computeIfAbsent(tenant, t -> new Space());
  }

  @Override
  public synchronized Future<Void> setScores(String tenant, String learnerId, Map<String, Long> scoresByBoard) {
    Space space = space(tenant);
    scoresByBoard.forEach((key, xp) -> raise(space.boards, key, learnerId, xp));
    if (space.building != null) {
      scoresByBoard.forEach((key, xp) -> raise(space.building, key, learnerId, xp));
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> beginRebuild(String tenant, String generation, long leaseMs) {
    Space space = space(tenant);
    if (space.generation == null) {
      space.generation = generation;
      space.building = new HashMap<>();
    }
    return Future.succeededFuture(space.generation);
  }

  @Override
  public synchronized Future<Void> rebuildPage(String tenant, String generation, Map<String, List<Standing>> page) {
    Space space = space(tenant);
    if (!generation.equals(space.generation)) {
      return Future.failedFuture(new IllegalStateException("rebuild " + generation + " does not hold the store"));
    }
    page.forEach((key, standings) -> raiseAll(space.building, key, standings));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> finishRebuild(String tenant, String generation) {
    Space space = space(tenant);
    if (!generation.equals(space.generation)) {
      return Future.failedFuture(new IllegalStateException("rebuild " + generation + " does not hold the store"));
    }
    space.boards = space.building;
    space.generation = null;
    space.building = null;
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> abandonRebuild(String tenant, String generation) {
    Space space = space(tenant);
    if (generation.equals(space.generation)) {
      space.generation = null;
      space.building = null;
    }
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<String> rebuildHolder(String tenant) {
    Space space = tenants.get(tenant);
    return Future.succeededFuture(space == null ? null : space.generation);
  }

  @Override
  public synchronized Future<Slice> range(String tenant, String boardKey, long offset, int count) {
    Board board = readable(tenant, boardKey);
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
  public synchronized Future<Long> position(String tenant, String boardKey, String learnerId) {
    Board board = readable(tenant, boardKey);
    Long xp = board == null ? null : board.scores.get(learnerId);
    if (xp == null) {
      return Future.succeededFuture(null);
    }
    return Future.succeededFuture((long) board.ordered.headSet(new Standing(learnerId, xp)).size());
  }

  @Override
  public synchronized Future<Void> rebuild(String tenant, Map<String, List<Standing>> totals) {
    Space space = space(tenant);
    totals.forEach((key, standings) -> raiseAll(space.boards, key, standings));
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> clear() {
    tenants.clear();
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Void> eraseTenant(String tenant) {
    tenants.remove(tenant);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> isEmpty(String tenant) {
    Space space = tenants.get(tenant);
    if (space != null) {
      space.boards.keySet().removeIf(this::expired);
    }
    return Future.succeededFuture(space == null || space.boards.isEmpty());
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }
}
