package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.ledgerSum;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fair play: caught events are accepted, earn nothing, move nothing, and are flagged with the reason. */
class FairPlayApiTest {
  static final Instant START = TestEngine.START;
  TestEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  private JsonArray flags(String learnerId) {
    return ok(engine.get("/api/v1/learners/" + learnerId + "/flags")).getJsonArray("flags");
  }

  @Test
  void helpingOneselfEarnsNothingMovesNoCounterAndIsFlagged() {
    engine = TestEngine.start();
    engine.apply(lesson("s-1", "ana"));
    JsonObject before = engine.profile("ana");

    JsonObject self = engine.apply(helped("s-2", "ana").put("objectId", "ana"));
    assertEquals("processed", self.getString("status"));
    assertEquals(new JsonArray(), self.getJsonArray("xpGranted"));
    assertEquals(before.getLong("xp"), self.getLong("totalXp"));
    assertEquals(before, engine.profile("ana"), "nothing moved");
    assertEquals(before.getLong("xp"), ledgerSum(engine, "ana"), "the ledger still sums to the total");

    JsonArray flags = flags("ana");
    assertEquals(1, flags.size());
    JsonObject flag = flags.getJsonObject(0);
    assertEquals("self_help", flag.getString("rule"));
    assertEquals("s-2", flag.getString("eventId"));
    assertEquals("ana", flag.getString("learnerId"));
    assertEquals(START.toString(), flag.getString("at"));
    assertTrue(flag.getString("detail").contains("peer"));

    // The audit trail says why the event earned nothing.
    JsonObject line = ok(engine.get("/api/v1/learners/ana/xp")).getJsonArray("entries").getJsonObject(0);
    assertEquals("s-2", line.getString("eventId"));
    assertEquals(0, line.getLong("xp"));
    assertEquals("self_help", line.getString("reason"));

    // Helping someone else still counts.
    JsonObject fair = engine.apply(helped("s-3", "ana").put("objectId", "ben"));
    assertTrue(fair.getJsonArray("xpGranted").getJsonObject(0).getLong("xp") > 0);
    assertEquals(1, engine.profile("ana").getJsonObject("counters").getInteger("peersHelped"));
    assertEquals(1, flags("ana").size());
  }

  @Test
  void eventsBeyondTheVelocityLimitWithinAMinuteEarnNothing() {
    engine = TestEngine.start(Map.of("FAIR_PLAY_VELOCITY_MAX_PER_MINUTE", "3"));
    for (int i = 1; i <= 3; i++) {
      JsonObject fair = engine.apply(lesson("v-" + i, "ben").put("objectId", "lesson-" + i)
          .put("occurredAt", START.plusSeconds(10L * i).toString()));
      assertTrue(fair.getJsonArray("xpGranted").getJsonObject(0).getLong("xp") > 0, "lesson " + i);
    }
    JsonObject before = engine.profile("ben");
    JsonObject fourth = engine.apply(lesson("v-4", "ben").put("objectId", "lesson-4")
        .put("occurredAt", START.plusSeconds(40).toString()));
    assertEquals(new JsonArray(), fourth.getJsonArray("xpGranted"));
    assertEquals(before, engine.profile("ben"), "the fourth lesson within a minute moved nothing");
    assertEquals("velocity", flags("ben").getJsonObject(0).getString("rule"));

    // A minute and more after the first ones, lessons earn again; the held-back lesson can be
    // taken again and earns then, since it was never rewarded.
    JsonObject later = engine.apply(lesson("v-5", "ben").put("objectId", "lesson-4")
        .put("occurredAt", START.plusSeconds(100).toString()));
    assertTrue(later.getJsonArray("xpGranted").getJsonObject(0).getLong("xp") > 0);
    assertEquals(4, engine.profile("ben").getJsonObject("counters").getInteger("lessonsCompleted"));
    assertEquals(engine.profile("ben").getLong("xp"), ledgerSum(engine, "ben"));
  }

  @Test
  void anEventOlderThanTheAgeLimitIsRefusedAndChangesNothing() {
    engine = TestEngine.start(Map.of("FAIR_PLAY_MAX_EVENT_AGE_DAYS", "7"));
    TestEngine.Response old = engine.post("/api/v1/events", lesson("o-1", "cat")
        .put("occurredAt", START.minus(Duration.ofDays(8)).toString()));
    assertError(old, 400, "too_old", "occurredAt");
    assertEquals(404, engine.get("/api/v1/learners/cat").status());
    // Not burnt: the same id with a recent time is accepted.
    JsonObject recent = engine.apply(lesson("o-1", "cat").put("occurredAt", START.minus(Duration.ofDays(6)).toString()));
    assertEquals("processed", recent.getString("status"));
  }

  @Test
  void theAdminListPagesThroughEveryLearnersFlags() {
    engine = TestEngine.start();
    for (int i = 0; i < 5; i++) {
      engine.apply(helped("p-" + i, "l" + i).put("objectId", "l" + i));
    }
    Set<String> seen = new HashSet<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = ok(engine.get("/api/v1/flags?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      page.getJsonArray("flags").forEach(f -> seen.add(((JsonObject) f).getString("eventId")));
      cursor = page.getString("next");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(Set.of("p-0", "p-1", "p-2", "p-3", "p-4"), seen);
    assertNull(ok(engine.get("/api/v1/flags?limit=10")).getString("next"));
    assertError(engine.get("/api/v1/flags?cursor=abc"), 400, "invalid_value", "cursor");
    assertEquals(404, engine.get("/api/v1/learners/nobody/flags").status());
  }
}
