package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.assertJsonContent;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.ledgerEntry;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.profileStreak;
import static io.learnquest.api.ApiTestSupport.quiz;
import static io.learnquest.api.ApiTestSupport.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md: the learner read side (profile, XP ledger, badges, transitions) and 404s. */
class LearnerReadApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  /** Four events of "lea" in Europe/Paris over two days: 1014 XP. */
  private void leasHistory() {
    // 10:00 in Paris on the 26th: 52
    engine.apply(lesson("r-1", "lea").put("objectId", "l-1").put("occurredAt", "2026-11-26T10:00:00+01:00")
        .put("timezone", "Europe/Paris"));
    // the 27th, streak 2 (pct 110): 220 + 27
    engine.apply(quiz("r-2", "lea", 100).put("objectId", "q-1").put("occurredAt", "2026-11-27T10:00:00Z"));
    // 165
    engine.apply(helped("r-3", "lea").put("objectId", "p-1").put("occurredAt", "2026-11-27T11:00:00Z"));
    // 550
    engine.apply(course("r-4", "lea", 70).put("objectId", "c-1").put("occurredAt", "2026-11-27T11:30:00Z"));
  }

  @Test
  void theProfileIsExact() {
    leasHistory();
    JsonObject expected = new JsonObject()
        .put("learnerId", "lea")
        .put("state", "ACTIVE")
        .put("xp", 1014)
        .put("level", 4)
        .put("nextLevelXp", 1600)
        .put("timezone", "Europe/Paris")
        .put("streak", profileStreak(2, 2, 2, "2026-11-27", false))
        .put("counters", new JsonObject().put("lessonsCompleted", 1).put("quizzesPassed", 1)
            .put("perfectQuizzes", 1).put("coursesCompleted", 1).put("peersHelped", 1))
        .put("badges", array(
            new JsonObject().put("badgeId", "first_lesson").put("name", "First Steps").put("tier", "bronze")
                .put("awardedAt", "2026-11-26T09:00:00Z"),
            new JsonObject().put("badgeId", "perfect_quiz").put("name", "Flawless").put("tier", "gold")
                .put("awardedAt", "2026-11-27T10:00:00Z")));
    TestEngine.Response r = engine.get("/api/v1/learners/lea");
    assertJsonContent(r);
    assertJson(expected, ok(r));
  }

  @Test
  void aProfileBeforeAnyStudyHasNoStreakDate() {
    engine.apply(login("n-1", "neo"));
    JsonObject expected = new JsonObject()
        .put("learnerId", "neo")
        .put("state", "ONBOARDING")
        .put("xp", 0)
        .put("level", 1)
        .put("nextLevelXp", 200)
        .put("timezone", "UTC")
        .put("streak", profileStreak(0, 0, 2, null, false))
        .put("counters", new JsonObject().put("lessonsCompleted", 0).put("quizzesPassed", 0)
            .put("perfectQuizzes", 0).put("coursesCompleted", 0).put("peersHelped", 0))
        .put("badges", array());
    assertJson(expected, engine.profile("neo"));
  }

  @Test
  void theXpLedgerIsNewestFirstAndHonoursLimit() {
    leasHistory();
    JsonArray all = array(
        ledgerEntry("r-4", "course", 500, 110, 550, "activity", "2026-11-27T11:30:00Z"),
        ledgerEntry("r-3", "help_peer", 150, 110, 165, "activity", "2026-11-27T11:00:00Z"),
        ledgerEntry("r-2", "streak", 25, 110, 27, "streak_bonus", "2026-11-27T10:00:00Z"),
        ledgerEntry("r-2", "quiz_perfect", 200, 110, 220, "activity", "2026-11-27T10:00:00Z"),
        ledgerEntry("r-1", "lesson", 50, 105, 52, "activity", "2026-11-26T09:00:00Z"));
    JsonObject whole = ok(engine.get("/api/v1/learners/lea/xp"));
    assertJson(all, whole.getJsonArray("entries"));
    assertTrue(whole.containsKey("next") && whole.getValue("next") == null, "one page holds it all: next is null");
    JsonArray two = array(all.getJsonObject(0), all.getJsonObject(1));
    JsonObject firstTwo = ok(engine.get("/api/v1/learners/lea/xp?limit=2"));
    assertJson(two, firstTwo.getJsonArray("entries"));
    assertNotNull(firstTwo.getString("next"), "older entries remain");
    assertJson(array(all.getJsonObject(0)), ok(engine.get("/api/v1/learners/lea/xp?limit=1")).getJsonArray("entries"));

    // the whole trail, page by page: next of one page is the cursor of the following one
    JsonArray read = new JsonArray();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = ok(engine.get("/api/v1/learners/lea/xp?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)));
      page.getJsonArray("entries").forEach(read::add);
      cursor = page.getString("next");
      pages++;
    } while (cursor != null && pages < 10);
    assertEquals(3, pages);
    assertJson(all, read);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc"})
  void aBadLedgerCursorIs400(String cursor) {
    engine.apply(lesson("bc-1", "bea"));
    assertError(engine.get("/api/v1/learners/bea/xp?cursor=" + cursor), 400, "invalid_value", "cursor");
  }

  @Test
  void theXpLedgerDefaultsTo50Entries() {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 55; i++) {
      events.add(lesson(String.format("m-%02d", i), "max"));
    }
    assertEquals(200, engine.post("/api/v1/events/batch", new JsonObject().put("events", events)).status());
    TestEngine.eventually(Duration.ofSeconds(20), () -> engine.get("/api/v1/learners/max").status() == 200
        && engine.profile("max").getLong("xp") == 55 * 52);
    JsonArray entries = ok(engine.get("/api/v1/learners/max/xp")).getJsonArray("entries");
    assertEquals(50, entries.size());
    assertEquals("m-54", entries.getJsonObject(0).getString("eventId"));
    assertEquals("m-05", entries.getJsonObject(49).getString("eventId"));
    assertEquals(55, ok(engine.get("/api/v1/learners/max/xp?limit=1000")).getJsonArray("entries").size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "abc"})
  void aBadLedgerLimitIs400(String limit) {
    engine.apply(lesson("bl-1", "bea"));
    assertError(engine.get("/api/v1/learners/bea/xp?limit=" + limit), 400, "invalid_value", "limit");
  }

  @Test
  void theBadgesOfALearner() {
    leasHistory();
    assertJson(new JsonObject().put("badges", array(
            new JsonObject().put("badgeId", "first_lesson").put("name", "First Steps").put("tier", "bronze")
                .put("awardedAt", "2026-11-26T09:00:00Z").put("eventId", "r-1"),
            new JsonObject().put("badgeId", "perfect_quiz").put("name", "Flawless").put("tier", "gold")
                .put("awardedAt", "2026-11-27T10:00:00Z").put("eventId", "r-2"))),
        ok(engine.get("/api/v1/learners/lea/badges")));
    engine.apply(login("nb-1", "nob"));
    assertJson(new JsonObject().put("badges", array()), ok(engine.get("/api/v1/learners/nob/badges")));
  }

  @Test
  void theTransitionsOfALearnerOldestFirst() {
    engine.apply(lesson("t-1", "tom").put("occurredAt", "2026-11-26T10:00:00Z"));
    engine.apply(course("t-2", "tom", 95));
    assertJson(new JsonObject().put("transitions", array(
            transition("ONBOARDING", "ACTIVE", "lesson_completed", "t-1", "2026-11-26T10:00:00Z"),
            transition("ACTIVE", "MASTERY", "course_completed", "t-2", "2026-11-27T12:00:00Z"))),
        ok(engine.get("/api/v1/learners/tom/transitions")));
    engine.apply(login("nt-1", "nat"));
    assertJson(new JsonObject().put("transitions", array()), ok(engine.get("/api/v1/learners/nat/transitions")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/xp", "/badges", "/transitions"})
  void anUnknownLearnerIs404WithAJsonBody(String suffix) {
    engine.apply(lesson("u-1", "known"));
    assertError(engine.get("/api/v1/learners/ghost" + suffix), 404, "not_found", "learnerId");
  }

  /** Ids that JSON would read as numbers are ids like any other: the learner's every read answers. */
  @ParameterizedTest
  @ValueSource(strings = {"12.5", "-5", "1.0", "1e-3"})
  void aLearnerWhoseIdReadsAsANumberIsReadLikeAnyOther(String learnerId) {
    engine.apply(lesson("num-" + learnerId, learnerId));
    assertEquals(learnerId, ok(engine.get("/api/v1/learners/" + learnerId)).getString("learnerId"));
    assertEquals(1, ok(engine.get("/api/v1/learners/" + learnerId + "/xp")).getJsonArray("entries").size());
    assertEquals(1, ok(engine.get("/api/v1/learners/" + learnerId + "/badges")).getJsonArray("badges").size());
    assertEquals(1, ok(engine.get("/api/v1/learners/" + learnerId + "/transitions")).getJsonArray("transitions").size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/xp", "/badges", "/transitions"})
  void aMalformedLearnerIdIs400(String suffix) {
    assertError(engine.get("/api/v1/learners/bad%20id" + suffix), 400, "invalid_value", "learnerId");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/v1/nothing", "/nothing", "/api/v1/learners/ana/friends", "/api/v2/badges",
      "/api/v1/leaderboards/everything"})
  void unknownRoutesAre404WithAJsonBodyNeverHtml(String uri) {
    assertError(engine.get(uri), 404, "not_found", null);
    assertError(engine.post(uri, "{}"), 404, "not_found", null);
  }

  @Test
  void aWrongMethodOnAKnownRouteStillAnswersAJsonError() {
    TestEngine.Response r = engine.request(HttpMethod.DELETE, "/api/v1/badges", null);
    assertTrue(r.status() == 404 || r.status() == 405, r.status() + " " + r.body());
    assertError(r, r.status(), r.json().getString("error"), null);
  }
}
