package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Where a durable node keeps its rate budgets and push connection leases: in Redis when other nodes
 * share them (a clustered node), in its heap when it stands alone, where a Redis call on every
 * request would buy nothing. Either way the limits hold (RateLimitApiTest runs on both stores;
 * ClusterLimitsTest shows two clustered nodes spending one budget in Redis).
 */
class NodeLimitsPlacementTest {

  @Test
  void onlyAClusteredNodeSharesItsLimitsThroughRedis() {
    assertFalse(StoreFactory.sharesNodeLimits(config(Map.of())), "a standalone durable node");
    assertTrue(StoreFactory.sharesNodeLimits(config(Map.of("CLUSTER", "true"))), "a clustered node");
    assertFalse(StoreFactory.sharesNodeLimits(config(Map.of("KAFKA", "true"))), "one node with Kafka");
  }

  private static EngineConfig config(Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(TestStores.postgresEnv());
    env.putAll(overrides);
    return ConfigLoader.load(Path.of("conf"), env);
  }

  @Test
  void aStandaloneDurableNodeLimitsRequestsAndEventsWithoutABudgetInRedis() {
    String prefix = TestStores.freshRedisKeyPrefix();
    TestEngine engine = TestEngine.startDurable(Map.of("REDIS_KEY_PREFIX", prefix,
        "LIMITS_REQUESTS_PER_KEY_PER_SECOND", "3", "LIMITS_EVENTS_PER_LEARNER_PER_MINUTE", "1"));
    Vertx vertx = Vertx.vertx();
    try {
      String reader = engine.newKey("reader", "learners:read");
      for (int i = 0; i < 3; i++) {
        assertEquals(404, engine.requestAs(reader, HttpMethod.GET, "/api/v1/learners/nobody", null).status());
      }
      assertEquals(429, engine.requestAs(reader, HttpMethod.GET, "/api/v1/learners/nobody", null).status(),
          "the key's fourth request in the same second");

      String writer = engine.newKey("writer", "events:write");
      String learner = "placement-" + System.nanoTime();
      TestEngine.Response applied = engine.requestAs(writer, HttpMethod.POST, "/api/v1/events?wait=true",
          event("pl-1-" + learner, learner, "lesson_completed").put("objectId", "lesson-1"));
      assertEquals(200, applied.status());
      assertTrue(applied.json().getLong("totalXp") > 0, applied.body());
      assertEquals(429, engine.requestAs(writer, HttpMethod.POST, "/api/v1/events",
          event("pl-2-" + learner, learner, "daily_login")).status(), "the learner's second event in the minute");

      List<String> keys = keys(vertx, prefix);
      assertTrue(keys.stream().anyMatch(k -> k.startsWith(prefix + "t:default:board:")),
          "the node writes its leaderboards under this prefix: " + keys);
      assertTrue(keys.stream().noneMatch(k -> k.contains(":rl:") || k.contains(":conn:")),
          "no rate budget or connection lease in Redis: " + keys);
    } finally {
      engine.close();
      await(vertx.close());
    }
  }

  private static List<String> keys(Vertx vertx, String prefix) {
    Redis redis = Redis.createClient(vertx, TestStores.redisOptions());
    try {
      Response found = await(redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")));
      List<String> keys = new ArrayList<>();
      found.forEach(k -> keys.add(k.toString()));
      if (!keys.isEmpty()) {
        Request del = Request.cmd(Command.DEL);
        keys.forEach(del::arg);
        await(redis.send(del));
      }
      return keys;
    } finally {
      redis.close();
    }
  }
}
