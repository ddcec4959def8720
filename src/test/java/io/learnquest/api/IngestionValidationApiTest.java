package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.assertJsonContent;
import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/api.md, "Events": each kind of bad input is refused with 400 and the right code and field, changes
 * nothing, and does not burn its eventId.
 */
class IngestionValidationApiTest {
  static final String EVENT_ID = "bad-1";
  static final String LEARNER = "vic";
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  /** A valid quiz event the cases spoil one way each. */
  static JsonObject valid() {
    return new JsonObject().put("eventId", EVENT_ID).put("learnerId", LEARNER).put("type", "quiz_completed")
        .put("score", 80).put("objectId", "quiz-1");
  }

  static Arguments spoil(String name, Consumer<JsonObject> change, String code, String field) {
    JsonObject body = valid();
    change.accept(body);
    return Arguments.of(name, body.encode(), code, field);
  }

  static Stream<Arguments> badEvents() {
    return Stream.of(
        spoil("missing eventId", e -> e.remove("eventId"), "missing_field", "eventId"),
        spoil("eventId a number", e -> e.put("eventId", 123), "invalid_type", "eventId"),
        spoil("eventId with a space", e -> e.put("eventId", "bad 1"), "invalid_value", "eventId"),
        spoil("eventId with @", e -> e.put("eventId", "bad@1"), "invalid_value", "eventId"),
        spoil("eventId empty", e -> e.put("eventId", ""), "invalid_value", "eventId"),
        spoil("eventId 129 chars", e -> e.put("eventId", "b".repeat(129)), "invalid_value", "eventId"),
        spoil("missing learnerId", e -> e.remove("learnerId"), "missing_field", "learnerId"),
        spoil("learnerId a boolean", e -> e.put("learnerId", true), "invalid_type", "learnerId"),
        spoil("learnerId with a slash", e -> e.put("learnerId", "vic/1"), "invalid_value", "learnerId"),
        spoil("learnerId 129 chars", e -> e.put("learnerId", "v".repeat(129)), "invalid_value", "learnerId"),
        spoil("missing type", e -> e.remove("type"), "missing_field", "type"),
        spoil("type a number", e -> e.put("type", 5), "invalid_type", "type"),
        spoil("unknown type", e -> e.put("type", "video_watched"), "unknown_event_type", "type"),
        spoil("occurredAt not a date", e -> e.put("occurredAt", "yesterday"), "invalid_value", "occurredAt"),
        spoil("occurredAt without offset", e -> e.put("occurredAt", "2026-11-27T10:00:00"), "invalid_value",
            "occurredAt"),
        spoil("occurredAt a number", e -> e.put("occurredAt", 1764237600), "invalid_type", "occurredAt"),
        spoil("occurredAt 6 minutes ahead", e -> e.put("occurredAt", "2026-11-27T12:06:00Z"), "occurred_in_future",
            "occurredAt"),
        spoil("occurredAt a day ahead in another offset", e -> e.put("occurredAt", "2026-11-28T21:00:00+09:00"),
            "occurred_in_future", "occurredAt"),
        spoil("unknown timezone", e -> e.put("timezone", "Mars/Olympus"), "unknown_timezone", "timezone"),
        spoil("timezone a raw offset", e -> e.put("timezone", "+09:00"), "unknown_timezone", "timezone"),
        spoil("timezone a number", e -> e.put("timezone", 9), "invalid_type", "timezone"),
        spoil("courseId with a space", e -> e.put("courseId", "alg ebra"), "invalid_value", "courseId"),
        spoil("courseId empty", e -> e.put("courseId", ""), "invalid_value", "courseId"),
        spoil("courseId an object", e -> e.put("courseId", new JsonObject()), "invalid_type", "courseId"),
        spoil("objectId 129 chars", e -> e.put("objectId", "o".repeat(129)), "invalid_value", "objectId"),
        spoil("quiz without score", e -> e.remove("score"), "missing_field", "score"),
        spoil("quiz with null score", e -> e.putNull("score"), "missing_field", "score"),
        spoil("course without score", e -> e.put("type", "course_completed").remove("score"), "missing_field",
            "score"),
        spoil("score 101", e -> e.put("score", 101), "invalid_value", "score"),
        spoil("score -1", e -> e.put("score", -1), "invalid_value", "score"),
        spoil("score a string", e -> e.put("score", "80"), "invalid_type", "score"),
        spoil("score a fraction", e -> e.put("score", 80.5), "invalid_type", "score"),
        spoil("difficulty 0", e -> e.put("difficulty", 0), "invalid_value", "difficulty"),
        spoil("difficulty 6", e -> e.put("difficulty", 6), "invalid_value", "difficulty"),
        spoil("difficulty a word", e -> e.put("difficulty", "hard"), "invalid_type", "difficulty"),
        spoil("timeBonus a string", e -> e.put("timeBonus", "yes"), "invalid_type", "timeBonus"),
        spoil("timeBonus a number", e -> e.put("timeBonus", 1), "invalid_type", "timeBonus"));
  }

  private void assertNothingChanged() {
    assertError(engine.get("/api/v1/learners/" + LEARNER), 404, "not_found", "learnerId");
    assertEquals(0, ok(engine.get("/api/v1/leaderboards/global")).getLong("total"));
  }

  /** The refused eventId is not burnt: the same id with valid content is accepted, then applied. */
  private void assertEventIdStillFree() {
    TestEngine.Response accepted = engine.post("/api/v1/events", valid());
    assertEquals(202, accepted.status(), accepted.body());
    assertJsonContent(accepted);
    assertJson(new JsonObject().put("eventId", EVENT_ID).put("status", "accepted"), accepted.json());
    TestEngine.eventually(Duration.ofSeconds(10), () -> engine.get("/api/v1/learners/" + LEARNER).status() == 200);
    TestEngine.eventually(Duration.ofSeconds(10), () -> engine.profile(LEARNER).getLong("xp") == 105);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badEvents")
  void aBadEventIsRefusedWith400AndChangesNothing(String name, String body, String code, String field) {
    assertError(engine.post("/api/v1/events", body), 400, code, field);
    assertError(engine.post("/api/v1/events?wait=true", body), 400, code, field);
    assertNothingChanged();
    assertEventIdStillFree();
  }

  static Stream<Arguments> badBodies() {
    return Stream.of(
        Arguments.of("invalid JSON", "{\"eventId\": \"bad-1\", ", "invalid_json"),
        Arguments.of("not JSON at all", "eventId=bad-1", "invalid_json"),
        Arguments.of("empty body", "", "invalid_json"),
        Arguments.of("a JSON array", "[" + valid().encode() + "]", "invalid_type"),
        Arguments.of("a JSON string", "\"hello\"", "invalid_type"),
        Arguments.of("a JSON number", "42", "invalid_type"),
        Arguments.of("JSON null", "null", "invalid_type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBodyThatIsNotAJsonObjectIsRefused(String name, String body, String code) {
    assertError(engine.post("/api/v1/events", body), 400, code, null);
    assertNothingChanged();
    assertEventIdStillFree();
  }

  @Test
  void aBodyOver64KiBGets413WithTheJsonErrorBody() {
    String body = valid().put("padding", "x".repeat(70 * 1024)).encode();
    assertError(engine.post("/api/v1/events", body), 413, "payload_too_large", null);
    assertNothingChanged();
    assertEventIdStillFree();
  }

  @Test
  void unknownExtraFieldsAreIgnored() {
    JsonObject o = engine.apply(valid().put("foo", "bar").put("nested", new JsonObject().put("a", 1)));
    assertEquals("processed", o.getString("status"));
    assertEquals(105, o.getLong("totalXp"));
  }

  @Test
  void boundaryValuesAreAccepted() {
    // exactly 5 minutes ahead, 128-char ids, the full learnerId alphabet, an offset, score 0 and 100, difficulty 1 and 5
    String longId = "e".repeat(128);
    String learner = "Ana.B_c:d@e-F9";
    assertEquals(202, engine.post("/api/v1/events", TestEngine.event(longId, learner, "lesson_completed")
        .put("occurredAt", "2026-11-27T12:05:00Z").put("courseId", "c".repeat(128))
        .put("objectId", "o".repeat(128)).put("difficulty", 5).put("timeBonus", false)).status());
    assertEquals(202, engine.post("/api/v1/events", TestEngine.event("e.2:x-Y_z", learner, "quiz_completed")
        .put("score", 0).put("difficulty", 1).put("occurredAt", "2026-11-27T21:00:00+09:00")
        .put("timezone", "Asia/Tokyo")).status());
    JsonObject o = engine.apply(TestEngine.event("e-3", learner, "quiz_completed").put("score", 100)
        .put("objectId", "quiz-x"));
    assertEquals(learner, o.getString("learnerId"));
    assertEquals("Asia/Tokyo", engine.profile(learner).getString("timezone"));
  }

  @Test
  void refusedEventsChangeNothingForAKnownLearner() {
    engine.apply(valid());
    JsonObject profile = engine.profile(LEARNER);
    JsonObject ledger = ok(engine.get("/api/v1/learners/" + LEARNER + "/xp"));
    JsonObject board = ok(engine.get("/api/v1/leaderboards/global"));
    assertError(engine.post("/api/v1/events", valid().put("eventId", "bad-2").put("score", 101)), 400,
        "invalid_value", "score");
    assertError(engine.post("/api/v1/events?wait=true", valid().put("eventId", "bad-3").put("timezone", "Nowhere/City")),
        400, "unknown_timezone", "timezone");
    assertError(engine.post("/api/v1/events", valid().put("eventId", "bad-4").put("type", "Lesson_Completed")), 400,
        "unknown_event_type", "type");
    assertJson(profile, engine.profile(LEARNER));
    assertJson(ledger, ok(engine.get("/api/v1/learners/" + LEARNER + "/xp")));
    assertJson(board, ok(engine.get("/api/v1/leaderboards/global")));
    assertEquals("UTC", engine.profile(LEARNER).getString("timezone"));
  }
}
