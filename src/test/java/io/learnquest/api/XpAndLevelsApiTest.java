package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.grant;
import static io.learnquest.api.ApiTestSupport.grants;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.ledgerEntry;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.outcome;
import static io.learnquest.api.ApiTestSupport.quiz;
import static io.learnquest.api.ApiTestSupport.step;
import static io.learnquest.api.ApiTestSupport.streak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/rules.md, "XP and levels": exact XP arithmetic, repeats, streak bonus and levels, through real HTTP. */
class XpAndLevelsApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  @Test
  void firstLessonAtDifficulty2EarnsExactly52() {
    JsonObject o = engine.apply(lesson("e-1", "ana").put("objectId", "lesson-1"));
    assertJson(outcome("e-1", "ana", grants(grant("lesson", 50, 105, 52)), 52, 1, false, array("first_lesson"),
        array(step("ONBOARDING", "ACTIVE", "lesson_completed")), streak(1, 1, 2, true, false), false), o);
    assertEquals(52, engine.profile("ana").getLong("xp"));
  }

  @Test
  void difficultyFiveAndTimeBonusRaiseTheMultiplier() {
    // pct = 100 + 5*1 + 10*(5-2) + 20 = 155
    JsonObject o1 = engine.apply(quiz("q-1", "bo", 80).put("objectId", "quiz-1").put("difficulty", 5)
        .put("timeBonus", true));
    assertJson(outcome("q-1", "bo", grants(grant("quiz_pass", 100, 155, 155)), 155, 1, false, array(), array(),
        streak(1, 1, 2, true, false), false), o1);

    // pct = 100 + 5 + 30 = 135; 200 * 135 / 100 = 270; 425 XP is level 3
    JsonObject o2 = engine.apply(quiz("q-2", "bo", 100).put("objectId", "quiz-2").put("difficulty", 5));
    assertJson(outcome("q-2", "bo", grants(grant("quiz_perfect", 200, 135, 270)), 425, 3, true,
        array("perfect_quiz"), array(), streak(1, 1, 2, false, false), false), o2);
  }

  @Test
  void grantedXpIsFlooredAndDifficultyBelowTwoAddsNothing() {
    // lesson, difficulty 3, time bonus: pct 135 -> 50 * 1.35 = 67.5 -> 67
    JsonObject o1 = engine.apply(lesson("c-1", "cy").put("difficulty", 3).put("timeBonus", true));
    assertJson(grants(grant("lesson", 50, 135, 67)), o1.getJsonArray("xpGranted"));
    // difficulty 1 never lowers the multiplier: pct 105 -> 52
    JsonObject o2 = engine.apply(lesson("c-2", "cy").put("difficulty", 1));
    assertJson(grants(grant("lesson", 50, 105, 52)), o2.getJsonArray("xpGranted"));
    assertEquals(119, o2.getLong("totalXp"));
    // peer help, difficulty 4: pct 125 -> 150 * 1.25 = 187.5 -> 187
    JsonObject o3 = engine.apply(helped("c-3", "cy").put("objectId", "peer-1").put("difficulty", 4));
    assertJson(grants(grant("help_peer", 150, 125, 187)), o3.getJsonArray("xpGranted"));
    assertEquals(306, o3.getLong("totalXp"));
    // course with time bonus: pct 125 -> 625; 931 is level 4
    JsonObject o4 = engine.apply(course("c-4", "cy", 70).put("timeBonus", true));
    assertJson(grants(grant("course", 500, 125, 625)), o4.getJsonArray("xpGranted"));
    assertEquals(931, o4.getLong("totalXp"));
    assertEquals(4, o4.getInteger("level"));
    assertTrue(o4.getBoolean("levelUp"));
    assertEquals(931, engine.profile("cy").getLong("xp"));
  }

  @Test
  void secondDayEarnsTheStreakBonusWithExactNumbers() {
    JsonObject d1 = engine.apply(lesson("s-1", "dan").put("objectId", "l-1"));
    assertJson(grants(grant("lesson", 50, 105, 52)), d1.getJsonArray("xpGranted"));

    engine.clock.advance(Duration.ofDays(1));
    // streak 2: pct 110; lesson 55, streak bonus floor(25 * 1.10) = 27
    JsonObject d2 = engine.apply(lesson("s-2", "dan").put("objectId", "l-2"));
    assertJson(outcome("s-2", "dan", grants(grant("lesson", 50, 110, 55), grant("streak", 25, 110, 27)), 134, 1,
        false, array(), array(), streak(2, 2, 2, true, false), false), d2);

    engine.clock.advance(Duration.ofDays(1));
    // streak 3, difficulty 5, time bonus: pct 165 -> 82; the bonus keeps difficulty 2 and no time bonus: 115 -> 28
    JsonObject d3 = engine.apply(lesson("s-3", "dan").put("objectId", "l-3").put("difficulty", 5)
        .put("timeBonus", true));
    assertJson(outcome("s-3", "dan", grants(grant("lesson", 50, 165, 82), grant("streak", 25, 115, 28)), 244, 2,
        true, array(), array(), streak(3, 3, 2, true, false), false), d3);

    // same day again: no second streak bonus
    JsonObject d3b = engine.apply(lesson("s-4", "dan").put("objectId", "l-4"));
    assertJson(outcome("s-4", "dan", grants(grant("lesson", 50, 115, 57)), 301, 2, false, array(), array(),
        streak(3, 3, 2, false, false), false), d3b);

    JsonObject ledger = ok(engine.get("/api/v1/learners/dan/xp?limit=3"));
    assertJson(array(
        ledgerEntry("s-4", "lesson", 50, 115, 57, "activity", "2026-11-29T12:00:00Z"),
        ledgerEntry("s-3", "streak", 25, 115, 28, "streak_bonus", "2026-11-29T12:00:00Z"),
        ledgerEntry("s-3", "lesson", 50, 165, 82, "activity", "2026-11-29T12:00:00Z")), ledger.getJsonArray("entries"));
    assertEquals(301, engine.profile("dan").getLong("xp"));
  }

  @Test
  void streakPartOfTheMultiplierIsCappedAt50() {
    JsonObject last = null;
    for (int day = 0; day < 12; day++) {
      String at = LocalDate.of(2026, 11, 16).plusDays(day) + "T10:00:00Z";
      last = engine.apply(lesson("cap-" + day, "eve").put("objectId", "l-" + day).put("occurredAt", at));
      if (day == 9) {
        // day 10: 5 * 10 = 50
        assertJson(grants(grant("lesson", 50, 150, 75), grant("streak", 25, 150, 37)),
            last.getJsonArray("xpGranted"));
      }
    }
    // day 12: 5 * 12 = 60, capped at 50
    assertJson(grants(grant("lesson", 50, 150, 75), grant("streak", 25, 150, 37)), last.getJsonArray("xpGranted"));
    assertEquals(12, last.getJsonObject("streak").getInteger("current"));
  }

  @Test
  void repeatOfTheSameObjectEarnsZeroAndIsMarkedRepeat() {
    engine.apply(lesson("r-1", "fay").put("objectId", "lesson-1"));
    JsonObject repeat = engine.apply(lesson("r-2", "fay").put("objectId", "lesson-1"));
    assertJson(outcome("r-2", "fay", array(), 52, 1, false, array(), array(), streak(1, 1, 2, false, false), true),
        repeat);

    JsonObject ledger = ok(engine.get("/api/v1/learners/fay/xp"));
    assertJson(new JsonObject().put("entries", array(
        ledgerEntry("r-2", "lesson", 50, 105, 0, "repeat", "2026-11-27T12:00:00Z"),
        ledgerEntry("r-1", "lesson", 50, 105, 52, "activity", "2026-11-27T12:00:00Z"))).putNull("next"), ledger);
    JsonObject profile = engine.profile("fay");
    assertEquals(52, profile.getLong("xp"));
    assertEquals(1, profile.getJsonObject("counters").getLong("lessonsCompleted"));

    // a repeat on the next day still extends the streak and earns the streak bonus
    engine.clock.advance(Duration.ofDays(1));
    JsonObject nextDay = engine.apply(lesson("r-3", "fay").put("objectId", "lesson-1"));
    assertJson(outcome("r-3", "fay", grants(grant("streak", 25, 110, 27)), 79, 1, false, array(), array(),
        streak(2, 2, 2, true, false), true), nextDay);
    JsonArray newest = ok(engine.get("/api/v1/learners/fay/xp?limit=2")).getJsonArray("entries");
    assertJson(array(
        ledgerEntry("r-3", "streak", 25, 110, 27, "streak_bonus", "2026-11-28T12:00:00Z"),
        ledgerEntry("r-3", "lesson", 50, 110, 0, "repeat", "2026-11-28T12:00:00Z")), newest);
    assertEquals(1, engine.profile("fay").getJsonObject("counters").getLong("lessonsCompleted"));
  }

  @Test
  void sameObjectIdUnderAnotherTypeOrLearnerIsNotARepeat() {
    engine.apply(lesson("x-1", "gus").put("objectId", "obj-1"));
    JsonObject otherType = engine.apply(quiz("x-2", "gus", 70).put("objectId", "obj-1"));
    assertFalse(otherType.getBoolean("repeat"));
    assertJson(grants(grant("quiz_pass", 100, 105, 105)), otherType.getJsonArray("xpGranted"));
    JsonObject otherLearner = engine.apply(lesson("x-3", "hal").put("objectId", "obj-1"));
    assertFalse(otherLearner.getBoolean("repeat"));
    assertEquals(52, otherLearner.getLong("totalXp"));
  }

  @Test
  void eventsWithoutObjectIdAreNeverRepeats() {
    engine.apply(lesson("n-1", "ivy"));
    JsonObject second = engine.apply(lesson("n-2", "ivy"));
    assertFalse(second.getBoolean("repeat"));
    assertJson(grants(grant("lesson", 50, 105, 52)), second.getJsonArray("xpGranted"));
    assertEquals(104, second.getLong("totalXp"));
    assertEquals(2, engine.profile("ivy").getJsonObject("counters").getLong("lessonsCompleted"));
  }

  @Test
  void failedQuizThenPassingItIsNotARepeatButAPerfectRetakeIs() {
    JsonObject failed = engine.apply(quiz("f-1", "jo", 59).put("objectId", "quiz-1"));
    assertJson(outcome("f-1", "jo", array(), 0, 1, false, array(), array(), streak(1, 1, 2, true, false), false),
        failed);
    assertJson(new JsonObject().put("entries", array()).putNull("next"), ok(engine.get("/api/v1/learners/jo/xp")));

    // 60 is exactly the pass mark
    JsonObject passed = engine.apply(quiz("f-2", "jo", 60).put("objectId", "quiz-1"));
    assertJson(outcome("f-2", "jo", grants(grant("quiz_pass", 100, 105, 105)), 105, 1, false, array(), array(),
        streak(1, 1, 2, false, false), false), passed);

    // a perfect retake is a repeat (0 XP, counters unmoved) but still earns perfect_quiz
    JsonObject perfectRetake = engine.apply(quiz("f-3", "jo", 100).put("objectId", "quiz-1"));
    assertJson(outcome("f-3", "jo", array(), 105, 1, false, array("perfect_quiz"), array(),
        streak(1, 1, 2, false, false), true), perfectRetake);
    JsonObject counters = engine.profile("jo").getJsonObject("counters");
    assertEquals(1, counters.getLong("quizzesPassed"));
    assertEquals(0, counters.getLong("perfectQuizzes"));

    JsonObject newQuiz = engine.apply(quiz("f-4", "jo", 100).put("objectId", "quiz-2"));
    assertJson(outcome("f-4", "jo", grants(grant("quiz_perfect", 200, 105, 210)), 315, 2, true, array(), array(),
        streak(1, 1, 2, false, false), false), newQuiz);
    counters = engine.profile("jo").getJsonObject("counters");
    assertEquals(2, counters.getLong("quizzesPassed"));
    assertEquals(1, counters.getLong("perfectQuizzes"));
  }

  @Test
  void dailyLoginEarnsNoXpAndNoStreak() {
    JsonObject o = engine.apply(login("d-1", "kim").put("objectId", "home"));
    assertJson(outcome("d-1", "kim", array(), 0, 1, false, array(), array(), streak(0, 0, 2, false, false), false),
        o);
    JsonObject profile = engine.profile("kim");
    assertEquals(0, profile.getLong("xp"));
    assertEquals("ONBOARDING", profile.getString("state"));
    assertEquals(0, profile.getJsonObject("streak").getInteger("current"));
    assertNull(profile.getJsonObject("streak").getValue("lastStudyDate"));
    assertJson(new JsonObject().put("entries", array()).putNull("next"), ok(engine.get("/api/v1/learners/kim/xp")));
    assertEquals(0, ok(engine.get("/api/v1/leaderboards/global")).getLong("total"));
  }

  @Test
  void levelUpIsTrueExactlyWhenCrossing200() {
    long[] totals = {52, 104, 156, 208, 260};
    boolean[] levelUps = {false, false, false, true, false};
    int[] levels = {1, 1, 1, 2, 2};
    for (int i = 0; i < totals.length; i++) {
      if (i == 3) {
        JsonObject before = engine.profile("lou");
        assertEquals(1, before.getInteger("level"));
        assertEquals(200, before.getLong("nextLevelXp"));
      }
      JsonObject o = engine.apply(lesson("lv-" + i, "lou"));
      assertEquals(totals[i], o.getLong("totalXp"), "totalXp after lesson " + (i + 1));
      assertEquals(levels[i], o.getInteger("level"), "level after lesson " + (i + 1));
      assertEquals(levelUps[i], o.getBoolean("levelUp"), "levelUp after lesson " + (i + 1));
    }
    JsonObject after = engine.profile("lou");
    assertEquals(260, after.getLong("xp"));
    assertEquals(2, after.getInteger("level"));
    assertEquals(400, after.getLong("nextLevelXp"));
  }

  @Test
  void levelsFollowPowersOfTwo() {
    // 525 XP: level 3 (400 <= 525 < 800)
    JsonObject o1 = engine.apply(course("lp-1", "max", 50).put("objectId", "course-1"));
    assertEquals(525, o1.getLong("totalXp"));
    assertEquals(3, o1.getInteger("level"));
    assertTrue(o1.getBoolean("levelUp"));
    assertEquals(800, engine.profile("max").getLong("nextLevelXp"));
    // +157 = 682: still level 3
    JsonObject o2 = engine.apply(helped("lp-2", "max").put("objectId", "peer-1"));
    assertEquals(682, o2.getLong("totalXp"));
    assertEquals(3, o2.getInteger("level"));
    assertFalse(o2.getBoolean("levelUp"));
    // +525 = 1207: level 4, next at 1600
    JsonObject o3 = engine.apply(course("lp-3", "max", 50).put("objectId", "course-2"));
    assertEquals(1207, o3.getLong("totalXp"));
    assertEquals(4, o3.getInteger("level"));
    assertTrue(o3.getBoolean("levelUp"));
    JsonObject profile = engine.profile("max");
    assertEquals(4, profile.getInteger("level"));
    assertEquals(1600, profile.getLong("nextLevelXp"));
  }
}
