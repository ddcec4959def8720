package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.learnquest.store.redis.RedisConnectionLeases;
import io.learnquest.store.redis.RedisRateLimitStore;
import io.learnquest.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A request's rate-limit check and a push connection's lease never wait for a Redis connection
 * the leaderboards hold: a pooled connection serves one call at a time, until its answer.
 */
class RedisClientsTest {
  @Test
  void theLimitsAnswerWhileTheLeaderboardsHoldEveryConnectionOfTheirs() throws Exception {
    EngineConfig.RedisSettings rs = ConfigLoader.load(Path.of("conf"), Map.of("REDIS_HOST", TestStores.REDIS_HOST,
        "REDIS_PORT", Integer.toString(TestStores.REDIS_PORT), "REDIS_POOL_SIZE", "2")).redis();
    String prefix = TestStores.freshRedisKeyPrefix();
    Vertx vertx = Vertx.vertx();
    try {
      StoreFactory.RedisClients clients = StoreFactory.redisClients(vertx, rs);
      // as long leaderboard calls (a big group of writes, a rebuild's page) hold them
      List<RedisConnection> held = new ArrayList<>();
      for (int i = 0; i < rs.poolSize(); i++) {
        held.add(await(clients.boards().connect()));
      }
      RateLimitStore limits = new RedisRateLimitStore(clients.limits(), prefix);
      List<RateLimitStore.Grant> grants = answered(limits.take(List.of(
          new RateLimitStore.Take("tenant-a", "key:k1", 1, 10, 1_000_000, true)), System.currentTimeMillis() * 1000));
      assertEquals(1, grants.get(0).granted());
      ConnectionLeases leases = new RedisConnectionLeases(clients.limits(), prefix);
      assertTrue(answered(leases.acquire(new ConnectionLeases.Lease("tenant-a", "ana", "node-a:1"), 5, 10_000)));

      held.forEach(RedisConnection::close);
      await(clients.limits().send(Request.cmd(Command.DEL).arg(prefix + RateLimitStore.key("tenant-a", "key:k1"))
          .arg(prefix + "t:tenant-a:conn:ana")));
    } finally {
      await(vertx.close());
    }
  }

  /** The answer, which a call waiting for a pooled connection that is never given back would not get. */
  private static <T> T answered(Future<T> call) throws Exception {
    try {
      return call.await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer: the call waits for a connection the leaderboards hold", e);
    }
  }
}
