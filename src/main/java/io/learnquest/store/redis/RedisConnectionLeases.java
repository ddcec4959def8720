package io.learnquest.store.redis;

import io.learnquest.store.ConnectionLeases;
import io.learnquest.store.StoreException;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection leases in Redis, shared by every node on the same Redis and key prefix: one sorted set
 * per learner, {@code <prefix>t:<tenant>:conn:<learnerId>}, whose members are the holders
 * ({@code <nodeId>:<connectionId>}) and whose scores are the leases' expiries in milliseconds of
 * Redis's own clock ({@code TIME}), so nodes whose clocks disagree still agree on which lease has
 * expired. Acquiring and renewing are Lua scripts (sent by SHA-1, in full once when Redis does not
 * know them yet) that first drop the expired members; the key expires with its longest lease, so a
 * learner nobody holds costs nothing. (One key per acquisition; a renewal names many, which a Redis
 * Cluster would need in one hash slot.)
 */
public final class RedisConnectionLeases implements ConnectionLeases {
  /** Redis's time in milliseconds, then every expired lease of the key dropped. */
  private static final String NOW = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local function expire(key)
        local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
        if top[2] then
          redis.call('PEXPIREAT', key, string.format('%.0f', tonumber(top[2]) + 1))
        end
      end
      """;

  /**
   * KEYS[1]: the learner's leases. ARGV: holder, limit, lease (ms). 1 when held, 0 when the learner
   * holds {@code limit} leases of others.
   */
  static final String ACQUIRE = NOW + """
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
      if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
        return 0
      end
      redis.call('ZADD', KEYS[1], string.format('%.0f', now + tonumber(ARGV[3])), ARGV[1])
      expire(KEYS[1])
      return 1
      """;

  /**
   * KEYS: the learner of each renewal (a learner may be named more than once). ARGV: lease (ms),
   * then per renewal its holder and 1 or 0 (add it again if absent). Per renewal, 1 when held.
   */
  static final String RENEW = NOW + """
      local expiry = string.format('%.0f', now + tonumber(ARGV[1]))
      local out = {}
      for i, key in ipairs(KEYS) do
        local holder = ARGV[2 * i]
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
        if redis.call('ZSCORE', key, holder) or ARGV[2 * i + 1] == '1' then
          redis.call('ZADD', key, expiry, holder)
          expire(key)
          out[i] = 1
        else
          out[i] = 0
        end
      end
      return out
      """;

  /** Renewals in one script call at most. */
  static final int MAX_KEYS_PER_CALL = 1_000;
  private final Redis redis;
  private final String keyPrefix;
  private static final LuaScript ACQUIRE_SCRIPT = LuaScript.of(ACQUIRE);
  private static final LuaScript RENEW_SCRIPT = LuaScript.of(RENEW);

  public RedisConnectionLeases(Redis redis, String keyPrefix) {
    this.redis = redis;
    this.keyPrefix = keyPrefix;
  }

  private String key(Lease lease) {
    return keyPrefix + ConnectionLeases.key(lease.tenantId(), lease.learnerId());
  }

  @Override
  public Future<Boolean> acquire(Lease lease, int limit, long leaseMs) {
    return script(ACQUIRE_SCRIPT, List.of(key(lease)), List.of(lease.holder(), Integer.toString(limit),
        Long.toString(leaseMs))).map(r -> r.toInteger() == 1);
  }

  @Override
  public Future<List<Boolean>> renew(List<Renewal> renewals, long leaseMs) {
    if (renewals.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<Response>> calls = new ArrayList<>();
    for (int from = 0; from < renewals.size(); from += MAX_KEYS_PER_CALL) {
      List<Renewal> chunk = renewals.subList(from, Math.min(renewals.size(), from + MAX_KEYS_PER_CALL));
      List<String> keys = new ArrayList<>(chunk.size());
      List<String> args = new ArrayList<>(1 + 2 * chunk.size());
      args.add(Long.toString(leaseMs));
      for (Renewal renewal : chunk) {
        keys.add(key(renewal.lease()));
        args.add(renewal.lease().holder());
        args.add(renewal.addIfAbsent() ? "1" : "0");
      }
      calls.add(script(RENEW_SCRIPT, keys, args));
    }
    return Future.all(calls).map(done -> {
      List<Boolean> held = new ArrayList<>(renewals.size());
      for (Future<Response> call : calls) {
        for (Response one : call.result()) {
          held.add(one.toInteger() == 1);
        }
      }
      return held;
    });
  }

  @Override
  public Future<Void> release(Lease lease) {
    return redis.send(Request.cmd(Command.ZREM).arg(key(lease)).arg(lease.holder()))
        .recover(RedisConnectionLeases::unavailable).mapEmpty();
  }

  private Future<Response> script(LuaScript script, List<String> keys, List<String> args) {
    return script.run(redis, (command, named) -> call(command, named, keys, args))
        .recover(RedisConnectionLeases::unavailable);
  }

  private static Request call(Command command, String script, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static <T> Future<T> unavailable(Throwable e) {
    return Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE,
        "the connection-lease store is unavailable: " + e.getMessage()));
  }
}
