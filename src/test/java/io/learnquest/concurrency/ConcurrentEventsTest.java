package io.learnquest.concurrency;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * docs/rules.md, invariants 3 and 4 under load: many distinct events of one learner (and of several learners)
 * arriving at the same instant are applied one at a time per learner, none lost, none counted twice,
 * and XP total == ledger sum == all-time global leaderboard score.
 *
 * <p>Every event occurs at the frozen test clock's now, so all are on the same local day: the
 * streak stays 1 and each lesson earns floor(50 * 105 / 100) = 52 XP.
 */
class ConcurrentEventsTest {
  static final long LESSON_XP = 52;
  static final Duration SETTLE = Duration.ofSeconds(20);

  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  @RegisterExtension
  final Http http = new Http(engine);

  static JsonObject lesson(String eventId, String learnerId, String objectId) {
    return event(eventId, learnerId, "lesson_completed").put("objectId", objectId);
  }

  @Test
  void fiftyConcurrentDistinctLessonsOfOneLearnerAddUpExactlyEverywhere() {
    List<JsonObject> events = IntStream.rangeClosed(1, 50)
        .mapToObj(i -> lesson("ana-lesson-" + i, "ana", "lesson-" + i)).toList();

    List<TestEngine.Response> answers = http.postAll("/api/v1/events?wait=true", events);

    // Each applied once, each seeing every event applied before it: the running totals are exactly
    // 52, 104, ..., 2600, one each. A lost update would repeat a total and leave one out.
    List<JsonObject> outcomes = new ArrayList<>();
    for (TestEngine.Response r : answers) {
      assertEquals(200, r.status(), r.body());
      JsonObject outcome = r.json();
      assertEquals("processed", outcome.getString("status"), r.body());
      assertEquals("ana", outcome.getString("learnerId"));
      assertEquals(new JsonArray().add(new JsonObject().put("activity", "lesson").put("baseXp", 50)
          .put("multiplierPct", 105).put("xp", 52)), outcome.getJsonArray("xpGranted"), r.body());
      assertEquals(1, outcome.getJsonObject("streak").getInteger("current"), r.body());
      outcomes.add(outcome);
    }
    List<Long> totals = outcomes.stream().map(o -> o.getLong("totalXp")).sorted().toList();
    assertEquals(multiples(LESSON_XP, 50), totals);
    assertEquals(events.stream().map(e -> e.getString("eventId")).collect(Collectors.toSet()),
        outcomes.stream().map(o -> o.getString("eventId")).collect(Collectors.toSet()));
    // Only the very first applied one is the learner's first lesson.
    assertEquals(1, outcomes.stream().filter(o -> o.getJsonArray("badgesAwarded").contains("first_lesson")).count());
    assertEquals(List.of("first_lesson"), outcomes.stream().filter(o -> o.getLong("totalXp") == LESSON_XP)
        .findFirst().orElseThrow().getJsonArray("badgesAwarded").getList());

    JsonObject profile = http.profile("ana");
    assertEquals(2600, profile.getLong("xp"));
    assertEquals(5, profile.getInteger("level")); // 1600 <= 2600 < 3200
    assertEquals(3200, profile.getLong("nextLevelXp"));
    assertEquals("ACTIVE", profile.getString("state"));
    assertEquals(50, profile.getJsonObject("counters").getInteger("lessonsCompleted"));
    assertEquals(1, profile.getJsonObject("streak").getInteger("current"));
    assertEquals(1, profile.getJsonArray("badges").size());

    // The ledger: 50 rows, one per event, in application order (the order of the running totals).
    List<JsonObject> ledger = http.ledgerOldestFirst("ana");
    assertEquals(50, ledger.size());
    assertEquals(2600, ledger.stream().mapToLong(e -> e.getLong("xp")).sum());
    for (JsonObject row : ledger) {
      assertEquals("lesson", row.getString("activity"), row.encode());
      assertEquals(50, row.getLong("baseXp"), row.encode());
      assertEquals(105, row.getInteger("multiplierPct"), row.encode());
      assertEquals(52, row.getLong("xp"), row.encode());
      assertEquals("activity", row.getString("reason"), row.encode());
    }
    List<String> appliedOrder = outcomes.stream().sorted(Comparator.comparingLong(o -> o.getLong("totalXp")))
        .map(o -> o.getString("eventId")).toList();
    assertEquals(appliedOrder, ledger.stream().map(e -> e.getString("eventId")).toList());

    // The all-time global board: the same 2600, and nobody else.
    JsonObject board = http.globalBoard();
    assertEquals(1, board.getLong("total"));
    assertEquals(new JsonArray().add(new JsonObject().put("rank", 1).put("learnerId", "ana").put("xp", 2600)),
        board.getJsonArray("entries"));
  }

  @Test
  void severalLearnersConcurrentlyEachAddUpExactly() {
    // Five learners with 10, 14, 18, 22, 26 lessons: 90 requests fired at once, interleaved, through
    // the plain 202 path; each learner's total is distinct so a misattributed event shows.
    List<String> learners = List.of("l1", "l2", "l3", "l4", "l5");
    int[] counts = {10, 14, 18, 22, 26};
    List<JsonObject> events = new ArrayList<>();
    for (int round = 0; round < 26; round++) {
      for (int k = 0; k < learners.size(); k++) {
        if (round < counts[k]) {
          String learner = learners.get(k);
          events.add(lesson(learner + "-e" + round, learner, "lesson-" + round));
        }
      }
    }
    assertEquals(90, events.size());

    List<TestEngine.Response> answers = http.postAll("/api/v1/events", events);
    for (int i = 0; i < answers.size(); i++) {
      TestEngine.Response r = answers.get(i);
      assertEquals(202, r.status(), r.body());
      assertEquals(new JsonObject().put("eventId", events.get(i).getString("eventId")).put("status", "accepted"),
          r.json());
    }

    Http.eventually(SETTLE, () -> {
      for (int k = 0; k < learners.size(); k++) {
        if (http.ledgerSize(learners.get(k)) < counts[k]) {
          return false;
        }
      }
      JsonArray entries = http.globalBoard().getJsonArray("entries");
      return entries.size() == 5 && entries.stream().map(JsonObject.class::cast)
          .allMatch(e -> e.getLong("xp") == LESSON_XP * counts[learners.indexOf(e.getString("learnerId"))]);
    }, () -> "ledger sizes " + learners.stream().map(l -> l + "=" + http.ledgerSize(l)).toList()
        + ", global board " + http.globalBoard().encode());

    for (int k = 0; k < learners.size(); k++) {
      String learner = learners.get(k);
      long expected = LESSON_XP * counts[k];
      JsonObject profile = http.profile(learner);
      assertEquals(expected, profile.getLong("xp"), learner);
      assertEquals(counts[k], profile.getJsonObject("counters").getInteger("lessonsCompleted"), learner);
      List<JsonObject> ledger = http.ledgerOldestFirst(learner);
      assertEquals(counts[k], ledger.size(), learner);
      assertEquals(expected, ledger.stream().mapToLong(e -> e.getLong("xp")).sum(), learner);
      Set<String> ids = new HashSet<>();
      ledger.forEach(e -> ids.add(e.getString("eventId")));
      assertEquals(IntStream.range(0, counts[k]).mapToObj(i -> learner + "-e" + i).collect(Collectors.toSet()), ids);
      assertTrue(ledger.stream().allMatch(e -> e.getLong("xp") == LESSON_XP), learner);
    }
    // 1352, 1144, 936, 728, 520: descending, ranks 1..5.
    JsonObject board = http.globalBoard();
    assertEquals(5, board.getLong("total"));
    JsonArray expectedEntries = new JsonArray();
    for (int k = learners.size() - 1, rank = 1; k >= 0; k--, rank++) {
      expectedEntries.add(new JsonObject().put("rank", rank).put("learnerId", learners.get(k))
          .put("xp", LESSON_XP * counts[k]));
    }
    assertEquals(expectedEntries, board.getJsonArray("entries"));
  }

  /** {@code step, 2*step, ..., n*step}. */
  static List<Long> multiples(long step, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> step * i).toList();
  }
}
