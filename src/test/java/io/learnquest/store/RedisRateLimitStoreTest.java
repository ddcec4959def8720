package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.store.redis.RedisRateLimitStore;
import io.learnquest.support.TestRedis;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rate-limit contract against Redis, under a key prefix of its own. */
class RedisRateLimitStoreTest extends RateLimitStoreContract {
  @RegisterExtension
  static final TestRedis REDIS = new TestRedis();
  private final Redis redis = REDIS.client();
  private final String prefix = REDIS.freshKeyPrefix();
  private final RedisRateLimitStore store = new RedisRateLimitStore(redis, prefix);

  @Override
  protected RateLimitStore store() {
    return store;
  }

  @Test
  void aBudgetIsOneKeyUnderThePrefixThatExpiresOnceItIsFullAgain() {
    await(store.take(List.of(new RateLimitStore.Take(tenant, "l:ana", 60, 120, MINUTE, false)), now));
    String key = prefix + "t:" + tenant + ":rl:l:ana";
    long ttl = await(redis.send(Request.cmd(Command.PTTL).arg(key))).toLong();
    // 60 of 120 a minute taken: full again in 30 s, plus a second of slack
    assertTrue(ttl > 29_000 && ttl <= 31_000, "PTTL " + ttl);
  }
}
