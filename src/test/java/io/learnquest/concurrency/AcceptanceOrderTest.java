package io.learnquest.concurrency;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * docs/rules.md, invariant 3: a learner's events are applied in acceptance order. Each event is posted without
 * waiting for its application (202 means durably accepted, not applied), the next one right after,
 * and only then does the test wait: whatever the second event earns depends on the first having
 * been applied before it.
 *
 * <p>All events occur at the frozen test clock's now: streak 1, multiplier 105 %.
 */
class AcceptanceOrderTest {
  static final Duration SETTLE = Duration.ofSeconds(20);
  static final int BACKLOG = 40;

  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  @RegisterExtension
  final Http http = new Http(engine);

  static JsonObject quiz(String eventId, String learnerId, String objectId, int score) {
    return event(eventId, learnerId, "quiz_completed").put("objectId", objectId).put("score", score);
  }

  /** Posts without waiting for application; fails unless it is 202 accepted. */
  void accept(JsonObject event) {
    TestEngine.Response r = http.post("/api/v1/events", event);
    assertEquals(202, r.status(), r.body());
    assertEquals(new JsonObject().put("eventId", event.getString("eventId")).put("status", "accepted"), r.json());
  }

  /**
   * The outcome of an accepted event, once applied: the same event posted again with wait=true is a
   * duplicate whose answer is the first delivery's outcome (docs/api.md).
   */
  JsonObject outcomeOf(JsonObject event) {
    TestEngine.Response r = http.post("/api/v1/events?wait=true", event);
    assertEquals(200, r.status(), r.body());
    JsonObject outcome = r.json();
    assertEquals("duplicate", outcome.getString("status"), r.body());
    assertTrue(outcome.containsKey("xpGranted"), "no outcome within the wait: " + r.body());
    return outcome;
  }

  /**
   * Puts {@link #BACKLOG} new lessons of the learner in the log in one batch, so the learner's queue is
   * busy when the events under test are accepted: they wait in the log together and their order of
   * application is really the engine's choice. Returns the XP they bring (52 each, same day).
   */
  long backlog(String learnerId) {
    JsonArray batch = new JsonArray();
    for (int i = 1; i <= BACKLOG; i++) {
      batch.add(event(learnerId + "-backlog-" + i, learnerId, "lesson_completed").put("objectId", "lesson-" + i));
    }
    TestEngine.Response r = http.post("/api/v1/events/batch", new JsonObject().put("events", batch));
    assertEquals(200, r.status(), r.body());
    JsonArray results = r.jsonArray("results");
    assertEquals(BACKLOG, results.size());
    for (int i = 0; i < BACKLOG; i++) {
      assertEquals("accepted", results.getJsonObject(i).getString("status"), r.body());
    }
    return 52L * BACKLOG;
  }

  /** The quiz rows of the ledger (the backlog's lesson rows left out), oldest first, without {@code at}. */
  List<JsonObject> quizRows(String learnerId) {
    return ledger(learnerId).stream().filter(row -> row.getString("activity").startsWith("quiz")).toList();
  }

  static JsonArray grant(String activity, int baseXp, int pct, int xp) {
    return new JsonArray().add(new JsonObject().put("activity", activity).put("baseXp", baseXp)
        .put("multiplierPct", pct).put("xp", xp));
  }

  static JsonObject ledgerRow(String eventId, String activity, int baseXp, int pct, int xp, String reason) {
    return new JsonObject().put("eventId", eventId).put("activity", activity).put("baseXp", baseXp)
        .put("multiplierPct", pct).put("xp", xp).put("reason", reason);
  }

  /** Ledger rows oldest first, without {@code at} (the frozen clock's now in every row). */
  List<JsonObject> ledger(String learnerId) {
    List<JsonObject> rows = new ArrayList<>();
    for (JsonObject row : http.ledgerOldestFirst(learnerId)) {
      assertEquals(TestEngine.START.toString(), row.getString("at"), row.encode());
      JsonObject copy = row.copy();
      copy.remove("at");
      rows.add(copy);
    }
    return rows;
  }

  @Test
  void failedQuizThenPassOfTheSameQuizEarnsQuizPassAndIsNoRepeat() {
    long before = backlog("ana");
    JsonObject failed = quiz("q-fail", "ana", "quiz-q", 50);
    JsonObject passed = quiz("q-pass", "ana", "quiz-q", 80);
    accept(failed);
    accept(passed);

    JsonObject first = outcomeOf(failed);
    assertEquals(new JsonArray(), first.getJsonArray("xpGranted"), first.encode());
    assertEquals(before, first.getLong("totalXp"), "the failed quiz was applied after the passed one");
    assertFalse(first.getBoolean("repeat"), first.encode());

    JsonObject second = outcomeOf(passed);
    assertEquals(grant("quiz_pass", 100, 105, 105), second.getJsonArray("xpGranted"), second.encode());
    assertEquals(before + 105, second.getLong("totalXp"));
    assertFalse(second.getBoolean("repeat"), second.encode());

    assertEquals(List.of(ledgerRow("q-pass", "quiz_pass", 100, 105, 105, "activity")), quizRows("ana"));
    JsonObject profile = http.profile("ana");
    assertEquals(before + 105, profile.getLong("xp"));
    assertEquals(1, profile.getJsonObject("counters").getInteger("quizzesPassed"));
  }

  @Test
  void passThenFailedQuizOfTheSameQuizEarnsPassThenNothing() {
    // The reverse order. The failed attempt earns no activity XP, so it is no "XP-earning event"
    // and by docs/rules.md, "XP and levels" not a repeat either: no XP, no ledger row, no counter.
    long before = backlog("ana");
    JsonObject passed = quiz("q-pass", "ana", "quiz-q", 80);
    JsonObject failed = quiz("q-fail", "ana", "quiz-q", 50);
    accept(passed);
    accept(failed);

    JsonObject first = outcomeOf(passed);
    assertEquals(grant("quiz_pass", 100, 105, 105), first.getJsonArray("xpGranted"), first.encode());
    assertEquals(before + 105, first.getLong("totalXp"));
    assertFalse(first.getBoolean("repeat"), first.encode());

    JsonObject second = outcomeOf(failed);
    assertEquals(new JsonArray(), second.getJsonArray("xpGranted"), second.encode());
    assertEquals(before + 105, second.getLong("totalXp"), "the failed quiz was applied before the passed one");
    assertFalse(second.getBoolean("repeat"), second.encode());

    assertEquals(List.of(ledgerRow("q-pass", "quiz_pass", 100, 105, 105, "activity")), quizRows("ana"));
    assertEquals(1, http.profile("ana").getJsonObject("counters").getInteger("quizzesPassed"));
  }

  @Test
  void passThenPassAgainOfTheSameQuizMakesTheSecondARepeat() {
    long before = backlog("ana");
    JsonObject firstPass = quiz("q-pass-1", "ana", "quiz-q", 80);
    JsonObject secondPass = quiz("q-pass-2", "ana", "quiz-q", 80);
    accept(firstPass);
    accept(secondPass);

    JsonObject first = outcomeOf(firstPass);
    assertEquals(grant("quiz_pass", 100, 105, 105), first.getJsonArray("xpGranted"), first.encode());
    assertFalse(first.getBoolean("repeat"), first.encode());
    assertEquals(before + 105, first.getLong("totalXp"));
    JsonObject second = outcomeOf(secondPass);
    assertEquals(new JsonArray(), second.getJsonArray("xpGranted"), second.encode());
    assertEquals(before + 105, second.getLong("totalXp"));
    assertTrue(second.getBoolean("repeat"), second.encode());

    assertEquals(List.of(ledgerRow("q-pass-1", "quiz_pass", 100, 105, 105, "activity"),
        ledgerRow("q-pass-2", "quiz_pass", 100, 105, 0, "repeat")), quizRows("ana"));
    assertEquals(1, http.profile("ana").getJsonObject("counters").getInteger("quizzesPassed"));
  }

  @Test
  void passThenPerfectMakesThePerfectTheRepeat() {
    long before = backlog("ana");
    JsonObject pass = quiz("q-80", "ana", "quiz-q", 80);
    JsonObject perfect = quiz("q-100", "ana", "quiz-q", 100);
    accept(pass);
    accept(perfect);

    JsonObject first = outcomeOf(pass);
    assertEquals(grant("quiz_pass", 100, 105, 105), first.getJsonArray("xpGranted"), first.encode());
    assertEquals(before + 105, first.getLong("totalXp"));
    assertEquals(List.of(), first.getJsonArray("badgesAwarded").getList());
    JsonObject second = outcomeOf(perfect);
    assertTrue(second.getBoolean("repeat"), second.encode());
    assertEquals(new JsonArray(), second.getJsonArray("xpGranted"), second.encode());
    assertEquals(before + 105, second.getLong("totalXp"));
    // A repeat still counts for rules that read the event itself.
    assertEquals(List.of("perfect_quiz"), second.getJsonArray("badgesAwarded").getList());

    assertEquals(List.of(ledgerRow("q-80", "quiz_pass", 100, 105, 105, "activity"),
        ledgerRow("q-100", "quiz_perfect", 200, 105, 0, "repeat")), quizRows("ana"));
    JsonObject counters = http.profile("ana").getJsonObject("counters");
    assertEquals(1, counters.getInteger("quizzesPassed"));
    assertEquals(0, counters.getInteger("perfectQuizzes"));
  }

  @Test
  void perfectThenPassMakesThePassTheRepeat() {
    long before = backlog("ana");
    JsonObject perfect = quiz("q-100", "ana", "quiz-q", 100);
    JsonObject pass = quiz("q-80", "ana", "quiz-q", 80);
    accept(perfect);
    accept(pass);

    JsonObject first = outcomeOf(perfect);
    assertEquals(grant("quiz_perfect", 200, 105, 210), first.getJsonArray("xpGranted"), first.encode());
    assertEquals(before + 210, first.getLong("totalXp"));
    assertEquals(List.of("perfect_quiz"), first.getJsonArray("badgesAwarded").getList());
    JsonObject second = outcomeOf(pass);
    assertTrue(second.getBoolean("repeat"), second.encode());
    assertEquals(new JsonArray(), second.getJsonArray("xpGranted"), second.encode());
    assertEquals(before + 210, second.getLong("totalXp"));

    assertEquals(List.of(ledgerRow("q-100", "quiz_perfect", 200, 105, 210, "activity"),
        ledgerRow("q-80", "quiz_pass", 100, 105, 0, "repeat")), quizRows("ana"));
    JsonObject counters = http.profile("ana").getJsonObject("counters");
    assertEquals(1, counters.getInteger("quizzesPassed"));
    assertEquals(1, counters.getInteger("perfectQuizzes"));
  }

  @Test
  void fiftyEventsAcceptedBackToBackAreAppliedInAcceptanceOrder() {
    // Each POST returns 202 as soon as the event is in the log; the next follows at once, so most
    // are pending together. The ledger (oldest first) must list them in the order they were accepted.
    List<String> accepted = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      // Names that do not sort in posting order, so an order by id would show.
      String eventId = "evt-" + Integer.toString((i * 37) % 101, 36) + "-" + i;
      accept(event(eventId, "ana", "lesson_completed").put("objectId", "lesson-" + i));
      accepted.add(eventId);
    }
    Http.eventually(SETTLE, () -> http.ledgerSize("ana") >= 50, () -> "ledger size " + http.ledgerSize("ana"));

    List<JsonObject> ledger = http.ledgerOldestFirst("ana");
    assertEquals(accepted, ledger.stream().map(e -> e.getString("eventId")).toList());
    assertEquals(2600, ledger.stream().mapToLong(e -> e.getLong("xp")).sum());
    assertEquals(2600, http.profile("ana").getLong("xp"));
    // The running totals in the outcomes follow the same order.
    for (int i = 0; i < accepted.size(); i++) {
      JsonObject outcome = outcomeOf(event(accepted.get(i), "ana", "lesson_completed")
          .put("objectId", "lesson-" + (i + 1)));
      assertEquals(52L * (i + 1), outcome.getLong("totalXp"), outcome.encode());
    }
  }
}
