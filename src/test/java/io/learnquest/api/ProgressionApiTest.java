package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static io.learnquest.api.ApiTestSupport.step;
import static io.learnquest.api.ApiTestSupport.sweep;
import static io.learnquest.api.ApiTestSupport.transition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/rules.md, "Progression": the progression state machine, its recorded transitions and the inactivity sweep. */
class ProgressionApiTest {
  static final Instant START = TestEngine.START;
  TestEngine engine;

  @BeforeEach
  void start() {
    // the periodic sweep is kept out of the way: these tests fire it themselves through the admin endpoint
    engine = TestEngine.start(Map.of("INACTIVITY_SWEEP_INTERVAL_MS", "3600000"));
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  private String state(String learnerId) {
    return engine.profile(learnerId).getString("state");
  }

  private JsonArray transitions(String learnerId) {
    JsonArray list = ok(engine.get("/api/v1/learners/" + learnerId + "/transitions")).getJsonArray("transitions");
    for (int i = 0; i < list.size(); i++) {
      assertTrue(list.getJsonObject(i).containsKey("eventId"), "eventId present (null when engine-fired)");
    }
    return list;
  }

  @Test
  void onboardingBecomesActiveOnALessonOnly() {
    JsonObject q = engine.apply(quiz("o-1", "ana", 80));
    assertJson(array(), q.getJsonArray("transitions"));
    assertEquals("ONBOARDING", state("ana"));

    JsonObject l = engine.apply(lesson("o-2", "ana"));
    assertJson(array(step("ONBOARDING", "ACTIVE", "lesson_completed")), l.getJsonArray("transitions"));
    assertEquals("ACTIVE", state("ana"));

    JsonObject again = engine.apply(lesson("o-3", "ana"));
    assertJson(array(), again.getJsonArray("transitions"));
    assertJson(array(transition("ONBOARDING", "ACTIVE", "lesson_completed", "o-2", "2026-11-27T12:00:00Z")),
        transitions("ana"));
  }

  @Test
  void courseCompletedWithScore90ButNot89GivesMastery() {
    engine.apply(lesson("m-1", "ben"));
    JsonObject c89 = engine.apply(course("m-2", "ben", 89).put("objectId", "course-1"));
    assertJson(array(), c89.getJsonArray("transitions"));
    assertEquals("ACTIVE", state("ben"));

    JsonObject c90 = engine.apply(course("m-3", "ben", 90).put("objectId", "course-2"));
    assertJson(array(step("ACTIVE", "MASTERY", "course_completed")), c90.getJsonArray("transitions"));
    JsonObject profile = engine.profile("ben");
    assertEquals("MASTERY", profile.getString("state"));
    assertEquals(2, profile.getJsonObject("counters").getLong("coursesCompleted"));
    assertJson(array(
        transition("ONBOARDING", "ACTIVE", "lesson_completed", "m-1", "2026-11-27T12:00:00Z"),
        transition("ACTIVE", "MASTERY", "course_completed", "m-3", "2026-11-27T12:00:00Z")), transitions("ben"));
  }

  @Test
  void masteryNeedsAnActiveLearner() {
    JsonObject c = engine.apply(course("mo-1", "cid", 95));
    assertJson(array(), c.getJsonArray("transitions"));
    assertEquals("ONBOARDING", state("cid"));
    assertJson(array(), transitions("cid"));
  }

  @Test
  void theFifthPeerHelpedTurnsMasteryIntoMentor() {
    engine.apply(lesson("h-0", "dee"));
    engine.apply(course("h-c", "dee", 95));
    for (int i = 1; i <= 4; i++) {
      JsonObject o = engine.apply(helped("h-" + i, "dee").put("objectId", "peer-" + i));
      assertJson(array(), o.getJsonArray("transitions"));
    }
    // a repeat of peer-4 moves no counter
    JsonObject repeat = engine.apply(helped("h-4r", "dee").put("objectId", "peer-4"));
    assertJson(array(), repeat.getJsonArray("transitions"));
    assertEquals(4, engine.profile("dee").getJsonObject("counters").getLong("peersHelped"));
    assertEquals("MASTERY", state("dee"));

    JsonObject fifth = engine.apply(helped("h-5", "dee").put("objectId", "peer-5"));
    assertJson(array(step("MASTERY", "MENTOR", "peer_helped")), fifth.getJsonArray("transitions"));
    JsonObject profile = engine.profile("dee");
    assertEquals("MENTOR", profile.getString("state"));
    assertEquals(5, profile.getJsonObject("counters").getLong("peersHelped"));
    JsonArray all = transitions("dee");
    assertEquals(3, all.size());
    assertJson(transition("MASTERY", "MENTOR", "peer_helped", "h-5", "2026-11-27T12:00:00Z"), all.getJsonObject(2));
  }

  @Test
  void peersHelpedBeforeMasteryCountTowardsMentor() {
    engine.apply(lesson("pm-0", "eli"));
    for (int i = 1; i <= 3; i++) {
      engine.apply(helped("pm-" + i, "eli").put("objectId", "peer-" + i));
    }
    assertEquals("ACTIVE", state("eli"));
    engine.apply(course("pm-c", "eli", 100));
    assertEquals("MASTERY", state("eli"));
    JsonObject fourth = engine.apply(helped("pm-4", "eli").put("objectId", "peer-4"));
    assertJson(array(), fourth.getJsonArray("transitions"));
    JsonObject fifth = engine.apply(helped("pm-5", "eli").put("objectId", "peer-5"));
    assertJson(array(step("MASTERY", "MENTOR", "peer_helped")), fifth.getJsonArray("transitions"));
  }

  @Test
  void sweepTurnsActiveIntoAtRiskAfter7DaysAndDormantAfter14() {
    engine.apply(lesson("i-1", "fox"));
    assertEquals(0, sweep(engine));

    engine.clock.set(START.plus(Duration.ofDays(7)).minusSeconds(1));
    assertEquals(0, sweep(engine));
    assertEquals("ACTIVE", state("fox"));

    engine.clock.set(START.plus(Duration.ofDays(7)));
    assertEquals(1, sweep(engine));
    assertEquals("AT_RISK", state("fox"));
    assertEquals(0, sweep(engine), "inactive_7_days fires once");

    engine.clock.set(START.plus(Duration.ofDays(14)).minusSeconds(1));
    assertEquals(0, sweep(engine));
    assertEquals("AT_RISK", state("fox"));

    engine.clock.set(START.plus(Duration.ofDays(14)));
    assertEquals(1, sweep(engine));
    assertEquals("DORMANT", state("fox"));
    engine.clock.set(START.plus(Duration.ofDays(30)));
    assertEquals(0, sweep(engine), "inactive_14_days fires once");

    assertJson(array(
        transition("ONBOARDING", "ACTIVE", "lesson_completed", "i-1", "2026-11-27T12:00:00Z"),
        transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-04T12:00:00Z"),
        transition("AT_RISK", "DORMANT", "inactive_14_days", null, "2026-12-11T12:00:00Z")), transitions("fox"));
  }

  @Test
  void aLearnerFound14DaysIdleGoesThroughBothInOneSweep() {
    engine.apply(lesson("w-1", "gil"));
    engine.clock.set(START.plus(Duration.ofDays(15)));
    assertEquals(2, sweep(engine));
    assertEquals("DORMANT", state("gil"));
    assertJson(array(
        transition("ONBOARDING", "ACTIVE", "lesson_completed", "w-1", "2026-11-27T12:00:00Z"),
        transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-04T12:00:00Z"),
        transition("AT_RISK", "DORMANT", "inactive_14_days", null, "2026-12-11T12:00:00Z")), transitions("gil"));
  }

  @Test
  void aDormantLearnerIsReactivatedFirstThenTheEventsOwnTransition() {
    engine.apply(lesson("d-1", "hana"));
    engine.clock.set(START.plus(Duration.ofDays(15)));
    assertEquals(2, sweep(engine));

    JsonObject o = engine.apply(course("d-2", "hana", 95));
    assertJson(array(step("DORMANT", "ACTIVE", "reactivated"), step("ACTIVE", "MASTERY", "course_completed")),
        o.getJsonArray("transitions"));
    assertEquals("MASTERY", state("hana"));
    JsonArray all = transitions("hana");
    assertEquals(5, all.size());
    assertJson(transition("DORMANT", "ACTIVE", "reactivated", "d-2", "2026-12-12T12:00:00Z"), all.getJsonObject(3));
    assertJson(transition("ACTIVE", "MASTERY", "course_completed", "d-2", "2026-12-12T12:00:00Z"),
        all.getJsonObject(4));
  }

  @Test
  void anyEventOfAnAtRiskLearnerReactivatesAndRestartsTheIdleClock() {
    engine.apply(lesson("a-1", "ian"));
    engine.clock.set(START.plus(Duration.ofDays(8)));
    assertEquals(1, sweep(engine));
    assertEquals("AT_RISK", state("ian"));

    JsonObject o = engine.apply(login("a-2", "ian"));
    assertJson(array(step("AT_RISK", "ACTIVE", "reactivated")), o.getJsonArray("transitions"));
    assertEquals("ACTIVE", state("ian"));

    engine.clock.set(START.plus(Duration.ofDays(15)).minusSeconds(1));
    assertEquals(0, sweep(engine));
    engine.clock.set(START.plus(Duration.ofDays(15)));
    assertEquals(1, sweep(engine));
    JsonArray all = transitions("ian");
    assertJson(array(
        transition("ONBOARDING", "ACTIVE", "lesson_completed", "a-1", "2026-11-27T12:00:00Z"),
        transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-04T12:00:00Z"),
        transition("AT_RISK", "ACTIVE", "reactivated", "a-2", "2026-12-05T12:00:00Z"),
        transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-12T12:00:00Z")), all);
  }

  @Test
  void anEventTenDaysAfterTheLastActivityWithoutSweepRecordsInactiveThenReactivated() {
    engine.apply(lesson("t-1", "jan"));
    engine.clock.set(START.plus(Duration.ofDays(10)));
    JsonObject o = engine.apply(lesson("t-2", "jan"));
    assertJson(array(step("ACTIVE", "AT_RISK", "inactive_7_days"), step("AT_RISK", "ACTIVE", "reactivated")),
        o.getJsonArray("transitions"));
    assertEquals("ACTIVE", state("jan"));
    assertJson(array(
        transition("ONBOARDING", "ACTIVE", "lesson_completed", "t-1", "2026-11-27T12:00:00Z"),
        transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-04T12:00:00Z"),
        transition("AT_RISK", "ACTIVE", "reactivated", "t-2", "2026-12-07T12:00:00Z")), transitions("jan"));
    // nothing left for the sweep
    assertEquals(0, sweep(engine));
  }

  @Test
  void anEventTwentyDaysLaterWithoutSweepGoesThroughDormant() {
    engine.apply(lesson("tw-1", "kai"));
    engine.clock.set(START.plus(Duration.ofDays(20)));
    JsonObject o = engine.apply(quiz("tw-2", "kai", 70));
    assertJson(array(step("ACTIVE", "AT_RISK", "inactive_7_days"), step("AT_RISK", "DORMANT", "inactive_14_days"),
        step("DORMANT", "ACTIVE", "reactivated")), o.getJsonArray("transitions"));
    assertJson(array(
        transition("ONBOARDING", "ACTIVE", "lesson_completed", "tw-1", "2026-11-27T12:00:00Z"),
        transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-04T12:00:00Z"),
        transition("AT_RISK", "DORMANT", "inactive_14_days", null, "2026-12-11T12:00:00Z"),
        transition("DORMANT", "ACTIVE", "reactivated", "tw-2", "2026-12-17T12:00:00Z")), transitions("kai"));
  }

  @Test
  void aLateEventNeverMovesTheLastActivityBack() {
    engine.apply(lesson("la-1", "lou"));
    engine.apply(lesson("la-2", "lou").put("occurredAt", "2026-11-24T12:00:00Z"));
    engine.clock.set(START.plus(Duration.ofDays(7)).minusSeconds(1));
    assertEquals(0, sweep(engine));
    engine.clock.set(START.plus(Duration.ofDays(7)));
    assertEquals(1, sweep(engine));
    JsonArray all = transitions("lou");
    assertJson(transition("ACTIVE", "AT_RISK", "inactive_7_days", null, "2026-12-04T12:00:00Z"),
        all.getJsonObject(all.size() - 1));
  }

  @Test
  void inactivityDoesNotApplyToOnboardingOrMasteryLearners() {
    engine.apply(login("n-1", "meg"));
    engine.apply(lesson("n-2", "ned"));
    engine.apply(course("n-3", "ned", 95));
    engine.clock.set(START.plus(Duration.ofDays(30)));
    assertEquals(0, sweep(engine));
    assertEquals("ONBOARDING", state("meg"));
    assertEquals("MASTERY", state("ned"));
    assertJson(array(), transitions("meg"));
    assertEquals(2, transitions("ned").size());
  }
}
