package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/api.md: POST /api/v1/events/batch, each item judged on its own, results in input order. */
class BatchApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private static JsonObject status(String eventId, String status) {
    return new JsonObject().put("eventId", eventId).put("status", status);
  }

  private JsonArray batch(JsonArray events) {
    return ok(engine.post("/api/v1/events/batch", new JsonObject().put("events", events))).getJsonArray("results");
  }

  /** Asserts an error item {eventId, error: {error, message, field}}. */
  private static void assertItemError(JsonObject item, String eventId, String code, String field) {
    assertEquals(Set.of("eventId", "error"), item.fieldNames(), item.encode());
    assertEquals(eventId, item.getValue("eventId"), item.encode());
    JsonObject error = item.getJsonObject("error");
    assertEquals(Set.of("error", "message", "field"), error.fieldNames(), item.encode());
    assertEquals(code, error.getValue("error"), item.encode());
    assertEquals(field, error.getValue("field"), item.encode());
    assertTrue(error.getValue("message") instanceof String m && !m.isBlank(), item.encode());
  }

  @Test
  void resultsComeInInputOrderAndEachLearnersEventsApplyInOrder() {
    JsonArray results = batch(array(
        lesson("b-1", "ana").put("objectId", "l-1").put("occurredAt", "2026-11-25T10:00:00Z"),
        lesson("b-2", "ana").put("objectId", "l-2").put("occurredAt", "2026-11-26T10:00:00Z"),
        quiz("b-3", "bob", 80),
        lesson("b-4", "ana").put("objectId", "l-3").put("occurredAt", "2026-11-27T10:00:00Z")));
    assertJson(array(status("b-1", "accepted"), status("b-2", "accepted"), status("b-3", "accepted"),
        status("b-4", "accepted")), results);

    // 52 + (55 + 27) + (57 + 28)
    JsonObject marker = engine.apply(login("b-5", "ana"));
    assertEquals(219, marker.getLong("totalXp"));
    assertEquals(3, marker.getJsonObject("streak").getInteger("current"));
    TestEngine.eventually(Duration.ofSeconds(10), () -> engine.get("/api/v1/learners/bob").status() == 200);
    assertEquals(105, engine.profile("bob").getLong("xp"));
  }

  @Test
  void ofTwoItemsWithOneEventIdTheFirstIsAcceptedTheSecondIsADuplicate() {
    JsonArray results = batch(array(
        lesson("dup-1", "cid").put("objectId", "l-1"),
        lesson("dup-1", "cid").put("objectId", "l-1")));
    assertJson(array(status("dup-1", "accepted"), status("dup-1", "duplicate")), results);
    JsonObject marker = engine.apply(login("dup-2", "cid"));
    assertEquals(52, marker.getLong("totalXp"));
    assertEquals(1, engine.profile("cid").getJsonObject("counters").getLong("lessonsCompleted"));
  }

  @Test
  void anItemReusingAnEventIdForOtherContentIsAConflictOfItsOwn() {
    JsonArray results = batch(array(
        lesson("cf-1", "cid").put("objectId", "l-1"),
        quiz("cf-1", "cid", 100).put("objectId", "q-1"),
        lesson("cf-2", "cid").put("objectId", "l-2")));
    assertEquals(status("cf-1", "accepted"), results.getJsonObject(0));
    JsonObject conflict = results.getJsonObject(1);
    assertEquals("cf-1", conflict.getString("eventId"));
    assertEquals("conflict", conflict.getJsonObject("error").getString("error"));
    assertEquals("eventId", conflict.getJsonObject("error").getString("field"));
    assertEquals(status("cf-2", "accepted"), results.getJsonObject(2));
    // and against an event accepted earlier
    JsonObject later = batch(array(lesson("cf-2", "other").put("objectId", "l-2"))).getJsonObject(0);
    assertEquals("conflict", later.getJsonObject("error").getString("error"));
    JsonObject marker = engine.apply(login("cf-3", "cid"));
    assertEquals(104, marker.getLong("totalXp"));
    assertEquals(0, engine.profile("cid").getJsonObject("counters").getLong("quizzesPassed"));
  }

  @Test
  void anEventAcceptedEarlierIsADuplicateInABatch() {
    assertEquals(202, engine.post("/api/v1/events", lesson("e-1", "dan")).status());
    assertJson(array(status("e-1", "duplicate"), status("e-2", "accepted")),
        batch(array(lesson("e-1", "dan"), lesson("e-2", "dan"))));
    assertEquals(104, engine.apply(login("e-3", "dan")).getLong("totalXp"));
  }

  @Test
  void badItemsGetTheirOwnErrorWhileTheOthersAreAccepted() {
    JsonArray results = batch(new JsonArray()
        .add(lesson("i-1", "eve"))
        .add(TestEngine.event("i-2", "eve", "bogus"))
        .add(new JsonObject().put("eventId", "i-3").put("type", "lesson_completed"))
        .add("just a string")
        .add(lesson("x", "eve").put("eventId", 42))
        .add(quiz("i-6", "eve", 101))
        .add(quiz("i-7", "eve", 70)));
    assertEquals(7, results.size());
    assertJson(status("i-1", "accepted"), results.getJsonObject(0));
    assertItemError(results.getJsonObject(1), "i-2", "unknown_event_type", "type");
    assertItemError(results.getJsonObject(2), "i-3", "missing_field", "learnerId");
    assertItemError(results.getJsonObject(3), null, "invalid_type", null);
    assertItemError(results.getJsonObject(4), null, "invalid_type", "eventId");
    assertItemError(results.getJsonObject(5), "i-6", "invalid_value", "score");
    assertJson(status("i-7", "accepted"), results.getJsonObject(6));

    assertEquals(157, engine.apply(login("i-8", "eve")).getLong("totalXp"));
    // refused items did not burn their eventIds
    assertJson(array(status("i-2", "accepted"), status("i-6", "accepted")),
        batch(array(lesson("i-2", "eve"), quiz("i-6", "eve", 100))));
  }

  @Test
  void moreThan1000EventsAreRefusedWholeWith400() {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 1001; i++) {
      events.add(login("big-" + i, "fay"));
    }
    assertError(engine.post("/api/v1/events/batch", new JsonObject().put("events", events)), 400, "batch_too_large",
        "events");
    assertError(engine.get("/api/v1/learners/fay"), 404, "not_found", "learnerId");
    assertJson(status("big-0", "accepted"), engine.post("/api/v1/events", login("big-0", "fay")).json());
  }

  @Test
  void exactly1000EventsAreAccepted() {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      events.add(login("k-" + i, "gus"));
    }
    JsonArray results = batch(events);
    assertEquals(1000, results.size());
    for (int i = 0; i < 1000; i++) {
      assertJson(status("k-" + i, "accepted"), results.getJsonObject(i));
    }
  }

  @Test
  void anEmptyBatchHasNoResults() {
    assertJson(new JsonObject().put("results", array()),
        ok(engine.post("/api/v1/events/batch", new JsonObject().put("events", array()))));
  }

  @Test
  void aBatchBodyWithoutAnEventsArrayIsRefused() {
    assertError(engine.post("/api/v1/events/batch", "{}"), 400, "invalid_type", "events");
    assertError(engine.post("/api/v1/events/batch", "{\"events\": {}}"), 400, "invalid_type", "events");
    assertError(engine.post("/api/v1/events/batch", "[" + lesson("z-1", "hal").encode() + "]"), 400, "invalid_type",
        "events");
    assertError(engine.post("/api/v1/events/batch", "{\"events\": [ "), 400, "invalid_json", null);
    assertError(engine.get("/api/v1/learners/hal"), 404, "not_found", "learnerId");
  }

  @Test
  void anItemOver64KiBIsRefusedOnItsOwn() {
    JsonArray results = batch(array(
        lesson("big-1", "ivy").put("padding", "x".repeat(70 * 1024)),
        lesson("big-2", "ivy")));
    assertItemError(results.getJsonObject(0), "big-1", "payload_too_large", null);
    assertJson(status("big-2", "accepted"), results.getJsonObject(1));
    assertEquals(52, engine.apply(login("big-3", "ivy")).getLong("totalXp"));
  }
}
