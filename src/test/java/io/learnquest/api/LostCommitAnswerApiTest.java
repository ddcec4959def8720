package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.FailingLearnerStore;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A commit that reaches the store but whose answer is lost (the connection drops after the COMMIT
 * went out, as when PostgreSQL goes away mid-commit): the event is applied, but the node saw a
 * failure, so it neither set the boards from that commit nor answered the waiting request. The
 * recovery pass then finds the event applied. It must still bring the boards to the committed
 * totals (invariant 4: XP == ledger == global score) and answer the request with the outcome.
 */
class LostCommitAnswerApiTest {
  /** A test asks what happens, not how fast: on a loaded 2-core machine a first drain may take seconds. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final AtomicReference<FailingLearnerStore> store = new AtomicReference<>();
  private final TestEngine engine = FailingLearnerStore.engine(Map.of("RECOVERY_INTERVAL_MS", "100"), store);

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void anEventWhoseCommitAnswerIsLostStillReachesItsBoardsAndItsWaitingRequest() {
    engine.apply(event("la-0", "cleo", "lesson_completed").put("objectId", "l0"));
    assertEquals(List.of("1:cleo:52"), Replay.board(engine, "/api/v1/leaderboards/global"));
    store.get().answersLost.add("la-1");

    TestEngine.Response waited = engine.post("/api/v1/events?wait=true",
        event("la-1", "cleo", "lesson_completed").put("objectId", "l1"));

    assertTrue(store.get().answersLost.isEmpty(), "the commit's answer was lost");
    assertEquals(200, waited.status(), "answered with the outcome, not at the end of the wait: " + waited.body());
    assertEquals("processed", waited.json().getString("status"));
    assertEquals(104, waited.json().getLong("totalXp"));
    assertEquals(104, engine.get("/api/v1/learners/cleo").json().getLong("xp"));
    TestEngine.eventually(PATIENCE, () ->
        List.of("1:cleo:104").equals(Replay.board(engine, "/api/v1/leaderboards/global")));
    assertEquals(2, engine.get("/api/v1/learners/cleo/xp").json().getJsonArray("entries").size(), "applied once");
    Replay.assertXpConsistent(engine, List.of("cleo"));
  }

  @Test
  void aChainWhoseCommitAnswerIsLostStillReachesItsBoards() {
    // dora on the board first: an empty projection would be rebuilt whole, which hides a lost write
    engine.apply(event("lc-0", "dora", "lesson_completed").put("objectId", "l0"));
    assertEquals(List.of("1:dora:52"), Replay.board(engine, "/api/v1/leaderboards/global"));
    store.get().answersLost.add("lc-3");
    JsonArray batch = new JsonArray();
    for (int i = 1; i <= 3; i++) {
      batch.add(event("lc-" + i, "dora", "lesson_completed").put("objectId", "l" + i));
    }
    assertEquals(200, engine.post("/api/v1/events/batch", new JsonObject().put("events", batch)).status());

    TestEngine.eventually(PATIENCE, () -> store.get().answersLost.isEmpty()
        && engine.get("/api/v1/learners/dora").status() == 200
        && engine.get("/api/v1/learners/dora").json().getLong("xp") == 4 * 52);
    assertTrue(store.get().chainTries.get() > 0, "the three went as one chain");
    TestEngine.eventually(PATIENCE, () ->
        List.of("1:dora:208").equals(Replay.board(engine, "/api/v1/leaderboards/global")));
    assertEquals(4, engine.get("/api/v1/learners/dora/xp").json().getJsonArray("entries").size(), "applied once");
    Replay.assertXpConsistent(engine, List.of("dora"));
  }
}
