package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.store.ConnectionLeases.Lease;
import io.learnquest.store.redis.RedisConnectionLeases;
import io.learnquest.support.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The connection-lease contract against Redis, under a key prefix of its own. */
class RedisConnectionLeasesTest extends ConnectionLeasesContract {
  @RegisterExtension
  static final TestRedis REDIS = new TestRedis();
  private final Redis redis = REDIS.client();
  private final String prefix = REDIS.freshKeyPrefix();
  private final RedisConnectionLeases store = new RedisConnectionLeases(redis, prefix);

  @Override
  protected ConnectionLeases store() {
    return store;
  }

  @Test
  void aLearnersLeasesAreOneSortedSetUnderThePrefixThatLivesAsLongAsItsLongestLease() {
    String key = prefix + "t:" + tenant + ":conn:ana";
    assertTrue(await(store.acquire(new Lease(tenant, "ana", "node-a:1"), 5, 20_000)));
    assertTrue(await(store.acquire(new Lease(tenant, "ana", "node-b:7"), 5, LONG)));
    assertEquals("zset", await(redis.send(Request.cmd(Command.TYPE).arg(key))).toString());
    double expiry = await(redis.send(Request.cmd(Command.ZSCORE).arg(key).arg("node-b:7"))).toDouble();
    long now = Long.parseLong(await(redis.send(Request.cmd(Command.TIME))).get(0).toString()) * 1000;
    assertTrue(expiry > now + LONG - 5_000 && expiry <= now + LONG + 1_000, "expiry " + expiry + " at " + now);
    long ttl = await(redis.send(Request.cmd(Command.PTTL).arg(key))).toLong();
    assertTrue(ttl > LONG - 5_000 && ttl <= LONG + 1_000, "PTTL " + ttl);
    await(store.release(new Lease(tenant, "ana", "node-a:1")));
    await(store.release(new Lease(tenant, "ana", "node-b:7")));
    assertEquals(0, await(redis.send(Request.cmd(Command.EXISTS).arg(key))).toInteger(),
        "a learner nobody holds leaves no key");
  }
}
