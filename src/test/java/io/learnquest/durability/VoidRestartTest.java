package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On the durable stores, a void is kept: after a restart (with an empty leaderboard projection, so
 * the boards are rebuilt from the durable totals), the learner, ledger and boards are as the void
 * left them, the voided event is neither pending nor applied again by recovery, and sending it
 * again is a duplicate; voiding it again answers the first void.
 */
class VoidRestartTest {
  static final Map<String, String> ENV = Map.of("RECOVERY_INTERVAL_MS", "100");
  static final List<String> BOARDS = List.of("/api/v1/leaderboards/global", "/api/v1/leaderboards/courses/c-1",
      "/api/v1/leaderboards/global?period=weekly");

  private TestEngine engine;

  @AfterEach
  void cleanUp() {
    if (engine != null) {
      engine.close();
    }
  }

  private static JsonObject event(String eventId, String learnerId, String type) {
    return TestEngine.event(eventId, learnerId, type).put("courseId", "c-1").put("objectId", "o-" + eventId);
  }

  @Test
  void aVoidSurvivesARestartAndARebuildAndIsNeverAppliedAgain() {
    TestStores.emptyTestDatabase();
    engine = TestEngine.startDurable(ENV);
    engine.apply(event("r-1", "ana", "lesson_completed"));
    engine.apply(event("r-2", "ana", "quiz_completed").put("score", 100));
    engine.apply(event("r-3", "bob", "lesson_completed"));
    JsonObject answer = engine.post("/api/v1/events/r-2/void", new JsonObject().put("reason", "restart")).json();
    assertEquals("voided", answer.getString("status"), answer::encode);
    JsonObject profile = Replay.comparable(engine.profile("ana"));
    List<String> ledger = Replay.ledgerSignature(engine, "ana");
    Map<String, List<String>> boards = new java.util.HashMap<>();
    BOARDS.forEach(b -> boards.put(b, Replay.board(engine, b)));
    engine.close();

    // A fresh Redis prefix: the projection starts empty and is rebuilt from PostgreSQL.
    engine = TestEngine.startDurable(ENV);
    TestEngine.eventually(java.time.Duration.ofSeconds(15),
        () -> Replay.board(engine, "/api/v1/leaderboards/global").equals(boards.get("/api/v1/leaderboards/global")));
    assertEquals(0, Replay.pendingCount(), "nothing pending for recovery to apply");
    assertEquals(profile, Replay.comparable(engine.profile("ana")));
    assertEquals(ledger, Replay.ledgerSignature(engine, "ana"));
    BOARDS.forEach(b -> assertEquals(boards.get(b), Replay.board(engine, b), b));
    assertEquals(answer, engine.post("/api/v1/events/r-2/void", new JsonObject().put("reason", "again")).json());
    TestEngine.Response resent = engine.post("/api/v1/events?wait=true",
        event("r-2", "ana", "quiz_completed").put("score", 100));
    assertEquals("duplicate", resent.json().getString("status"), resent.body());
    engine.post("/api/v1/admin/leaderboards/rebuild", new JsonObject());
    BOARDS.forEach(b -> assertEquals(boards.get(b), Replay.board(engine, b), b + " after a rebuild"));
    assertEquals(profile, Replay.comparable(engine.profile("ana")));
    Replay.assertXpConsistent(engine, List.of("ana", "bob"));
  }
}
