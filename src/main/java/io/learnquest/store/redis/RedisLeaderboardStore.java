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
  /** Each page written renews the rebuild lease for this long (a rebuild whose node died frees it then). */
  static final long REBUILD_LEASE_RENEW_MS = 60_000;

  /**
   * Live writes: each score raised on its live board and, while a rebuild holds the lease, on that
   * rebuild's new board too (named after its generation, and recorded in its set of boards). One
   * script, so a write is wholly before or wholly after a swap: never lost between the two boards.
   * ARGV: key prefix, then (board, -xp, learnerId, expiry epoch second or '') per score.
   */
  static final String WRITE_SCRIPT = """
      local lp = ARGV[1]
      local gen = redis.call('GET', lp .. 'rebuild:lock')
      for i = 2, #ARGV, 4 do
        local board, score, member, expiry = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
        local live = lp .. 'board:' .. board
        redis.call('ZADD', live, 'LT', score, member)
        if expiry ~= '' then redis.call('EXPIREAT', live, expiry) end
        if gen then
          local new = lp .. 'rebuild:' .. gen .. ':' .. board
          redis.call('ZADD', new, 'LT', score, member)
          if expiry ~= '' then redis.call('EXPIREAT', new, expiry) end
          redis.call('SADD', lp .. 'rebuild:' .. gen .. ':boards', board)
        end
      end
      return 0""";

  /** Renews the rebuild lease, only for the generation holding it. ARGV: key prefix, generation, ms. */
  static final String RENEW_SCRIPT = """
      if redis.call('GET', ARGV[1] .. 'rebuild:lock') == ARGV[2] then
        return redis.call('PEXPIRE', ARGV[1] .. 'rebuild:lock', ARGV[3])
      end
      return 0""";

  /**
   * The swap, atomic: each new board renamed over its live one, the live boards given in ARGV[3..]
   * that the rebuild did not write deleted, the lease freed. Refused when the generation (ARGV[2])
   * no longer holds the lease.
   */
  static final String SWAP_SCRIPT = """
      local lp, gen = ARGV[1], ARGV[2]
      if redis.call('GET', lp .. 'rebuild:lock') ~= gen then
        return redis.error_reply('LOST the rebuild lease of generation ' .. gen .. ' is gone')
      end
      local set = lp .. 'rebuild:' .. gen .. ':boards'
      local kept = {}
      for _, board in ipairs(redis.call('SMEMBERS', set)) do
        local new = lp .. 'rebuild:' .. gen .. ':' .. board
        if redis.call('EXISTS', new) == 1 then
          redis.call('RENAME', new, lp .. 'board:' .. board)
          kept[lp .. 'board:' .. board] = true
        end
      end
      for i = 3, #ARGV do
        if not kept[ARGV[i]] then redis.call('DEL', ARGV[i]) end
      end
      redis.call('DEL', set, lp .. 'rebuild:lock')
      return 0""";

  /** Frees the lease if the generation holds it. ARGV: key prefix, generation. */
  static final String RELEASE_SCRIPT = """
      if redis.call('GET', ARGV[1] .. 'rebuild:lock') == ARGV[2] then
        redis.call('DEL', ARGV[1] .. 'rebuild:lock')
      end
      return 0""";

  private final Redis redis;
  private final String keyPrefix;
  private final String prefix;
  private final int retentionWeeks;
  private final Clock clock;
  private final GroupCommitter<Map.Entry<String, Map<String, Long>>, Boolean> writes;

  public RedisLeaderboardStore(Redis redis, String keyPrefix, int retentionWeeks, Clock clock) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
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
    Request script = Request.cmd(Command.EVAL).arg(WRITE_SCRIPT).arg(0).arg(keyPrefix);
    Set<String> expiring = new HashSet<>();
    int scores = 0;
    for (Map.Entry<String, Map<String, Long>> item : batch) {
      for (Map.Entry<String, Long> score : item.getValue().entrySet()) {
        String board = score.getKey();
        Instant expiry = Board.fromKey(board).expiresAt(retentionWeeks);
        script.arg(board).arg(-score.getValue()).arg(item.getKey())
            .arg(expiry != null && expiring.add(board) ? Long.toString(expiry.getEpochSecond()) : "");
        scores++;
      }
    }
    return (scores == 0 ? Future.<Response>succeededFuture() : send(script))
        .map(v -> batch.stream().map(i -> Boolean.TRUE).toList());
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

  /** ZADD LT merges the totals in: a score only moves up, so live updates racing the merge win. */
  @Override
  public Future<Void> rebuild(Map<String, List<Standing>> boards) {
    return batch(mergeRequests(boards, this::key, null)).onSuccess(v -> LOG.debug("Merged totals into {} leaderboards",
        boards.size())).mapEmpty();
  }

  private List<Request> mergeRequests(Map<String, List<Standing>> boards, java.util.function.UnaryOperator<String> keyOf,
                                      String boardSet) {
    Instant now = clock.instant();
    List<Request> requests = new ArrayList<>();
    boards.forEach((board, standings) -> {
      Instant expiry = Board.fromKey(board).expiresAt(retentionWeeks);
      if ((expiry != null && !expiry.isAfter(now)) || standings.isEmpty()) {
        return;
      }
      for (int from = 0; from < standings.size(); from += REBUILD_CHUNK) {
        Request zadd = Request.cmd(Command.ZADD).arg(keyOf.apply(board)).arg("LT");
        for (Standing s : standings.subList(from, Math.min(standings.size(), from + REBUILD_CHUNK))) {
          zadd.arg(-s.xp()).arg(s.learnerId());
        }
        requests.add(zadd);
      }
      if (expiry != null) {
        requests.add(Request.cmd(Command.EXPIREAT).arg(keyOf.apply(board)).arg(expiry.getEpochSecond()));
      }
      if (boardSet != null) {
        requests.add(Request.cmd(Command.SADD).arg(boardSet).arg(board));
      }
    });
    return requests;
  }

  private String lockKey() {
    return keyPrefix + "rebuild:lock";
  }

  private String newBoardKey(String generation, String board) {
    return keyPrefix + "rebuild:" + generation + ":" + board;
  }

  private String boardSetKey(String generation) {
    return keyPrefix + "rebuild:" + generation + ":boards";
  }

  /**
   * SET NX with an expiry is the lease; the boards a dead node's rebuild left behind (its lease
   * expired) are dropped first, as no rebuild runs.
   */
  @Override
  public Future<String> beginRebuild(String generation, long leaseMs) {
    return send(Request.cmd(Command.SET).arg(lockKey()).arg(generation).arg("NX").arg("PX").arg(leaseMs))
        .compose(set -> {
          if (set == null) {
            return rebuildHolder().compose(holder -> holder != null ? Future.succeededFuture(holder)
                : beginRebuild(generation, leaseMs));
          }
          return keys(keyPrefix + "rebuild:*", new ArrayList<>()).compose(keys -> {
            List<Request> dels = keys.stream().filter(k -> !k.equals(lockKey())
                    && !k.startsWith(keyPrefix + "rebuild:" + generation + ":"))
                .map(k -> Request.cmd(Command.DEL).arg(k)).toList();
            return batch(dels);
          }).map(generation);
        });
  }

  @Override
  public Future<Void> rebuildPage(String generation, Map<String, List<Standing>> boards) {
    List<Request> requests = new ArrayList<>(mergeRequests(boards, board -> newBoardKey(generation, board),
        boardSetKey(generation)));
    requests.add(Request.cmd(Command.EVAL).arg(RENEW_SCRIPT).arg(0).arg(keyPrefix).arg(generation)
        .arg(REBUILD_LEASE_RENEW_MS));
    return batch(requests).mapEmpty();
  }

  @Override
  public Future<Void> finishRebuild(String generation) {
    return boardKeys(new ArrayList<>()).compose(live -> {
      Request swap = Request.cmd(Command.EVAL).arg(SWAP_SCRIPT).arg(0).arg(keyPrefix).arg(generation);
      live.forEach(swap::arg);
      // A lost lease (this node stalled past it) fails like an unreachable store: nothing swapped.
      return send(swap);
    }).mapEmpty();
  }

  @Override
  public Future<Void> abandonRebuild(String generation) {
    return send(Request.cmd(Command.EVAL).arg(RELEASE_SCRIPT).arg(0).arg(keyPrefix).arg(generation))
        .compose(v -> keys(keyPrefix + "rebuild:" + generation + ":*", new ArrayList<>()))
        .compose(keys -> batch(keys.stream().map(k -> Request.cmd(Command.DEL).arg(k)).toList()))
        .mapEmpty();
  }

  @Override
  public Future<String> rebuildHolder() {
    return send(Request.cmd(Command.GET).arg(lockKey())).map(r -> r == null ? null : r.toString());
  }

  @Override
  public Future<Void> clear() {
    return boardKeys(new ArrayList<>())
        .compose(keys -> keys(keyPrefix + "rebuild:*", keys))
        .compose(keys -> batch(keys.stream().map(k -> Request.cmd(Command.DEL).arg(k)).toList()))
        .mapEmpty();
  }

  private Future<List<String>> boardKeys(List<String> found) {
    return keys(prefix + "*", found);
  }

  private Future<List<String>> keys(String pattern, List<String> found) {
    return scan("0", pattern, found);
  }

  private Future<List<String>> scan(String cursor, String pattern, List<String> found) {
    return send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000))
        .compose(r -> {
          r.get(1).forEach(k -> found.add(k.toString()));
          String next = r.get(0).toString();
          return "0".equals(next) ? Future.succeededFuture(found) : scan(next, pattern, found);
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
