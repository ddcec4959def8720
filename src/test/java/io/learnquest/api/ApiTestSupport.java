package io.learnquest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** Small builders and assertions shared by the end-to-end API tests (not a test class itself). */
final class ApiTestSupport {
  static final Duration PATIENCE = Duration.ofSeconds(10);
  static final Set<String> OUTCOME_KEYS = Set.of("eventId", "status", "learnerId", "xpGranted", "totalXp", "level",
      "levelUp", "badgesAwarded", "transitions", "streak", "repeat");

  private ApiTestSupport() {
  }

  /** Asserts status, a JSON content type and the exact error body {error, message, field}. */
  static void assertError(TestEngine.Response r, int status, String code, String field) {
    assertEquals(status, r.status(), () -> "status of " + r.body());
    assertJsonContent(r);
    JsonObject body = r.json();
    assertEquals(Set.of("error", "message", "field"), body.fieldNames(), () -> "error body keys of " + r.body());
    assertEquals(code, body.getValue("error"), () -> "error code of " + r.body());
    assertEquals(field, body.getValue("field"), () -> "error field of " + r.body());
    assertTrue(body.getValue("message") instanceof String m && !m.isBlank(), () -> "message of " + r.body());
    assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), () -> "stack trace in " + r.body());
  }

  static void assertJsonContent(TestEngine.Response r) {
    assertNotNull(r.contentType(), () -> "no content-type on " + r.body());
    assertTrue(r.contentType().startsWith("application/json"), () -> "content-type " + r.contentType());
    assertFalse(r.body().trim().startsWith("<"), () -> "HTML body " + r.body());
  }

  static JsonObject ok(TestEngine.Response r) {
    assertEquals(200, r.status(), () -> "status of " + r.body());
    assertJsonContent(r);
    return r.json();
  }

  /** Runs the inactivity sweep until one is not blocked by another, and returns its transition count. */
  static int sweep(TestEngine engine) {
    AtomicReference<JsonObject> answer = new AtomicReference<>();
    TestEngine.eventually(PATIENCE, () -> {
      JsonObject body = ok(engine.post("/api/v1/admin/inactivity/sweep", new JsonObject()));
      if (body.getBoolean("swept")) {
        answer.set(body);
        return true;
      }
      return false;
    });
    return answer.get().getInteger("transitions");
  }

  static JsonObject grant(String activity, long baseXp, int pct, long xp) {
    return new JsonObject().put("activity", activity).put("baseXp", baseXp).put("multiplierPct", pct).put("xp", xp);
  }

  static JsonArray grants(JsonObject... grants) {
    return new JsonArray(new ArrayList<>(Arrays.asList((Object[]) grants)));
  }

  static JsonObject streak(int current, int longest, int freezesLeft, boolean extended, boolean broken) {
    return new JsonObject().put("current", current).put("longest", longest).put("freezesLeft", freezesLeft)
        .put("extended", extended).put("broken", broken);
  }

  static JsonObject profileStreak(int current, int longest, int freezesLeft, String lastStudyDate, boolean atRisk) {
    return new JsonObject().put("current", current).put("longest", longest).put("freezesLeft", freezesLeft)
        .put("lastStudyDate", lastStudyDate).put("atRisk", atRisk);
  }

  static JsonObject step(String from, String to, String event) {
    return new JsonObject().put("from", from).put("to", to).put("event", event);
  }

  static JsonObject transition(String from, String to, String event, String eventId, String at) {
    return new JsonObject().put("from", from).put("to", to).put("event", event).put("eventId", eventId).put("at", at);
  }

  static JsonObject ledgerEntry(String eventId, String activity, long baseXp, int pct, long xp, String reason,
                                String at) {
    return new JsonObject().put("eventId", eventId).put("activity", activity).put("baseXp", baseXp)
        .put("multiplierPct", pct).put("xp", xp).put("reason", reason).put("at", at);
  }

  static JsonObject rank(long rank, String learnerId, long xp) {
    return new JsonObject().put("rank", rank).put("learnerId", learnerId).put("xp", xp);
  }

  static JsonObject rank(long rank, String learnerId, long xp, boolean isCurrentUser) {
    return rank(rank, learnerId, xp).put("isCurrentUser", isCurrentUser);
  }

  static JsonObject board(String scope, String period, long total, JsonObject... entries) {
    return new JsonObject().put("scope", scope).put("period", period).put("total", total)
        .put("entries", new JsonArray(new ArrayList<>(Arrays.asList((Object[]) entries))));
  }

  static JsonArray array(Object... items) {
    return new JsonArray(new ArrayList<>(Arrays.asList(items)));
  }

  /** The expected outcome of a processed event (docs/api.md, plus the engine's "repeat"). */
  static JsonObject outcome(String eventId, String learnerId, JsonArray xpGranted, long totalXp, int level,
                            boolean levelUp, JsonArray badgesAwarded, JsonArray transitions, JsonObject streak,
                            boolean repeat) {
    return new JsonObject().put("eventId", eventId).put("status", "processed").put("learnerId", learnerId)
        .put("xpGranted", xpGranted).put("totalXp", totalXp).put("level", level).put("levelUp", levelUp)
        .put("badgesAwarded", badgesAwarded).put("transitions", transitions).put("streak", streak)
        .put("repeat", repeat);
  }

  /** Asserts two JSON objects are equal, comparing their canonical encodings (key order ignored). */
  static void assertJson(JsonObject expected, JsonObject actual) {
    assertEquals(canonical(expected), canonical(actual));
  }

  static void assertJson(JsonArray expected, JsonArray actual) {
    assertEquals(canonical(expected), canonical(actual));
  }

  /** Sorted-keys, number-normalized text of a JSON value; null-valued keys are kept. */
  static String canonical(Object value) {
    if (value instanceof JsonObject o) {
      StringBuilder sb = new StringBuilder("{");
      o.fieldNames().stream().sorted().forEach(k -> {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append('"').append(k).append("\":").append(canonical(o.getValue(k)));
      });
      return sb.append('}').toString();
    }
    if (value instanceof JsonArray a) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < a.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append(canonical(a.getValue(i)));
      }
      return sb.append(']').toString();
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return Long.toString(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      return "float:" + n;
    }
    if (value instanceof String s) {
      return '"' + s + '"';
    }
    return String.valueOf(value);
  }

  static long ledgerSum(TestEngine engine, String learnerId) {
    JsonArray entries = ok(engine.get("/api/v1/learners/" + learnerId + "/xp?limit=1000")).getJsonArray("entries");
    long sum = 0;
    for (int i = 0; i < entries.size(); i++) {
      sum += entries.getJsonObject(i).getLong("xp");
    }
    return sum;
  }

  static String iso(Instant at) {
    return at.toString();
  }

  static JsonObject lesson(String eventId, String learnerId) {
    return TestEngine.event(eventId, learnerId, "lesson_completed");
  }

  static JsonObject quiz(String eventId, String learnerId, int score) {
    return TestEngine.event(eventId, learnerId, "quiz_completed").put("score", score);
  }

  static JsonObject course(String eventId, String learnerId, int score) {
    return TestEngine.event(eventId, learnerId, "course_completed").put("score", score);
  }

  static JsonObject helped(String eventId, String learnerId) {
    return TestEngine.event(eventId, learnerId, "peer_helped");
  }

  static JsonObject login(String eventId, String learnerId) {
    return TestEngine.event(eventId, learnerId, "daily_login");
  }
}
