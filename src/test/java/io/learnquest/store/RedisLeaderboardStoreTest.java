package io.learnquest.store;

import io.learnquest.store.redis.RedisLeaderboardStore;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The leaderboard contract against Redis, under a key prefix of its own. */
class RedisLeaderboardStoreTest extends LeaderboardStoreContract {
  private static Vertx vertx;
  private static Redis redis;
  private String prefix;
  private RedisLeaderboardStore store;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestStores.redisOptions());
  }

  @AfterAll
  static void close() {
    TestEngine.await(vertx.close());
  }

  @BeforeEach
  void fresh() {
    prefix = "lqtest:" + UUID.randomUUID() + ":";
    store = new RedisLeaderboardStore(redis, prefix, 12, Clock.systemUTC());
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
