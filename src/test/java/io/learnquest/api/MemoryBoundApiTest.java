package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded default holds a bounded number of learners and events: past the bound it answers
 * 503 {@code store_full}, pointing to the durable stores, instead of growing until the JVM dies,
 * and everything it holds stays readable. (Memory only: the durable stores have no such bound.)
 */
class MemoryBoundApiTest {
  private final TestEngine engine = TestEngine.startMemoryAt(TestEngine.START,
      Map.of("MEMORY_MAX_LEARNERS", "2", "MEMORY_MAX_EVENTS", "4"));

  @AfterEach
  void close() {
    engine.close();
  }

  private static void assertStoreFull(TestEngine.Response r, String bound) {
    assertEquals(503, r.status(), r.body());
    JsonObject body = r.json();
    assertEquals("store_full", body.getString("error"));
    assertTrue(body.getString("message").contains("STORE=postgres"), body.encode());
    assertTrue(body.getString("message").contains(bound), body.encode());
    assertTrue(body.containsKey("field"));
  }

  @Test
  void pastTheBoundNewLearnersThenNewEventsGet503AndWhatIsHeldStaysReadable() {
    engine.apply(lesson("m-1", "ana").put("objectId", "l-1"));
    engine.apply(lesson("m-2", "ben").put("objectId", "l-1"));
    long anaXp = engine.profile("ana").getLong("xp");

    assertStoreFull(engine.post("/api/v1/events", lesson("m-3", "cy").put("objectId", "l-1")), "memory.maxLearners");
    assertEquals(404, engine.get("/api/v1/learners/cy").status(), "nothing of the refused event was kept");
    // Learners it holds still add events, up to the bound of events.
    engine.apply(lesson("m-3", "ana").put("objectId", "l-2"));
    engine.apply(lesson("m-4", "ben").put("objectId", "l-2"));
    assertStoreFull(engine.post("/api/v1/events", lesson("m-5", "ana").put("objectId", "l-3")), "memory.maxEvents");
    assertStoreFull(engine.post("/api/v1/events/batch", new JsonObject().put("events", new JsonArray()
        .add(lesson("m-6", "ben").put("objectId", "l-9")))), "memory.maxEvents");

    // A repeat of an id it holds is still a duplicate, and every read still answers.
    assertEquals(200, engine.post("/api/v1/events", lesson("m-1", "ana").put("objectId", "l-1")).status());
    assertTrue(engine.profile("ana").getLong("xp") > anaXp);
    assertEquals(2, ok(engine.get("/api/v1/learners/ana/xp")).getJsonArray("entries").size());
    assertEquals(2, ok(engine.get("/api/v1/leaderboards/global")).getJsonArray("entries").size());
  }
}
