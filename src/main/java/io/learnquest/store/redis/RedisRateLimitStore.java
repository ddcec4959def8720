package io.learnquest.store.redis;

import io.learnquest.domain.limits.Gcra;
import io.learnquest.store.RateLimitStore;
import io.learnquest.store.StoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate budgets in Redis, shared by every node on the same Redis and key prefix: each budget is one
 * string key {@code <prefix>t:<tenant>:rl:<name>} holding its GCRA theoretical arrival time in
 * microseconds, changed only by {@link #SCRIPT}, which runs {@link Gcra#take} for every take of a
 * request in one atomic step. A key expires once its budget is full again, so idle budgets cost
 * nothing. The calls made on one event loop in one turn travel as one script call (each call still
 * atomic on its own: the script runs them one after the other), so a busy node pays one round trip
 * per turn, not two per request. The script is sent by its SHA-1 ({@code EVALSHA}), and in full once
 * when Redis does not know it yet. (All keys of one call are named in KEYS; a Redis Cluster would need them in one
 * hash slot.)
 */
public final class RedisRateLimitStore implements RateLimitStore {
  /**
   * KEYS: the budgets of one or more calls of {@link #take}. ARGV, six per budget: now
   * (microseconds), units, interval, period, required (1 or 0), and 1 when the budget is the first
   * of its call (a required take that fails stops the rest of its own call only). Answers, per
   * budget, granted units and the wait for one more (microseconds). Lua numbers are doubles, exact
   * up to 2^53: microseconds since 1970 are about 2^50.
   */
  static final String SCRIPT = """
      local out = {}
      local stopped = false
      for i, key in ipairs(KEYS) do
        local at = 1 + (i - 1) * 6
        local now = tonumber(ARGV[at])
        local units = tonumber(ARGV[at + 1])
        local interval = tonumber(ARGV[at + 2])
        local period = tonumber(ARGV[at + 3])
        if ARGV[at + 5] == '1' then
          stopped = false
        end
        local granted = 0
        local retry = 0
        if not stopped then
          local tat = tonumber(redis.call('GET', key) or '0')
          local base = math.max(tat, now)
          local fit = math.max(0, math.floor((now + period - base) / interval))
          granted = math.min(units, fit)
          local nextTat = base + granted * interval
          if granted > 0 then
            redis.call('SET', key, string.format('%.0f', nextTat), 'PX', math.floor((nextTat - now) / 1000) + 1000)
          end
          if granted < units then
            retry = math.max(1, nextTat + interval - period - now)
            stopped = ARGV[at + 4] == '1'
          end
        end
        out[2 * i - 1] = granted
        out[2 * i] = retry
      end
      return out
      """;

  /** Budgets in one script call at most (a busy turn sends several calls). */
  static final int MAX_KEYS_PER_CALL = 1_000;
  private final Redis redis;
  private final String keyPrefix;
  private final LuaScript script = LuaScript.of(SCRIPT);

  public RedisRateLimitStore(Redis redis, String keyPrefix) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
  }

  /** One call of {@link #take} waiting for the end of its turn. */
  private record Pending(List<Take> takes, long nowMicros, Promise<List<Grant>> promise) {
  }

  /** The calls of one event loop's current turn; touched only on that event loop. */
  private static final class Turn {
    final List<Pending> calls = new ArrayList<>();
  }

  private final Map<Context, Turn> turns = new ConcurrentHashMap<>();

  @Override
  public Future<List<Grant>> take(List<Take> takes, long nowMicros) {
    if (takes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      return send(List.of(new Pending(takes, nowMicros, Promise.promise())));
    }
    Turn turn = turns.computeIfAbsent(context, c -> new Turn());
    Promise<List<Grant>> promise = Promise.promise();
    turn.calls.add(new Pending(takes, nowMicros, promise));
    if (turn.calls.size() == 1) {
      context.runOnContext(v -> flush(context, turn));
    }
    return promise.future();
  }

  private void flush(Context context, Turn turn) {
    turns.remove(context, turn);
    List<Pending> calls = new ArrayList<>(turn.calls);
    turn.calls.clear();
    List<Pending> chunk = new ArrayList<>();
    int keys = 0;
    for (Pending call : calls) {
      if (keys + call.takes().size() > MAX_KEYS_PER_CALL && !chunk.isEmpty()) {
        send(chunk);
        chunk = new ArrayList<>();
        keys = 0;
      }
      chunk.add(call);
      keys += call.takes().size();
    }
    send(chunk);
  }

  /** One script call for {@code calls}; each call's promise gets its own grants. */
  private Future<List<Grant>> send(List<Pending> calls) {
    Future<List<Grant>> all = script.run(redis, (command, named) -> call(command, named, calls))
        .map(RedisRateLimitStore::grants)
        .recover(e -> Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE,
            "the rate-limit store is unavailable: " + e.getMessage())));
    all.onComplete(ar -> {
      int at = 0;
      for (Pending call : calls) {
        if (ar.failed()) {
          call.promise().tryFail(ar.cause());
        } else {
          call.promise().tryComplete(List.copyOf(ar.result().subList(at, at + call.takes().size())));
        }
        at += call.takes().size();
      }
    });
    return calls.size() == 1 ? calls.get(0).promise().future() : all;
  }

  private Request call(Command command, String script, List<Pending> calls) {
    int keys = calls.stream().mapToInt(c -> c.takes().size()).sum();
    Request request = Request.cmd(command).arg(script).arg(keys);
    for (Pending call : calls) {
      for (Take take : call.takes()) {
        request.arg(keyPrefix + RateLimitStore.key(take.tenantId(), take.name()));
      }
    }
    for (Pending call : calls) {
      boolean first = true;
      for (Take take : call.takes()) {
        request.arg(call.nowMicros()).arg(take.units()).arg(Gcra.interval(take.limit(), take.periodMicros()))
            .arg(take.periodMicros()).arg(take.required() ? 1 : 0).arg(first ? 1 : 0);
        first = false;
      }
    }
    return request;
  }

  private static List<Grant> grants(Response response) {
    List<Grant> grants = new ArrayList<>(response.size() / 2);
    for (int i = 0; i + 1 < response.size(); i += 2) {
      grants.add(new Grant(response.get(i).toLong(), response.get(i + 1).toLong()));
    }
    return grants;
  }
}
