package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/rules.md, "Badges": the default badges, each at most once, and the catalog as data through the admin API. */
class BadgesApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  static JsonObject definition(String badgeId, String name, String description, String tier, String iconUrl,
                               JsonObject rule) {
    return new JsonObject().put("badgeId", badgeId).put("name", name).put("description", description)
        .put("tier", tier).put("iconUrl", iconUrl).put("rule", rule);
  }

  static JsonObject defaultCatalog() {
    return new JsonObject().put("badges", array(
        definition("first_lesson", "First Steps", "Completed a first lesson.", "bronze", "/icons/first_lesson.svg",
            new JsonObject().put("event", "lesson_completed").put("count", 1)),
        definition("week_streak", "Week Warrior", "Studied seven days in a row.", "silver", "/icons/week_streak.svg",
            new JsonObject().put("metric", "streak_days").put("gte", 7)),
        definition("perfect_quiz", "Flawless", "Scored 100 on a quiz.", "gold", "/icons/perfect_quiz.svg",
            new JsonObject().put("event", "quiz_completed").put("score", 100)),
        definition("mentor", "Mentor", "Helped ten peers.", "platinum", "/icons/mentor.svg",
            new JsonObject().put("metric", "peers_helped").put("gte", 10))));
  }

  static JsonObject award(String badgeId, String name, String tier, String awardedAt, String eventId) {
    return new JsonObject().put("badgeId", badgeId).put("name", name).put("tier", tier).put("awardedAt", awardedAt)
        .put("eventId", eventId);
  }

  private JsonObject catalog() {
    return ok(engine.get("/api/v1/badges"));
  }

  @Test
  void theCatalogHoldsTheFourDefaultBadges() {
    assertJson(defaultCatalog(), catalog());
  }

  @Test
  void firstLessonIsAwardedOnceEvenOnRedelivery() {
    JsonObject first = engine.apply(lesson("fl-1", "ana").put("objectId", "l-1"));
    assertJson(array("first_lesson"), first.getJsonArray("badgesAwarded"));
    JsonObject second = engine.apply(lesson("fl-2", "ana").put("objectId", "l-2"));
    assertJson(array(), second.getJsonArray("badgesAwarded"));
    // the first event delivered again
    assertEquals(200, engine.post("/api/v1/events", lesson("fl-1", "ana").put("objectId", "l-1")).status());
    engine.apply(lesson("fl-3", "ana").put("objectId", "l-3"));

    assertJson(new JsonObject().put("badges",
            array(award("first_lesson", "First Steps", "bronze", "2026-11-27T12:00:00Z", "fl-1"))),
        ok(engine.get("/api/v1/learners/ana/badges")));
    assertJson(array(new JsonObject().put("badgeId", "first_lesson").put("name", "First Steps").put("tier", "bronze")
        .put("awardedAt", "2026-11-27T12:00:00Z")), engine.profile("ana").getJsonArray("badges"));
  }

  @Test
  void weekStreakAfterSevenConsecutiveLocalDays() {
    // 00:30 in Tokyo on the 21st .. 27th: in UTC these are 15:30 on the 20th .. 26th
    for (int day = 21; day <= 26; day++) {
      JsonObject o = engine.apply(lesson("ws-" + day, "ken").put("objectId", "l-" + day)
          .put("occurredAt", "2026-11-" + day + "T00:30:00+09:00").put("timezone", "Asia/Tokyo"));
      assertJson(day == 21 ? array("first_lesson") : array(), o.getJsonArray("badgesAwarded"));
    }
    JsonObject seventh = engine.apply(lesson("ws-27", "ken").put("objectId", "l-27")
        .put("occurredAt", "2026-11-27T00:30:00+09:00"));
    assertEquals(7, seventh.getJsonObject("streak").getInteger("current"));
    assertJson(array("week_streak"), seventh.getJsonArray("badgesAwarded"));

    // day 8 (00:30 on the 28th in Tokyo is 15:30Z on the 27th)
    engine.clock.advance(Duration.ofHours(4));
    JsonObject eighth = engine.apply(lesson("ws-28", "ken").put("objectId", "l-28")
        .put("occurredAt", "2026-11-28T00:30:00+09:00"));
    assertEquals(8, eighth.getJsonObject("streak").getInteger("current"));
    assertJson(array(), eighth.getJsonArray("badgesAwarded"));

    assertJson(new JsonObject().put("badges", array(
            award("first_lesson", "First Steps", "bronze", "2026-11-20T15:30:00Z", "ws-21"),
            award("week_streak", "Week Warrior", "silver", "2026-11-26T15:30:00Z", "ws-27"))),
        ok(engine.get("/api/v1/learners/ken/badges")));
  }

  @Test
  void perfectQuizIsAwardedOnScore100Once() {
    assertJson(array(), engine.apply(quiz("pq-1", "bea", 99).put("objectId", "q-1")).getJsonArray("badgesAwarded"));
    assertJson(array("perfect_quiz"),
        engine.apply(quiz("pq-2", "bea", 100).put("objectId", "q-2")).getJsonArray("badgesAwarded"));
    assertJson(array(), engine.apply(quiz("pq-3", "bea", 100).put("objectId", "q-3")).getJsonArray("badgesAwarded"));
    assertJson(new JsonObject().put("badges",
            array(award("perfect_quiz", "Flawless", "gold", "2026-11-27T12:00:00Z", "pq-2"))),
        ok(engine.get("/api/v1/learners/bea/badges")));
  }

  @Test
  void mentorAfterTenDistinctPeersHelped() {
    for (int i = 1; i <= 9; i++) {
      JsonObject o = engine.apply(helped("mh-" + i, "cal").put("objectId", "peer-" + i));
      assertJson(array(), o.getJsonArray("badgesAwarded"));
    }
    // helping peer-9 again is a repeat: still 9
    JsonObject repeat = engine.apply(helped("mh-9r", "cal").put("objectId", "peer-9"));
    assertJson(array(), repeat.getJsonArray("badgesAwarded"));
    assertEquals(9, engine.profile("cal").getJsonObject("counters").getLong("peersHelped"));

    JsonObject tenth = engine.apply(helped("mh-10", "cal").put("objectId", "peer-10"));
    assertJson(array("mentor"), tenth.getJsonArray("badgesAwarded"));
    JsonObject eleventh = engine.apply(helped("mh-11", "cal").put("objectId", "peer-11"));
    assertJson(array(), eleventh.getJsonArray("badgesAwarded"));
    assertJson(new JsonObject().put("badges",
            array(award("mentor", "Mentor", "platinum", "2026-11-27T12:00:00Z", "mh-10"))),
        ok(engine.get("/api/v1/learners/cal/badges")));
  }

  @Test
  void aBadgeDefinedThroughTheApiIsEarned() {
    JsonObject rule = new JsonObject().put("all", array(
        new JsonObject().put("event", "quiz_completed").put("score", 60),
        new JsonObject().put("metric", "quizzes_passed").put("gte", 2)));
    JsonObject body = new JsonObject().put("name", "Quiz Master").put("description", "Passed two quizzes.")
        .put("tier", "gold").put("iconUrl", "/icons/quiz_master.svg").put("rule", rule);
    JsonObject expected = definition("quiz_master", "Quiz Master", "Passed two quizzes.", "gold",
        "/icons/quiz_master.svg", rule);
    assertJson(expected, ok(engine.put("/api/v1/badges/quiz_master", body)));

    JsonObject catalog = defaultCatalog();
    catalog.getJsonArray("badges").add(expected);
    assertJson(catalog, catalog());

    assertJson(array(), engine.apply(quiz("qm-1", "dot", 70).put("objectId", "q-1")).getJsonArray("badgesAwarded"));
    assertJson(array(), engine.apply(quiz("qm-2", "dot", 40).put("objectId", "q-2")).getJsonArray("badgesAwarded"));
    assertJson(array("quiz_master"),
        engine.apply(quiz("qm-3", "dot", 80).put("objectId", "q-3")).getJsonArray("badgesAwarded"));
    assertJson(array(), engine.apply(quiz("qm-4", "dot", 90).put("objectId", "q-4")).getJsonArray("badgesAwarded"));
    assertJson(new JsonObject().put("badges",
            array(award("quiz_master", "Quiz Master", "gold", "2026-11-27T12:00:00Z", "qm-3"))),
        ok(engine.get("/api/v1/learners/dot/badges")));
  }

  @Test
  void aCourseBadgeWithAnyAndNotCombinators() {
    JsonObject rule = new JsonObject().put("any", array(
        new JsonObject().put("event", "lesson_completed").put("courseId", "algebra"),
        new JsonObject().put("all", array(
            new JsonObject().put("event", "course_completed"),
            new JsonObject().put("not", new JsonObject().put("metric", "level").put("lt", 3))))));
    JsonObject body = new JsonObject().put("badgeId", "algebra_explorer").put("name", "Algebra Explorer")
        .put("tier", "silver").put("rule", rule);
    assertEquals(200, engine.put("/api/v1/badges/algebra_explorer", body).status());

    assertJson(array("first_lesson"), engine.apply(lesson("ae-1", "eva").put("courseId", "geometry"))
        .getJsonArray("badgesAwarded"));
    assertJson(array("algebra_explorer"), engine.apply(lesson("ae-2", "eva").put("courseId", "algebra"))
        .getJsonArray("badgesAwarded"));
    // another learner through the second branch: a course bringing them to level 3
    assertJson(array("algebra_explorer"), engine.apply(ApiTestSupport.course("ae-3", "fin", 50))
        .getJsonArray("badgesAwarded"));
  }

  @Test
  void aBadRuleIsRefusedNamingTheBadPartAndTheCatalogIsUnchanged() {
    JsonObject before = catalog();
    JsonObject body = new JsonObject().put("name", "Karma").put("tier", "gold").put("rule",
        new JsonObject().put("all", array(
            new JsonObject().put("metric", "xp").put("gte", 100),
            new JsonObject().put("metric", "karma").put("gte", 1))));
    assertError(engine.put("/api/v1/badges/karma", body), 400, "invalid_rule", "rule.all[1].metric");
    assertJson(before, catalog());
  }

  static Stream<Arguments> badRules() {
    return Stream.of(
        Arguments.of("{\"metric\": \"xp\", \"gte\": \"ten\"}", "rule.gte"),
        Arguments.of("{\"metric\": \"xp\", \"gte\": 1.5}", "rule.gte"),
        Arguments.of("{\"event\": \"video_watched\", \"count\": 1}", "rule.event"),
        Arguments.of("{\"event\": \"lesson_completed\", \"count\": 0}", "rule.count"),
        Arguments.of("{\"event\": \"quiz_completed\", \"score\": 101}", "rule.score"),
        Arguments.of("{\"any\": []}", "rule.any"),
        Arguments.of("{\"all\": [{\"event\": \"lesson_completed\"}, {\"not\": {\"metric\": \"level\"}}]}",
            "rule.all[1].not"),
        Arguments.of("{\"metric\": \"xp\", \"gte\": 1, \"lt\": 5}", "rule"),
        Arguments.of("{\"karma\": 1}", "rule"),
        Arguments.of("\"xp > 100\"", "rule"));
  }

  @ParameterizedTest
  @MethodSource("badRules")
  void eachBadRuleIsRefusedWithItsPath(String ruleJson, String field) {
    JsonObject before = catalog();
    String body = "{\"name\": \"Broken\", \"tier\": \"gold\", \"rule\": " + ruleJson + "}";
    assertError(engine.put("/api/v1/badges/broken", body), 400, "invalid_rule", field);
    assertJson(before, catalog());
  }

  @Test
  void replacingABadgeWithABadRuleKeepsTheOldOne() {
    JsonObject body = new JsonObject().put("name", "First Steps").put("tier", "bronze").put("rule",
        new JsonObject().put("event", "lesson_completed").put("count", "one"));
    assertError(engine.put("/api/v1/badges/first_lesson", body), 400, "invalid_rule", "rule.count");
    assertJson(defaultCatalog(), catalog());
    assertJson(array("first_lesson"), engine.apply(lesson("k-1", "gia")).getJsonArray("badgesAwarded"));
  }

  @Test
  void aBadTierIsRefused() {
    JsonObject body = new JsonObject().put("name", "Shiny").put("tier", "diamond").put("rule",
        new JsonObject().put("metric", "xp").put("gte", 1));
    assertError(engine.put("/api/v1/badges/shiny", body), 400, "invalid_value", "tier");
    assertJson(defaultCatalog(), catalog());
  }

  @Test
  void aBadgeIsEvaluatedAgainstMetricsAfterTheEvent() {
    JsonObject body = new JsonObject().put("name", "Centurion").put("tier", "bronze").put("rule",
        new JsonObject().put("metric", "xp").put("gte", 100));
    assertEquals(200, engine.put("/api/v1/badges/centurion", body).status());
    // 52 then 104: awarded on the event that crosses 100
    assertJson(array("first_lesson"), engine.apply(lesson("c-1", "hal")).getJsonArray("badgesAwarded"));
    assertJson(array("centurion"), engine.apply(lesson("c-2", "hal")).getJsonArray("badgesAwarded"));
    JsonArray badges = ok(engine.get("/api/v1/learners/hal/badges")).getJsonArray("badges");
    assertEquals(2, badges.size());
  }

  @Test
  void theCountRuleCountsOnlyNonRepeatEvents() {
    JsonObject body = new JsonObject().put("name", "Three Lessons").put("tier", "bronze").put("rule",
        new JsonObject().put("event", "lesson_completed").put("count", 3));
    assertEquals(200, engine.put("/api/v1/badges/three_lessons", body).status());
    engine.apply(lesson("cn-1", "ida").put("objectId", "l-1"));
    assertJson(array(), engine.apply(lesson("cn-2", "ida").put("objectId", "l-1")).getJsonArray("badgesAwarded"));
    assertJson(array(), engine.apply(lesson("cn-3", "ida").put("objectId", "l-2")).getJsonArray("badgesAwarded"));
    assertJson(array("three_lessons"),
        engine.apply(lesson("cn-4", "ida").put("objectId", "l-3")).getJsonArray("badgesAwarded"));
  }

  @Test
  void replacingADefinitionChangesHowItIsEarned() {
    JsonObject body = new JsonObject().put("name", "First Steps").put("description", "Two lessons now.")
        .put("tier", "bronze").put("iconUrl", "/icons/first_lesson.svg")
        .put("rule", new JsonObject().put("event", "lesson_completed").put("count", 2));
    assertEquals(200, engine.put("/api/v1/badges/first_lesson", body).status());
    JsonObject catalog = catalog();
    assertEquals(4, catalog.getJsonArray("badges").size());
    assertJson(body.copy().put("badgeId", "first_lesson"), catalog.getJsonArray("badges").getJsonObject(0));
    assertJson(array(), engine.apply(lesson("rp-1", "jay")).getJsonArray("badgesAwarded"));
    assertJson(array("first_lesson"), engine.apply(lesson("rp-2", "jay")).getJsonArray("badgesAwarded"));
  }

  @Test
  void aBadgeIsAwardedOnceEvenWhenManyQualifyingEventsArriveTogether() {
    JsonArray events = new JsonArray();
    for (int i = 0; i < 20; i++) {
      events.add(quiz("many-" + i, "kay", 100).put("objectId", "q-" + i));
    }
    assertEquals(200, engine.post("/api/v1/events/batch", new JsonObject().put("events", events)).status());
    for (int i = 0; i < 20; i++) {
      engine.post("/api/v1/events", quiz("many-" + i, "kay", 100).put("objectId", "q-" + i));
    }
    engine.apply(quiz("many-last", "kay", 100).put("objectId", "q-last"));
    assertJson(new JsonObject().put("badges",
            array(award("perfect_quiz", "Flawless", "gold", "2026-11-27T12:00:00Z", "many-0"))),
        ok(engine.get("/api/v1/learners/kay/badges")));
  }

  /**
   * A lesson (52 XP) then a perfect quiz (262 XP, level 2): on which of the two events (1, 2, or 0 for
   * neither) a badge with the given rule is awarded.
   */
  static Stream<Arguments> ruleOperators() {
    return Stream.of(
        Arguments.of("{\"metric\": \"xp\", \"gte\": 262}", 2),
        Arguments.of("{\"metric\": \"xp\", \"gt\": 261}", 2),
        Arguments.of("{\"metric\": \"xp\", \"gt\": 262}", 0),
        Arguments.of("{\"metric\": \"xp\", \"lt\": 100}", 1),
        Arguments.of("{\"metric\": \"xp\", \"lte\": 52}", 1),
        Arguments.of("{\"metric\": \"level\", \"eq\": 2}", 2),
        Arguments.of("{\"metric\": \"quizzes_passed\", \"gte\": 1}", 2),
        Arguments.of("{\"metric\": \"perfect_quizzes\", \"eq\": 1}", 2),
        Arguments.of("{\"metric\": \"lessons_completed\", \"eq\": 1}", 1),
        Arguments.of("{\"all\": [{\"metric\": \"lessons_completed\", \"eq\": 1}, {\"metric\": \"xp\", \"gt\": 100}]}", 2),
        Arguments.of("{\"all\": [{\"event\": \"quiz_completed\"}, {\"metric\": \"courses_completed\", \"lt\": 1}]}", 2),
        Arguments.of("{\"all\": [{\"event\": \"quiz_completed\"}, {\"metric\": \"peers_helped\", \"lte\": 0}]}", 2),
        Arguments.of("{\"all\": [{\"event\": \"quiz_completed\"}, {\"metric\": \"streak_days\", \"eq\": 1}, "
            + "{\"metric\": \"longest_streak\", \"lt\": 2}]}", 2),
        Arguments.of("{\"metric\": \"streak_days\", \"gte\": 2}", 0),
        Arguments.of("{\"not\": {\"event\": \"lesson_completed\"}}", 2),
        Arguments.of("{\"any\": [{\"metric\": \"xp\", \"gte\": 1000}, {\"event\": \"quiz_completed\", \"score\": 100}]}",
            2),
        Arguments.of("{\"event\": \"lesson_completed\", \"courseId\": \"algebra\"}", 1),
        Arguments.of("{\"event\": \"lesson_completed\", \"courseId\": \"geometry\"}", 0));
  }

  @ParameterizedTest
  @MethodSource("ruleOperators")
  void everyOperatorAndMetricOfTheRuleLanguage(String ruleJson, int awardedOn) {
    String body = "{\"name\": \"Probe\", \"tier\": \"silver\", \"rule\": " + ruleJson + "}";
    assertEquals(200, engine.put("/api/v1/badges/probe", body).status());
    JsonArray first = engine.apply(lesson("op-1", "lex").put("courseId", "algebra")).getJsonArray("badgesAwarded");
    JsonArray second = engine.apply(quiz("op-2", "lex", 100)).getJsonArray("badgesAwarded");
    assertEquals(awardedOn == 1, first.contains("probe"), "on the lesson: " + first);
    assertEquals(awardedOn == 2, second.contains("probe"), "on the quiz: " + second);
  }

  @Test
  void badgesAreEvaluatedAfterEveryEventIncludingALogin() {
    JsonObject body = new JsonObject().put("name", "Hello").put("tier", "bronze").put("rule",
        new JsonObject().put("event", "daily_login"));
    assertEquals(200, engine.put("/api/v1/badges/hello", body).status());
    assertJson(array("hello"), engine.apply(ApiTestSupport.login("hl-1", "mo")).getJsonArray("badgesAwarded"));
    assertJson(array(), engine.apply(ApiTestSupport.login("hl-2", "mo")).getJsonArray("badgesAwarded"));
  }
}
