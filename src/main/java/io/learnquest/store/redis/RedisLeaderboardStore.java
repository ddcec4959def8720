package io.learnquest.store.redis;

import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.store.GroupCommitter;
import io.learnquest.store.LeaderboardStore;
import io.learnquest.store.StoreException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaderboards on Redis sorted sets. The member's score is {@code -xp}: ascending order by score
 * then member gives "XP descending, ties by learnerId ascending" (docs/rules.md, "Leaderboards") directly, so
 * ranks come from ZRANK in O(log N). Scores are set to durable totals with ZADD LT ("only if lower",
 * i.e. only if the XP is higher; Redis 6.2 or later), never incremented, so a late or redelivered
 * update is harmless. Weekly boards expire {@code weeklyRetentionWeeks} after their week.
 * Concurrent writes are pipelined together. Each tenant's keys sit under a prefix of its own,
 * {@code <prefix>t:<tenant>:} (tenant ids are {@code [a-z0-9-]}, so no tenant's keys match
 * another's pattern): its boards {@code board:<board>}, and its rebuild's lease and new boards
 * {@code rebuild:...}. The scripts take that prefix, so a tenant's rebuild swaps its boards alone.
 * Scripts are sent by their SHA-1 ({@code EVALSHA}), and in full only when Redis does not know them
 * ({@link LuaScript}).
 */
public final class RedisLeaderboardStore implements LeaderboardStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLeaderboardStore.class);
  /** Also bounds a board's scores in one script call, which Lua unpacks (at most about 8,000 values). */
  static final int WRITE_BATCH = 500;
  static final int REBUILD_CHUNK = 1000;
  static final int MAX_PIPELINE = 1000;
  /** Each page written renews the rebuild lease for this long (a rebuild whose node died frees it then). */
  static final long REBUILD_LEASE_RENEW_MS = 60_000;

  /**
   * Live writes: each score raised on its live board and, while a rebuild holds the lease, on that
   * rebuild's new board too (named after its generation, and recorded in its set of boards). One
   * script, so a write is wholly before or wholly after a swap: never lost between the two boards.
   * The scores come grouped by board, so that each board of a batch costs one ZADD of all its
   * members (a command per score cost Redis a sixth more CPU per event).
   * ARGV: key prefix, then per board: the board, its expiry epoch second or '', the number n of its
   * scores, and n (-xp, learnerId) pairs.
   */
  static final String WRITE_SCRIPT = """
      local lp = ARGV[1]
      local gen = redis.call('GET', lp .. 'rebuild:lock')
      local i = 2
      while i <= #ARGV do
        local board, expiry = ARGV[i], ARGV[i + 1]
        local first, last = i + 3, i + 2 + 2 * tonumber(ARGV[i + 2])
        local keys = {lp .. 'board:' .. board}
        if gen then keys[2] = lp .. 'rebuild:' .. gen .. ':' .. board end
        for _, key in ipairs(keys) do
          redis.call('ZADD', key, 'LT', unpack(ARGV, first, last))
          if expiry ~= '' then redis.call('EXPIREAT', key, expiry) end
        end
        if gen then redis.call('SADD', lp .. 'rebuild:' .. gen .. ':boards', board) end
        i = last + 1
      end
      return 0""";

  /**
   * Corrections (a voided event): each score replaced where it still is the one given, on the live
   * board and, while a rebuild holds the lease, on its new board too. Answers 1 when a rebuild holds
   * it. ARGV: key prefix, learnerId, then (board, old score or '' for no entry, new score or '' for
   * no entry, expiry epoch second or '') per board.
   */
  static final String REPLACE_SCRIPT = """
      local lp, member = ARGV[1], ARGV[2]
      local gen = redis.call('GET', lp .. 'rebuild:lock')
      for i = 3, #ARGV, 4 do
        local board, from, to, expiry = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
        local keys = {lp .. 'board:' .. board}
        if gen then keys[2] = lp .. 'rebuild:' .. gen .. ':' .. board end
        for _, key in ipairs(keys) do
          local current = redis.call('ZSCORE', key, member)
          local same = (not current and from == '') or (current and from ~= '' and tonumber(current) == tonumber(from))
          if same then
            if to == '' then
              redis.call('ZREM', key, member)
            else
              redis.call('ZADD', key, to, member)
              if expiry ~= '' then redis.call('EXPIREAT', key, expiry) end
              if key ~= keys[1] then redis.call('SADD', lp .. 'rebuild:' .. gen .. ':boards', board) end
            end
          end
        end
      end
      if gen then return 1 end
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

  private static final LuaScript WRITE = LuaScript.of(WRITE_SCRIPT);
  private static final LuaScript REPLACE = LuaScript.of(REPLACE_SCRIPT);
  private static final LuaScript RENEW = LuaScript.of(RENEW_SCRIPT);
  private static final LuaScript SWAP = LuaScript.of(SWAP_SCRIPT);
  private static final LuaScript RELEASE = LuaScript.of(RELEASE_SCRIPT);

  private final Redis redis;
  private final String keyPrefix;
  private final int retentionWeeks;
  private final Clock clock;
  private final GroupCommitter<Write, Boolean> writes;

  /** One learner's new totals. */
  private record Write(String tenant, String learnerId, Map<String, Long> scoresByBoard) {
  }

  public RedisLeaderboardStore(Redis redis, String keyPrefix, int retentionWeeks, Clock clock) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
    this.retentionWeeks = retentionWeeks;
    this.clock = clock;
    this.writes = new GroupCommitter<>(WRITE_BATCH, 2, this::writeBatch);
  }

  /** The prefix of every key of the tenant. */
  String tenantPrefix(String tenant) {
    return keyPrefix + "t:" + tenant + ":";
  }

  String key(String tenant, String board) {
    return tenantPrefix(tenant) + "board:" + board;
  }

  @Override
  public Future<Void> setScores(String tenant, String learnerId, Map<String, Long> scoresByBoard) {
    return writes.submit(new Write(tenant, learnerId, scoresByBoard)).mapEmpty();
  }

  /**
   * One script call per tenant of the group (a script works under one tenant's prefix), pipelined,
   * each with the group's scores by board: one ZADD per board. A learner written twice keeps the
   * higher XP either way ({@code LT}). The calls touch disjoint keys, so one that Redis refused with NOSCRIPT
   * and that is sent again after the others changes nothing they wrote.
   */
  private Future<List<Boolean>> writeBatch(List<Write> batch) {
    Map<String, Map<String, List<String>>> pairsByTenant = new LinkedHashMap<>();
    for (Write item : batch) {
      Map<String, List<String>> pairsByBoard = pairsByTenant.computeIfAbsent(item.tenant(), t -> new LinkedHashMap<>());
      item.scoresByBoard().forEach((board, xp) -> {
        List<String> pairs = pairsByBoard.computeIfAbsent(board, b -> new ArrayList<>());
        pairs.add(Long.toString(-xp));
        pairs.add(item.learnerId());
      });
    }
    List<BiFunction<Command, String, Request>> calls = new ArrayList<>(pairsByTenant.size());
    pairsByTenant.forEach((tenant, pairsByBoard) -> {
      List<String> args = new ArrayList<>();
      args.add(tenantPrefix(tenant));
      pairsByBoard.forEach((board, pairs) -> {
        Instant expiry = Board.fromKey(board).expiresAt(retentionWeeks);
        String expiryArg = expiry == null ? "" : Long.toString(expiry.getEpochSecond());
        args.add(board);
        args.add(expiryArg);
        args.add(Integer.toString(pairs.size() / 2));
        args.addAll(pairs);
      });
      calls.add((command, script) -> scriptCall(command, script, args));
    });
    return WRITE.runEach(redis, calls).recover(RedisLeaderboardStore::unavailable)
        .map(v -> batch.stream().map(i -> Boolean.TRUE).toList());
  }

  /** A call of a script that takes no keys: {@code args} are its ARGV. */
  private static Request scriptCall(Command command, String script, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(0);
    args.forEach(request::arg);
    return request;
  }

  private Future<Response> run(LuaScript script, List<String> args) {
    return script.run(redis, (command, named) -> scriptCall(command, named, args))
        .recover(RedisLeaderboardStore::unavailable);
  }

  @Override
  public Future<Boolean> replaceScores(String tenant, String learnerId, Map<String, ScoreChange> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(false);
    }
    List<String> args = new ArrayList<>(List.of(tenantPrefix(tenant), learnerId));
    changes.forEach((board, change) -> {
      Instant expiry = Board.fromKey(board).expiresAt(retentionWeeks);
      args.add(board);
      args.add(change.from() == 0 ? "" : Long.toString(-change.from()));
      args.add(change.to() == 0 ? "" : Long.toString(-change.to()));
      args.add(expiry != null ? Long.toString(expiry.getEpochSecond()) : "");
    });
    return run(REPLACE, args).map(r -> r.toLong() == 1);
  }

  @Override
  public Future<Slice> range(String tenant, String boardKey, long offset, int count) {
    String key = key(tenant, boardKey);
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
  public Future<Long> position(String tenant, String boardKey, String learnerId) {
    return send(Request.cmd(Command.ZRANK).arg(key(tenant, boardKey)).arg(learnerId))
        .map(r -> r == null ? null : r.toLong());
  }

  /** ZADD LT merges the totals in: a score only moves up, so live updates racing the merge win. */
  @Override
  public Future<Void> rebuild(String tenant, Map<String, List<Standing>> boards) {
    return batch(mergeRequests(boards, board -> key(tenant, board), null)).onSuccess(v -> LOG.debug("Merged totals into {} leaderboards",
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

  private String lockKey(String tenant) {
    return tenantPrefix(tenant) + "rebuild:lock";
  }

  private String newBoardKey(String tenant, String generation, String board) {
    return tenantPrefix(tenant) + "rebuild:" + generation + ":" + board;
  }

  private String boardSetKey(String tenant, String generation) {
    return tenantPrefix(tenant) + "rebuild:" + generation + ":boards";
  }

  /**
   * SET NX with an expiry is the lease; the boards a dead node's rebuild left behind (its lease
   * expired) are dropped first, as no rebuild runs.
   */
  @Override
  public Future<String> beginRebuild(String tenant, String generation, long leaseMs) {
    return send(Request.cmd(Command.SET).arg(lockKey(tenant)).arg(generation).arg("NX").arg("PX").arg(leaseMs))
        .compose(set -> {
          if (set == null) {
            return rebuildHolder(tenant).compose(holder -> holder != null ? Future.succeededFuture(holder)
                : beginRebuild(tenant, generation, leaseMs));
          }
          return keys(tenantPrefix(tenant) + "rebuild:*", new ArrayList<>()).compose(keys -> {
            List<Request> dels = keys.stream().filter(k -> !k.equals(lockKey(tenant))
                    && !k.startsWith(tenantPrefix(tenant) + "rebuild:" + generation + ":"))
                .map(k -> Request.cmd(Command.DEL).arg(k)).toList();
            return batch(dels);
          }).map(generation);
        });
  }

  @Override
  public Future<Void> rebuildPage(String tenant, String generation, Map<String, List<Standing>> boards) {
    // The lease is renewed once the page is written, as a script of its own: a batch with an error
    // reply (NOSCRIPT) fails as a whole.
    return batch(mergeRequests(boards, board -> newBoardKey(tenant, generation, board), boardSetKey(tenant, generation)))
        .compose(written -> run(RENEW, List.of(tenantPrefix(tenant), generation, Long.toString(REBUILD_LEASE_RENEW_MS))))
        .mapEmpty();
  }

  @Override
  public Future<Void> finishRebuild(String tenant, String generation) {
    return keys(tenantPrefix(tenant) + "board:*", new ArrayList<>()).compose(live -> {
      List<String> args = new ArrayList<>(List.of(tenantPrefix(tenant), generation));
      args.addAll(live);
      // A lost lease (this node stalled past it) fails like an unreachable store: nothing swapped.
      return run(SWAP, args);
    }).mapEmpty();
  }

  @Override
  public Future<Void> abandonRebuild(String tenant, String generation) {
    return run(RELEASE, List.of(tenantPrefix(tenant), generation))
        .compose(v -> keys(tenantPrefix(tenant) + "rebuild:" + generation + ":*", new ArrayList<>()))
        .compose(keys -> batch(keys.stream().map(k -> Request.cmd(Command.DEL).arg(k)).toList()))
        .mapEmpty();
  }

  @Override
  public Future<String> rebuildHolder(String tenant) {
    return send(Request.cmd(Command.GET).arg(lockKey(tenant))).map(r -> r == null ? null : r.toString());
  }

  @Override
  public Future<Void> clear() {
    return keys(keyPrefix + "t:*:board:*", new ArrayList<>())
        .compose(keys -> keys(keyPrefix + "t:*:rebuild:*", keys))
        .compose(keys -> batch(keys.stream().map(k -> Request.cmd(Command.DEL).arg(k)).toList()))
        .mapEmpty();
  }

  @Override
  public Future<Void> eraseTenant(String tenant) {
    return keys(tenantPrefix(tenant) + "*", new ArrayList<>())
        .compose(keys -> batch(keys.stream().map(k -> Request.cmd(Command.DEL).arg(k)).toList()))
        .mapEmpty();
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
  public Future<Boolean> isEmpty(String tenant) {
    return send(Request.cmd(Command.EXISTS).arg(key(tenant, Board.global(Board.ALL_TIME).key())))
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
    return Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE,
        "the leaderboard store is unavailable; retry later"));
  }
}
