package io.learnquest.durability;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TcpProxy;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL or Redis going away: ingestion answers 503 rather than 202 when it cannot record
 * durably, /ready says 503, and once the store is back the node reconnects by itself with no
 * event lost or doubled. The stores sit behind loopback proxies the test can cut.
 */
class StoreOutageTest {
  Vertx vertx;
  TcpProxy pgProxy;
  TcpProxy redisProxy;
  TestEngine engine;
  Map<String, String> env;

  @BeforeEach
  void start() {
    TestStores.emptyTestDatabase();
    vertx = Vertx.vertx();
    pgProxy = new TcpProxy(vertx, System.getenv().getOrDefault("PG_HOST", "127.0.0.1"),
        Integer.parseInt(System.getenv().getOrDefault("PG_PORT", "5432")));
    redisProxy = new TcpProxy(vertx, TestStores.REDIS_HOST, TestStores.REDIS_PORT);
    env = new HashMap<>();
    env.put("PG_HOST", "127.0.0.1");
    env.put("PG_PORT", Integer.toString(pgProxy.start()));
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(redisProxy.start()));
    env.put("RECOVERY_INTERVAL_MS", "200");
    engine = TestEngine.startDurable(env);
  }

  @AfterEach
  void stop() {
    engine.close();
    pgProxy.close();
    redisProxy.close();
    TestEngine.await(vertx.close());
  }

  @Test
  void postgresDownMeans503AndNothingLostOrDoubledAfterwards() {
    assertEquals(200, engine.get("/ready").status());
    engine.apply(event("o-1", "ana", "lesson_completed").put("objectId", "l1"));

    pgProxy.stop();
    TestEngine.Response refused = engine.post("/api/v1/events", event("o-2", "ana", "lesson_completed")
        .put("objectId", "l2"));
    assertEquals(503, refused.status(), refused.body());
    assertEquals("store_unavailable", refused.json().getString("error"));
    TestEngine.Response ready = engine.get("/ready");
    assertEquals(503, ready.status());
    assertEquals("store_unavailable", ready.json().getString("error"));
    assertEquals(503, engine.get("/api/v1/learners/ana").status());

    pgProxy.start();
    TestEngine.eventually(Duration.ofSeconds(15), () -> engine.get("/ready").status() == 200);
    // The refused event was not recorded, so sending it again is a first delivery, not a duplicate.
    JsonObject outcome = engine.apply(event("o-2", "ana", "lesson_completed").put("objectId", "l2"));
    assertEquals("processed", outcome.getString("status"));
    assertEquals(104, outcome.getLong("totalXp"));
    assertEquals(200, engine.post("/api/v1/events", event("o-1", "ana", "lesson_completed").put("objectId", "l1"))
        .status());
    assertEquals(2, engine.get("/api/v1/learners/ana/xp").json().getJsonArray("entries").size());
    Replay.assertXpConsistent(engine, List.of("ana"));
  }

  @Test
  void eventsAcceptedBeforeAnOutageAreAppliedAfterIt() {
    engine.apply(event("p-0", "ben", "lesson_completed").put("objectId", "l0"));
    // Accept a burst, then cut PostgreSQL while it is being applied.
    int accepted = 0;
    for (int i = 1; i <= 40; i++) {
      TestEngine.Response r = engine.post("/api/v1/events", event("p-" + i, "ben", "lesson_completed")
          .put("objectId", "l" + i));
      if (r.status() == 202) {
        accepted++;
      }
    }
    assertEquals(40, accepted);
    pgProxy.stop();
    assertEquals(503, engine.get("/ready").status());
    pgProxy.start();
    // Every accepted event ends up applied exactly once: 41 lessons of 52 XP, streak 1.
    TestEngine.eventually(Duration.ofSeconds(20), () -> {
      TestEngine.Response profile = engine.get("/api/v1/learners/ben");
      return profile.status() == 200 && profile.json().getLong("xp") == 41 * 52;
    });
    assertEquals(41, engine.get("/api/v1/learners/ben/xp?limit=1000").json().getJsonArray("entries").size());
    // The boards are written after the commit that the profile shows: with no request waiting for
    // these events (the recovery pass applied them) they may follow it by moments.
    TestEngine.eventually(Duration.ofSeconds(5), () ->
        List.of("1:ben:" + 41 * 52).equals(Replay.board(engine, "/api/v1/leaderboards/global")));
    Replay.assertXpConsistent(engine, List.of("ben"));
  }

  @Test
  void aNodeStartsWhileRedisIsDownAndItsBoardsCatchUpOnceRedisIsBack() {
    engine.apply(event("s-1", "dora", "lesson_completed").put("objectId", "l1"));
    engine.close();
    redisProxy.stop();
    engine = TestEngine.startDurable(env);
    assertEquals(503, engine.get("/ready").status());
    assertEquals(104, engine.apply(event("s-2", "dora", "lesson_completed").put("objectId", "l2")).getLong("totalXp"));

    redisProxy.start();
    TestEngine.eventually(Duration.ofSeconds(15), () -> engine.get("/ready").status() == 200);
    TestEngine.eventually(Duration.ofSeconds(15), () ->
        List.of("1:dora:104").equals(Replay.board(engine, "/api/v1/leaderboards/global")));
  }

  @Test
  void redisDownStillAppliesEventsAndTheBoardsCatchUpAfterwards() {
    engine.apply(event("r-1", "cleo", "lesson_completed").put("objectId", "l1"));
    redisProxy.stop();
    TestEngine.eventually(Duration.ofSeconds(10), () -> engine.get("/ready").status() == 503);
    // PostgreSQL holds the truth: the event is still accepted and applied.
    JsonObject outcome = engine.apply(event("r-2", "cleo", "quiz_completed").put("score", 100).put("objectId", "q1"));
    assertEquals(262, outcome.getLong("totalXp"));
    assertEquals(503, engine.get("/api/v1/leaderboards/global").status());

    redisProxy.start();
    TestEngine.eventually(Duration.ofSeconds(15), () -> engine.get("/ready").status() == 200);
    TestEngine.eventually(Duration.ofSeconds(15), () ->
        List.of("1:cleo:262").equals(Replay.board(engine, "/api/v1/leaderboards/global")));
    Replay.assertXpConsistent(engine, List.of("cleo"));
  }
}
