package io.learnquest.concurrency;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/rules.md, invariants 1 and 5: copies of one event delivered at the same time, some waiting for the outcome
 * and some not, change state once: one acceptance, the rest duplicates, XP once, the badge once.
 */
class DuplicateDeliveryTest {
  static final Duration SETTLE = Duration.ofSeconds(20);
  static final JsonArray FIRST_LESSON_GRANT = new JsonArray().add(new JsonObject().put("activity", "lesson")
      .put("baseXp", 50).put("multiplierPct", 105).put("xp", 52));

  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  @RegisterExtension
  final Http http = new Http(engine);

  /** Even copies wait for the outcome, odd ones do not. */
  static List<String> mixedUris(int n) {
    List<String> uris = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      uris.add(i % 2 == 0 ? "/api/v1/events?wait=true" : "/api/v1/events");
    }
    return uris;
  }

  /** The first delivery: 202 accepted without wait, or 200 processed with wait. */
  static boolean isFirstDelivery(TestEngine.Response r) {
    return r.status() == 202 && "accepted".equals(r.json().getString("status"))
        || r.status() == 200 && "processed".equals(r.json().getString("status"));
  }

  static boolean isDuplicate(TestEngine.Response r) {
    return r.status() == 200 && "duplicate".equals(r.json().getString("status"));
  }

  @Test
  void twentyConcurrentCopiesOfOneEventApplyOnce() {
    JsonObject lesson = event("dup-1", "ana", "lesson_completed").put("objectId", "lesson-1");
    List<JsonObject> copies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      copies.add(lesson.copy());
    }

    List<TestEngine.Response> answers = http.postAll(mixedUris(20), copies);

    StringBuilder all = new StringBuilder();
    answers.forEach(r -> all.append(r.status()).append(' ').append(r.body()).append('\n'));
    assertEquals(1, answers.stream().filter(DuplicateDeliveryTest::isFirstDelivery).count(), all.toString());
    assertEquals(19, answers.stream().filter(DuplicateDeliveryTest::isDuplicate).count(), all.toString());
    for (TestEngine.Response r : answers) {
      JsonObject body = r.json();
      assertEquals("dup-1", body.getString("eventId"), r.body());
      if (body.containsKey("xpGranted")) {
        // A full outcome, first delivery or duplicate, is the outcome of the one application.
        assertEquals(FIRST_LESSON_GRANT, body.getJsonArray("xpGranted"), r.body());
        assertEquals(52, body.getLong("totalXp"), r.body());
        assertEquals(List.of("first_lesson"), body.getJsonArray("badgesAwarded").getList(), r.body());
        assertEquals(new JsonArray().add(new JsonObject().put("from", "ONBOARDING").put("to", "ACTIVE")
            .put("event", "lesson_completed")), body.getJsonArray("transitions"), r.body());
      }
    }

    // Once applied (a late copy that waits returns the first delivery's outcome, marked duplicate).
    TestEngine.Response late = http.post("/api/v1/events?wait=true", lesson);
    assertEquals(200, late.status(), late.body());
    assertEquals("duplicate", late.json().getString("status"), late.body());
    assertEquals(52, late.json().getLong("totalXp"), late.body());
    assertEquals(FIRST_LESSON_GRANT, late.json().getJsonArray("xpGranted"), late.body());
    Http.eventually(SETTLE, () -> http.globalBoard().getLong("total") == 1,
        () -> "global board " + http.globalBoard().encode());

    JsonObject profile = http.profile("ana");
    assertEquals(52, profile.getLong("xp"));
    assertEquals(1, profile.getJsonObject("counters").getInteger("lessonsCompleted"));
    JsonArray profileBadges = profile.getJsonArray("badges");
    assertEquals(1, profileBadges.size(), profileBadges.encode());
    assertEquals("first_lesson", profileBadges.getJsonObject(0).getString("badgeId"));

    TestEngine.Response badges = http.get("/api/v1/learners/ana/badges");
    assertEquals(200, badges.status(), badges.body());
    JsonArray owned = badges.jsonArray("badges");
    assertEquals(1, owned.size(), owned.encode());
    assertEquals("first_lesson", owned.getJsonObject(0).getString("badgeId"));
    assertEquals("dup-1", owned.getJsonObject(0).getString("eventId"));

    List<JsonObject> ledger = http.ledgerOldestFirst("ana");
    assertEquals(1, ledger.size(), ledger.toString());
    assertEquals("dup-1", ledger.get(0).getString("eventId"));
    assertEquals(52, ledger.get(0).getLong("xp"));

    TestEngine.Response transitions = http.get("/api/v1/learners/ana/transitions");
    assertEquals(200, transitions.status(), transitions.body());
    JsonArray rows = transitions.jsonArray("transitions");
    assertEquals(1, rows.size(), rows.encode());
    JsonObject row = rows.getJsonObject(0);
    assertEquals("ONBOARDING", row.getString("from"));
    assertEquals("ACTIVE", row.getString("to"));
    assertEquals("lesson_completed", row.getString("event"));
    assertEquals("dup-1", row.getString("eventId"));

    assertEquals(new JsonArray().add(new JsonObject().put("rank", 1).put("learnerId", "ana").put("xp", 52)),
        http.globalBoard().getJsonArray("entries"));
  }

  @Test
  void twentyCopiesOfEachOfFiveEventsOfOneLearnerAtOnceApplyEachOnce() {
    // 100 requests at once: 20 interleaved copies of each of five distinct lessons of one learner.
    List<JsonObject> bodies = new ArrayList<>();
    for (int copy = 0; copy < 20; copy++) {
      for (int i = 1; i <= 5; i++) {
        bodies.add(event("multi-" + i, "bea", "lesson_completed").put("objectId", "lesson-" + i));
      }
    }

    List<TestEngine.Response> answers = http.postAll(mixedUris(100), bodies);

    for (int i = 1; i <= 5; i++) {
      String eventId = "multi-" + i;
      List<TestEngine.Response> mine = answers.stream()
          .filter(r -> eventId.equals(r.json().getString("eventId"))).toList();
      assertEquals(20, mine.size(), eventId);
      assertEquals(1, mine.stream().filter(DuplicateDeliveryTest::isFirstDelivery).count(), eventId);
      assertEquals(19, mine.stream().filter(DuplicateDeliveryTest::isDuplicate).count(), eventId);
    }

    Http.eventually(SETTLE, () -> http.ledgerSize("bea") >= 5
        && http.globalBoard().getLong("total") == 1
        && http.globalBoard().getJsonArray("entries").getJsonObject(0).getLong("xp") == 260,
        () -> "ledger size " + http.ledgerSize("bea") + ", global board " + http.globalBoard().encode());
    JsonObject profile = http.profile("bea");
    assertEquals(260, profile.getLong("xp"));
    assertEquals(2, profile.getInteger("level")); // 200 <= 260 < 400
    assertEquals(5, profile.getJsonObject("counters").getInteger("lessonsCompleted"));
    assertEquals(1, profile.getJsonArray("badges").size());
    List<JsonObject> ledger = http.ledgerOldestFirst("bea");
    assertEquals(5, ledger.size(), ledger.toString());
    assertTrue(ledger.stream().allMatch(e -> e.getLong("xp") == 52), ledger.toString());
    assertEquals(List.of("multi-1", "multi-2", "multi-3", "multi-4", "multi-5"),
        ledger.stream().map(e -> e.getString("eventId")).sorted().toList());
    TestEngine.Response transitions = http.get("/api/v1/learners/bea/transitions");
    assertEquals(1, transitions.jsonArray("transitions").size(), transitions.body());
    assertEquals(new JsonArray().add(new JsonObject().put("rank", 1).put("learnerId", "bea").put("xp", 260)),
        http.globalBoard().getJsonArray("entries"));
  }
}
