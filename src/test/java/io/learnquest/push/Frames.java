package io.learnquest.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Expected push frames (docs/api.md, "Live push") and checks on received ones. Ids are opaque resume
 * tokens (docs/api.md); the engine's are decimal per-learner sequence numbers, which is what "strictly
 * increasing" and "no gaps" are checked against.
 */
final class Frames {
  /** Every event in these tests occurs at the frozen clock's now. */
  static final Instant AT = TestEngine.START;

  private Frames() {
  }

  static JsonObject lesson(String eventId, String learnerId, String objectId) {
    return TestEngine.event(eventId, learnerId, "lesson_completed").put("objectId", objectId);
  }

  static JsonObject perfectQuiz(String eventId, String learnerId, String objectId) {
    return TestEngine.event(eventId, learnerId, "quiz_completed").put("objectId", objectId).put("score", 100);
  }

  /** A frame without its id, {@code at} normalised: what a test can know in advance. */
  static JsonObject frame(String type, String learnerId, String eventId, JsonObject data) {
    return new JsonObject().put("type", type).put("learnerId", learnerId).put("eventId", eventId)
        .put("at", AT.toString()).put("data", data);
  }

  static JsonObject grants(String activity, int baseXp, int pct, int xp, int totalXp) {
    return new JsonObject().put("xp", xp).put("totalXp", totalXp).put("grants", new JsonArray()
        .add(new JsonObject().put("activity", activity).put("baseXp", baseXp).put("multiplierPct", pct).put("xp", xp)));
  }

  /** A learner's first lesson: streak_updated, xp_granted, state_changed, badge_awarded (EventApplier.commit order). */
  static List<JsonObject> firstLesson(String learnerId, String eventId) {
    return List.of(
        frame("streak_updated", learnerId, eventId, new JsonObject().put("current", 1).put("longest", 1)
            .put("freezesLeft", 2).put("lastStudyDate", "2026-11-27").put("extended", true).put("broken", false)),
        frame("xp_granted", learnerId, eventId, grants("lesson", 50, 105, 52, 52)),
        frame("state_changed", learnerId, eventId, new JsonObject().put("from", "ONBOARDING").put("to", "ACTIVE")
            .put("event", "lesson_completed")),
        frame("badge_awarded", learnerId, eventId, new JsonObject().put("badgeId", "first_lesson")
            .put("name", "First Steps").put("tier", "bronze")));
  }

  /** A perfect quiz on the same day right after the first lesson (52 XP before): 210 XP, level 2, the gold badge. */
  static List<JsonObject> perfectQuizAfterFirstLesson(String learnerId, String eventId) {
    return List.of(
        frame("xp_granted", learnerId, eventId, grants("quiz_perfect", 200, 105, 210, 262)),
        frame("level_up", learnerId, eventId, new JsonObject().put("previousLevel", 1).put("level", 2)),
        frame("badge_awarded", learnerId, eventId, new JsonObject().put("badgeId", "perfect_quiz")
            .put("name", "Flawless").put("tier", "gold")));
  }

  /** A further new lesson on the same day: only XP. */
  static List<JsonObject> anotherLesson(String learnerId, String eventId, int totalXp) {
    return List.of(frame("xp_granted", learnerId, eventId, grants("lesson", 50, 105, 52, totalXp)));
  }

  @SafeVarargs
  static List<JsonObject> concat(List<JsonObject>... parts) {
    List<JsonObject> all = new ArrayList<>();
    for (List<JsonObject> p : parts) {
      all.addAll(p);
    }
    return all;
  }

  /** The received frames without their ids, after checking each has exactly the documented fields. */
  static List<JsonObject> withoutIds(List<JsonObject> frames) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject f : frames) {
      assertEquals(Set.of("id", "type", "learnerId", "eventId", "at", "data"), f.fieldNames(), f.encode());
      assertTrue(f.getValue("id") instanceof String, "id must be a string: " + f.encode());
      JsonObject copy = f.copy();
      copy.remove("id");
      copy.put("at", Instant.parse(f.getString("at")).toString());
      out.add(copy);
    }
    return out;
  }

  static List<String> ids(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getString("id")).toList();
  }

  static long seq(JsonObject frame) {
    return Long.parseLong(frame.getString("id"));
  }

  /** Ids unique and strictly increasing. */
  static void assertIncreasing(List<JsonObject> frames) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < frames.size(); i++) {
      assertTrue(seen.add(frames.get(i).getString("id")), "id sent twice: " + ids(frames));
      if (i > 0) {
        assertTrue(seq(frames.get(i)) > seq(frames.get(i - 1)), "ids not increasing: " + ids(frames));
      }
    }
  }

  /** Ids strictly increasing by one from {@code first}: no duplicate, no gap. */
  static void assertConsecutiveFrom(long first, List<JsonObject> frames) {
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      expected.add(first + i);
    }
    assertEquals(expected, frames.stream().map(Frames::seq).toList());
  }
}
