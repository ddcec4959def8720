package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On the durable stores, a value PostgreSQL itself refuses (a check constraint the test adds to the
 * XP ledger, so the refusal is the database's own, SQLState 23514) no longer stops its learner for
 * good: the event is quarantined, the learner's later events apply, and the quarantine, its
 * discards and the learner's unblocked line survive a restart.
 */
class QuarantineRestartTest {
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final String POISON = "ALTER TABLE xp_ledger ADD CONSTRAINT lq_test_poison CHECK (event_id NOT LIKE 'poison-%')";
  static final String CURE = "ALTER TABLE xp_ledger DROP CONSTRAINT IF EXISTS lq_test_poison";
  static final Map<String, String> ENV = Map.of("RECOVERY_INTERVAL_MS", "100", "QUARANTINE_MAX_ATTEMPTS", "2");

  private TestEngine engine;

  @AfterEach
  void cleanUp() {
    if (engine != null) {
      engine.close();
    }
    TestStores.query(CURE);
  }

  private static JsonObject lesson(String eventId, String learnerId) {
    return TestEngine.event(eventId, learnerId, "lesson_completed").put("courseId", "c-1").put("objectId", "o-" + eventId);
  }

  private List<Object> ledgerEventIds(String learnerId) {
    TestEngine.Response r = engine.get("/api/v1/learners/" + learnerId + "/xp");
    if (r.status() != 200) {
      return List.of();
    }
    return r.json().getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("eventId"))
        .map(Object.class::cast).toList();
  }

  private JsonArray quarantined() {
    TestEngine.Response r = engine.get("/api/v1/admin/quarantine");
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("events");
  }

  private List<String> quarantinedIds() {
    return quarantined().stream().map(e -> ((JsonObject) e).getString("eventId")).toList();
  }

  private void post(JsonObject event) {
    TestEngine.Response r = engine.post("/api/v1/events", event);
    assertEquals(202, r.status(), r.body());
  }

  @Test
  void aValueTheDatabaseRefusesIsQuarantinedAndTheLearnerGoesOnAcrossARestart() {
    TestStores.emptyTestDatabase();
    engine = TestEngine.startDurable(ENV);
    TestStores.query(POISON);

    post(lesson("poison-1", "ana"));
    post(lesson("poison-2", "ana"));
    post(lesson("a-3", "ana"));
    TestEngine.eventually(PATIENCE, () -> ledgerEventIds("ana").contains("a-3"));
    TestEngine.eventually(PATIENCE, () -> quarantinedIds().containsAll(List.of("poison-1", "poison-2")));
    JsonObject first = quarantined().getJsonObject(0);
    assertEquals("poison-1", first.getString("eventId"));
    assertTrue(first.getString("reason").contains("23514"), first.encode());
    assertEquals(2, first.getInteger("attempts"));
    assertEquals(200, engine.post("/api/v1/admin/quarantine/poison-2/discard", "").status());

    engine.close();
    engine = TestEngine.startDurable(ENV);
    assertEquals(List.of("poison-1"), quarantinedIds(), "kept across the restart; the discarded one stays out");
    post(lesson("a-4", "ana"));
    TestEngine.eventually(PATIENCE, () -> ledgerEventIds("ana").contains("a-4"));
    assertEquals(200, engine.post("/api/v1/events", lesson("poison-2", "ana")).status(), "its eventId stays taken");

    TestStores.query(CURE);
    JsonObject retried = engine.post("/api/v1/admin/quarantine/poison-1/retry", "").json();
    assertEquals("applied", retried.getString("status"), retried.encode());
    assertTrue(ledgerEventIds("ana").contains("poison-1"));
    assertFalse(ledgerEventIds("ana").contains("poison-2"));
    assertEquals(List.of(), quarantinedIds());
    long ledgerXp = engine.get("/api/v1/learners/ana/xp").json().getJsonArray("entries").stream()
        .mapToLong(e -> ((JsonObject) e).getLong("xp")).sum();
    assertEquals(ledgerXp, engine.profile("ana").getLong("xp"));
  }
}
