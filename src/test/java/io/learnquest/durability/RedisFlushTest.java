package io.learnquest.durability;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis holds only a projection: after it is flushed, the leaderboards come back exact, through
 * the rebuild command, by themselves at start-up, and by themselves while running.
 */
class RedisFlushTest {
  static final List<String> LEARNERS = List.of("ana", "ben", "cleo", "dev", "eve", "fay");
  static final List<String> BOARDS = List.of(
      "/api/v1/leaderboards/global",
      "/api/v1/leaderboards/global?week=2026-W48",
      "/api/v1/leaderboards/global?week=2026-W47",
      "/api/v1/leaderboards/courses/java-101",
      "/api/v1/leaderboards/courses/ux-1?week=2026-W48");

  Map<String, String> env;
  TestEngine engine;
  Vertx vertx;
  Redis redis;

  @BeforeEach
  void start() {
    TestStores.emptyTestDatabase();
    env = new HashMap<>(TestStores.postgresEnv());
    env.put("RECOVERY_INTERVAL_MS", "600000");
    // Pages far smaller than the boards: every rebuild below reads many pages, boards running across them.
    env.put("LEADERBOARDS_REBUILD_PAGE_SIZE", "4");
    engine = TestEngine.startDurable(env);
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, TestStores.redisUrl());
  }

  @AfterEach
  void stop() {
    flush();
    if (engine != null) {
      engine.close();
    }
    TestEngine.await(vertx.close());
  }

  @Test
  void leaderboardsComeBackExactByCommandAtStartUpAndWhileRunning() {
    Instant lastWeek = TestEngine.START.minus(Duration.ofDays(7));
    int n = 0;
    for (String learner : LEARNERS) {
      int i = LEARNERS.indexOf(learner);
      for (int k = 0; k <= i; k++) {
        engine.apply(event("f-" + ++n, learner, "lesson_completed").put("courseId", k % 2 == 0 ? "java-101" : "ux-1")
            .put("objectId", "lesson-" + k));
      }
      engine.apply(event("f-" + ++n, learner, "quiz_completed").put("score", 60 + 7 * i).put("courseId", "java-101")
          .put("occurredAt", lastWeek.toString()));
    }
    Map<String, List<String>> before = snapshot();
    assertFalse(before.get(BOARDS.get(0)).isEmpty());
    Map<String, Long> xp = Replay.assertXpConsistent(engine, LEARNERS);

    // 1. flushed, then the rebuild command
    flush();
    assertEquals(0, engine.get(BOARDS.get(0)).json().getLong("total"));
    TestEngine.Response rebuilt = engine.post("/api/v1/admin/leaderboards/rebuild", new JsonObject());
    assertEquals(200, rebuilt.status(), rebuilt.body());
    assertEquals(before, snapshot());
    var counted = TestStores.query("SELECT count(DISTINCT b.board) AS boards, count(*) AS entries FROM learners l, "
        + "json_each(l.doc -> 'boards') AS b(board, xp)").get(0);
    JsonObject answer = rebuilt.json();
    answer.remove("generation");
    answer.remove("jobId");
    assertEquals(new JsonObject().put("boards", counted.getLong("boards")).put("entries", counted.getLong("entries")),
        answer);

    // 2. flushed while no node runs: a new node rebuilds at start-up
    engine.close();
    flush();
    engine = TestEngine.startDurable(env);
    assertEquals(before, snapshot());
    assertEquals(xp, Replay.assertXpConsistent(engine, LEARNERS));

    // 3. flushed under a running node: it notices on its next check and rebuilds by itself
    engine.close();
    Map<String, String> quickCheck = new HashMap<>(env);
    quickCheck.put("RECOVERY_INTERVAL_MS", "100");
    engine = TestEngine.startDurable(quickCheck);
    flush();
    TestEngine.eventually(Duration.ofSeconds(10), () -> before.equals(snapshot()));
  }

  /**
   * The admin rebuild drops the boards, then merges the totals page by page (pages of 4 here) while
   * events keep coming: a total read before its learner's next event commits is raised by that
   * event's own write, so once everything is applied each board equals PostgreSQL's totals.
   */
  @Test
  void anAdminRebuildWhileEventsFlowEndsExact() throws Exception {
    List<String> learners = List.of("ana", "ben", "cleo", "dev", "eve", "fay", "gus", "hal");
    CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> {
      for (int k = 0; k < 10; k++) {
        for (String learner : learners) {
          TestEngine.Response r = engine.post("/api/v1/events", event("flow-" + learner + "-" + k, learner,
              "lesson_completed").put("courseId", k % 2 == 0 ? "java-101" : "ux-1").put("objectId", "lesson-" + k));
          assertEquals(202, r.status(), r.body());
        }
      }
    });
    int rebuilds = 0;
    while (!posting.isDone() || rebuilds < 3) {
      TestEngine.Response rebuilt = engine.post("/api/v1/admin/leaderboards/rebuild", new JsonObject());
      assertEquals(200, rebuilt.status(), rebuilt.body());
      rebuilds++;
    }
    posting.get(60, TimeUnit.SECONDS);
    TestEngine.eventually(Duration.ofSeconds(30), () -> Replay.pendingCount() == 0);
    Map<String, String> keys = Map.of(
        BOARDS.get(0), "global/all-time",
        BOARDS.get(1), "global/2026-W48",
        BOARDS.get(3), "course:java-101/all-time",
        BOARDS.get(4), "course:ux-1/2026-W48");
    // the last writes may still be on their way to Redis after the events are marked applied
    TestEngine.eventually(Duration.ofSeconds(10), () -> keys.entrySet().stream()
        .allMatch(board -> fromPostgres(board.getValue()).equals(Replay.board(engine, board.getKey()))));
    assertEquals(learners.size(), fromPostgres("global/all-time").size());
  }

  /** A board as PostgreSQL's totals rank it: "rank:learner:xp", XP descending, ties by learner. */
  private static List<String> fromPostgres(String board) {
    List<String> rows = new java.util.ArrayList<>();
    TestStores.query("SELECT l.learner_id, (l.doc -> 'boards' ->> '" + board + "')::bigint AS xp FROM learners l "
        + "WHERE l.doc -> 'boards' -> '" + board + "' IS NOT NULL ORDER BY xp DESC, learner_id COLLATE \"C\"")
        .forEach(row ->
        rows.add((rows.size() + 1) + ":" + row.getString("learner_id") + ":" + row.getLong("xp")));
    return rows;
  }

  private Map<String, List<String>> snapshot() {
    Map<String, List<String>> boards = new HashMap<>();
    for (String path : BOARDS) {
      boards.put(path, Replay.board(engine, path));
    }
    return boards;
  }

  /** Deletes every key of this engine's prefix: the same as FLUSHALL for this engine. */
  private void flush() {
    String prefix = env.get("REDIS_KEY_PREFIX");
    String cursor = "0";
    do {
      Response r = TestEngine.await(redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
          .arg("COUNT").arg(1000)));
      cursor = r.get(0).toString();
      for (Response key : r.get(1)) {
        TestEngine.await(redis.send(Request.cmd(Command.DEL).arg(key.toString())));
      }
    } while (!"0".equals(cursor));
  }
}
