package io.learnquest.store.redis;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.store.GroupCommitter;
import io.learnquest.store.LeaderboardStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaderboards on Redis sorted sets. The member's score is {@code -xp}: ascending order by score
 * then member gives "XP descending, ties by learnerId ascending" (docs/rules.md, "Leaderboards") directly, so
 * ranks come from ZRANK in O(log N). Scores are set to durable totals with ZADD LT ("only if lower",
 * i.e. only if the XP is higher; Redis 6.2 or later), never incremented, so a late or redelivered
 * update is harmless. Weekly boards expire {@code weeklyRetentionWeeks} after their week.
 * Concurrent writes are pipelined together.
 */
public final class RedisLeaderboardStore implements LeaderboardStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLeaderboardStore.class);
  static final int WRITE_BATCH = 500;
  static final int REBUILD_CHUNK = 1000;
  static final int MAX_PIPELINE = 1000;

  private final Redis redis;
  private final String prefix;
  private final int retentionWeeks;
  private final Clock clock;
  private final GroupCommitter<Map.Entry<String, Map<String, Long>>, Boolean> writes;

  public RedisLeaderboardStore(Redis redis, String keyPrefix, int retentionWeeks, Clock clock) {
    this.redis = redis;
    this.prefix = keyPrefix + "board:";
    this.retentionWeeks = retentionWeeks;
    this.clock = clock;
    this.writes = new GroupCommitter<>(WRITE_BATCH, 2, this::writeBatch);
  }

  String key(String board) {
    return prefix + board;
  }

  @Override
  public Future<Void> setScores(String learnerId, Map<String, Long> scoresByBoard) {
    return writes.submit(Map.entry(learnerId, scoresByBoard)).mapEmpty();
  }

  private Future<List<Boolean>> writeBatch(List<Map.Entry<String, Map<String, Long>>> batch) {
    List<Request> requests = new ArrayList<>();
    Set<String> expiring = new HashSet<>();
    for (Map.Entry<String, Map<String, Long>> item : batch) {
      item.getValue().forEach((board, xp) -> {
        requests.add(Request.cmd(Command.ZADD).arg(key(board)).arg("LT").arg(-xp).arg(item.getKey()));
        Instant expiry = Board.fromKey(board).expiresAt(retentionWeeks);
        if (expiry != null && expiring.add(board)) {
          requests.add(Request.cmd(Command.EXPIREAT).arg(key(board)).arg(expiry.getEpochSecond()));
        }
      });
    }
    return batch(requests).map(v -> batch.stream().map(i -> Boolean.TRUE).toList());
  }

  @Override
  public Future<Slice> range(String boardKey, long offset, int count) {
    String key = key(boardKey);
    return batch(List.of(
            Request.cmd(Command.ZCARD).arg(key),
            Request.cmd(Command.ZRANGE).arg(key).arg(offset).arg(offset + count - 1).arg("WITHSCORES")))
        .map(responses -> {
          long total = responses.get(0).toLong();
          Response flat = responses.get(1);
          List<Standing> standings = new ArrayList<>(flat.size() / 2);
          for (int i = 0; i + 1 < flat.size(); i += 2) {
            standings.add(new Standing(flat.get(i).toString(), -Math.round(flat.get(i + 1).toDouble())));
          }
          return new Slice(total, standings);
        });
  }

  @Override
  public Future<Long> position(String boardKey, String learnerId) {
    return send(Request.cmd(Command.ZRANK).arg(key(boardKey)).arg(learnerId))
        .map(r -> r == null ? null : r.toLong());
  }

  /** ZADD LT merges the totals in: a score only moves up, so live updates racing the rebuild win. */
  @Override
  public Future<Void> rebuild(Map<String, List<Standing>> boards) {
    Instant now = clock.instant();
    List<Request> requests = new ArrayList<>();
    boards.forEach((board, standings) -> {
      Instant expiry = Board.fromKey(board).expiresAt(retentionWeeks);
      if ((expiry != null && !expiry.isAfter(now)) || standings.isEmpty()) {
        return;
      }
      for (int from = 0; from < standings.size(); from += REBUILD_CHUNK) {
        Request zadd = Request.cmd(Command.ZADD).arg(key(board)).arg("LT");
        for (Standing s : standings.subList(from, Math.min(standings.size(), from + REBUILD_CHUNK))) {
          zadd.arg(-s.xp()).arg(s.learnerId());
        }
        requests.add(zadd);
      }
      if (expiry != null) {
        requests.add(Request.cmd(Command.EXPIREAT).arg(key(board)).arg(expiry.getEpochSecond()));
      }
    });
    return batch(requests).onSuccess(v -> LOG.debug("Merged totals into {} leaderboards", boards.size())).mapEmpty();
  }

  @Override
  public Future<Void> clear() {
    return boardKeys("0", new ArrayList<>())
        .compose(keys -> batch(keys.stream().map(k -> Request.cmd(Command.DEL).arg(k)).toList()))
        .mapEmpty();
  }

  private Future<List<String>> boardKeys(String cursor, List<String> found) {
    return send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*").arg("COUNT").arg(1000))
        .compose(r -> {
          r.get(1).forEach(k -> found.add(k.toString()));
          String next = r.get(0).toString();
          return "0".equals(next) ? Future.succeededFuture(found) : boardKeys(next, found);
        });
  }

  /** Every XP lands on the global all-time board, so the projection is empty exactly when it is. */
  @Override
  public Future<Boolean> isEmpty() {
    return send(Request.cmd(Command.EXISTS).arg(key(Board.global(Board.ALL_TIME).key())))
        .map(r -> r.toLong() == 0);
  }

  @Override
  public Future<Void> ping() {
    return send(Request.cmd(Command.PING)).mapEmpty();
  }

  private Future<Response> send(Request request) {
    return redis.send(request).recover(RedisLeaderboardStore::unavailable);
  }

  /**
   * Sends the commands pipelined, at most {@link #MAX_PIPELINE} at a time: a connection refuses more
   * than 2,048 waiting commands ("waiting queue is full"), and a rebuild or a clear over thousands of
   * boards asks for more than that.
   */
  private Future<List<Response>> batch(List<Request> requests) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (requests.size() <= MAX_PIPELINE) {
      return redis.batch(requests).recover(RedisLeaderboardStore::unavailable);
    }
    return batchFrom(requests, 0, new ArrayList<>(requests.size())).recover(RedisLeaderboardStore::unavailable);
  }

  private Future<List<Response>> batchFrom(List<Request> requests, int from, List<Response> answered) {
    int to = Math.min(requests.size(), from + MAX_PIPELINE);
    return redis.batch(requests.subList(from, to)).compose(part -> {
      answered.addAll(part);
      return to == requests.size() ? Future.succeededFuture(answered) : batchFrom(requests, to, answered);
    });
  }

  private static <T> Future<T> unavailable(Throwable e) {
    LOG.warn("Redis failed: {}", e.toString());
    return Future.failedFuture(Failure.STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
        "the leaderboard store is unavailable; retry later", null));
  }
}
