package io.learnquest.store;

import io.learnquest.store.redis.RedisLeaderboardStore;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestRedis;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The leaderboard contract against Redis, under a key prefix of its own. */
class RedisLeaderboardStoreTest extends LeaderboardStoreContract {
  @RegisterExtension
  static final TestRedis REDIS = new TestRedis();
  private String prefix;
  private RedisLeaderboardStore store;

  @BeforeEach
  void fresh() {
    prefix = REDIS.freshKeyPrefix();
    store = new RedisLeaderboardStore(REDIS.client(), prefix, 12, Clock.systemUTC());
  }

  @AfterEach
  void cleanUp() {
    TestEngine.await(store.clear());
  }

  @Override
  protected LeaderboardStore store() {
    return store;
  }
}
