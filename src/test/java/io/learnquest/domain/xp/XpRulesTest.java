package io.learnquest.domain.xp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.event.EventTypeSpec;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.LearningEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "XP and levels": exact integer XP arithmetic, event to activity mapping, streak bonus, repeats. */
class XpRulesTest {
  private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");
  private static final XpRules RULES = new XpRules(Rewards.defaults(), EventTypes.builtIn());

  private static LearningEvent event(String type, Integer score, int difficulty, boolean timeBonus, String objectId) {
    return new LearningEvent("evt-1", "learner-1", type, AT, null, null, objectId, score, difficulty, timeBonus);
  }

  private static LearningEvent event(String type, Integer score) {
    return event(type, score, 2, false, null);
  }

  private static XpGrant activity(String activity, long base, int pct, long xp) {
    return new XpGrant(activity, base, pct, xp, XpGrant.ACTIVITY);
  }

  private static XpGrant streakBonus(int pct, long xp) {
    return new XpGrant(Activities.STREAK, 25, pct, xp, XpGrant.STREAK_BONUS);
  }

  @Test
  void defaultBaseXpAndPassMarkAreTheContractDefaults() {
    Rewards defaults = Rewards.defaults();
    assertEquals(Map.of("lesson", 50L, "quiz_pass", 100L, "quiz_perfect", 200L, "course", 500L,
        "streak", 25L, "help_peer", 150L), defaults.baseXp());
    assertEquals(60, defaults.passMark());
    assertEquals(60, RULES.passMark());
    assertEquals(50, RULES.baseXp("lesson"));
    assertEquals(100, RULES.baseXp("quiz_pass"));
    assertEquals(200, RULES.baseXp("quiz_perfect"));
    assertEquals(500, RULES.baseXp("course"));
    assertEquals(25, RULES.baseXp(Activities.STREAK));
    assertEquals(150, RULES.baseXp("help_peer"));
  }

  @ParameterizedTest(name = "streak {0}, difficulty {1}, timeBonus {2} -> {3} %")
  @CsvSource({
      // streak part: 5 per day, capped at 50 from 10 days on
      "0,   2, false, 100",
      "1,   2, false, 105",
      "2,   2, false, 110",
      "9,   2, false, 145",
      "10,  2, false, 150",
      "11,  2, false, 150",
      "365, 2, false, 150",
      // difficulty part: 10 per step above 2, never negative
      "1,   1, false, 105",
      "0,   1, false, 100",
      "1,   3, false, 115",
      "1,   4, false, 125",
      "1,   5, false, 135",
      "0,   5, false, 130",
      // time bonus: +20
      "1,   2, true,  125",
      "0,   1, true,  120",
      // everything at its cap
      "10,  5, true,  200",
      "50,  5, true,  200",
      "3,   3, false, 125",
  })
  void multiplierPct(int streakDays, int difficulty, boolean timeBonus, int expectedPct) {
    assertEquals(expectedPct, XpRules.multiplierPct(streakDays, difficulty, timeBonus));
  }

  @ParameterizedTest(name = "floor({0} * {1} / 100) = {2}")
  @CsvSource({
      "50,  105, 52",   // the documented example (docs/rules.md): 52.5 -> 52
      "100, 115, 115",  // a double would give 114
      "50,  115, 57",   // 57.5
      "25,  110, 27",   // 27.5
      "150, 105, 157",  // 157.5
      "99,  101, 99",   // 99.99
      "1,   199, 1",    // 1.99
      "1,   100, 1",
      "0,   200, 0",
      "200, 135, 270",
      "500, 150, 750",
      "25,  150, 37",   // 37.5
      "1000000000, 200, 2000000000",
  })
  void applyIsExactFloorDivision(long base, int pct, long expectedXp) {
    assertEquals(expectedXp, XpRules.apply(base, pct));
  }

  @Test
  void floatingPointWouldBeWrongWhereIntegersAreExact() {
    // The reason for integer arithmetic: 100 * 1.15 is 114.99999999999999 as a double.
    assertEquals(114, (long) (100 * 1.15));
    assertEquals(115, XpRules.apply(100, 115));
    // quiz_pass (100) at difficulty 3 and streak 1: 115 % -> exactly 115
    assertEquals(List.of(activity("quiz_pass", 100, 115, 115)),
        RULES.grants(event("quiz_completed", 80, 3, false, null), 1, false, false));
    // lesson (50) at 115 % -> 57; streak bonus (25) at 110 % -> 27
    assertEquals(List.of(activity("lesson", 50, 115, 57)),
        RULES.grants(event("lesson_completed", null, 3, false, null), 1, false, false));
    assertEquals(List.of(activity("lesson", 50, 110, 55), streakBonus(110, 27)),
        RULES.grants(event("lesson_completed", null), 2, true, false));
  }

  @Test
  void applyRefusesToOverflowSilently() {
    assertThrows(ArithmeticException.class, () -> XpRules.apply(Long.MAX_VALUE / 100, 200));
  }

  @ParameterizedTest(name = "{0} score {1} -> {2}")
  @CsvSource({
      "lesson_completed, ,    lesson",
      "lesson_completed, 10,  lesson",
      "quiz_completed,   100, quiz_perfect",
      "quiz_completed,   99,  quiz_pass",
      "quiz_completed,   61,  quiz_pass",
      "quiz_completed,   60,  quiz_pass",
      "quiz_completed,   59,  none",
      "quiz_completed,   0,   none",
      "course_completed, 100, course",
      "course_completed, 50,  course",
      "course_completed, 0,   course",
      "peer_helped,      ,    help_peer",
      "daily_login,      ,    none",
  })
  void eventToActivity(String type, Integer score, String expected) {
    Optional<String> want = expected.equals("none") ? Optional.empty() : Optional.of(expected);
    assertEquals(want, RULES.activityOf(event(type, score)));
  }

  @ParameterizedTest(name = "pass mark 80, score {0} -> {1}")
  @CsvSource({"79, none", "80, quiz_pass", "99, quiz_pass", "100, quiz_perfect"})
  void passMarkIsConfigurable(int score, String expected) {
    XpRules rules = new XpRules(new Rewards(Rewards.defaults().baseXp(), 80), EventTypes.builtIn());
    Optional<String> want = expected.equals("none") ? Optional.empty() : Optional.of(expected);
    assertEquals(want, rules.activityOf(event("quiz_completed", score)));
  }

  @ParameterizedTest(name = "{0} score {1} difficulty {2} timeBonus {3} streak {4} -> {5} {6} x {7}% = {8}")
  @CsvSource({
      // the documented example (docs/rules.md): first lesson, difficulty 2, streak 1
      "lesson_completed, ,    2, false, 1,  lesson,       50,  105, 52",
      "lesson_completed, ,    4, true,  2,  lesson,       50,  150, 75",
      "lesson_completed, ,    3, false, 0,  lesson,       50,  110, 55",
      "quiz_completed,   100, 2, false, 1,  quiz_perfect, 200, 105, 210",
      "quiz_completed,   60,  3, false, 3,  quiz_pass,    100, 125, 125",
      "quiz_completed,   75,  1, false, 1,  quiz_pass,    100, 105, 105",
      "course_completed, 95,  5, true,  10, course,       500, 200, 1000",
      "course_completed, 40,  2, false, 7,  course,       500, 135, 675",
      "peer_helped,      ,    1, false, 4,  help_peer,    150, 120, 180",
      "peer_helped,      ,    2, false, 1,  help_peer,    150, 105, 157",
  })
  void activityGrant(String type, Integer score, int difficulty, boolean timeBonus, int streak,
                     String activity, long base, int pct, long xp) {
    List<XpGrant> grants = RULES.grants(event(type, score, difficulty, timeBonus, null), streak, false, false);
    assertEquals(List.of(activity(activity, base, pct, xp)), grants);
  }

  @ParameterizedTest(name = "{0} score {1} earns nothing")
  @CsvSource({"quiz_completed, 59", "quiz_completed, 0", "daily_login, "})
  void noXpWithoutActivity(String type, Integer score) {
    assertEquals(List.of(), RULES.grants(event(type, score, 5, true, "obj-1"), 5, false, false));
  }

  @Test
  void configuredBaseXpIsUsed() {
    Map<String, Long> base = new java.util.HashMap<>(Rewards.defaults().baseXp());
    base.put("lesson", 80L);
    base.put(Activities.STREAK, 40L);
    XpRules rules = new XpRules(new Rewards(base, 60), EventTypes.builtIn());
    assertEquals(List.of(activity("lesson", 80, 110, 88), new XpGrant("streak", 40, 110, 44, XpGrant.STREAK_BONUS)),
        rules.grants(event("lesson_completed", null), 2, true, false));
  }

  // ---- streak bonus -------------------------------------------------------------------------

  @ParameterizedTest(name = "extended {0}, streak {1} -> bonus {2}% = {3}")
  @CsvSource({
      "true,  2,  110, 27",   // 27.5
      "true,  3,  115, 28",   // 28.75
      "true,  7,  135, 33",   // 33.75
      "true,  10, 150, 37",   // 37.5, streak part capped
      "true,  40, 150, 37",
  })
  void streakBonusWhenExtendedToAtLeastTwo(boolean extended, int streak, int bonusPct, long bonusXp) {
    List<XpGrant> grants = RULES.grants(event("lesson_completed", null), streak, extended, false);
    int lessonPct = XpRules.multiplierPct(streak, 2, false);
    assertEquals(List.of(activity("lesson", 50, lessonPct, XpRules.apply(50, lessonPct)), streakBonus(bonusPct, bonusXp)),
        grants);
  }

  @ParameterizedTest(name = "extended {0}, streak {1} -> no bonus")
  @CsvSource({
      "true,  1",  // first study day, or a broken streak restarting at 1
      "false, 1",
      "false, 2",  // same day: nothing extended
      "false, 9",
  })
  void noStreakBonusOtherwise(boolean extended, int streak) {
    List<XpGrant> grants = RULES.grants(event("lesson_completed", null), streak, extended, false);
    assertEquals(1, grants.size());
    assertEquals(XpGrant.ACTIVITY, grants.get(0).reason());
  }

  @Test
  void streakBonusIgnoresTheEventsDifficultyAndTimeBonus() {
    List<XpGrant> grants = RULES.grants(event("lesson_completed", null, 5, true, null), 3, true, false);
    // lesson: 100 + 15 + 30 + 20 = 165 -> 82; bonus: 100 + 15 only = 115 -> 28
    assertEquals(List.of(activity("lesson", 50, 165, 82), streakBonus(115, 28)), grants);
  }

  @Test
  void failedQuizThatExtendsTheStreakEarnsOnlyTheBonus() {
    assertEquals(List.of(streakBonus(115, 28)), RULES.grants(event("quiz_completed", 30), 3, true, false));
  }

  // ---- repeats ------------------------------------------------------------------------------

  @Test
  void repeatIsALedgerLineWithReasonRepeatAndZeroXp() {
    List<XpGrant> grants = RULES.grants(event("lesson_completed", null, 2, false, "lesson-7"), 1, false, true);
    assertEquals(List.of(new XpGrant("lesson", 50, 105, 0, XpGrant.REPEAT)), grants);
    assertTrue(grants.get(0).repeatEntry());
  }

  @Test
  void repeatStillEarnsTheStreakBonus() {
    List<XpGrant> grants = RULES.grants(event("quiz_completed", 100, 4, true, "quiz-3"), 4, true, true);
    assertEquals(List.of(new XpGrant("quiz_perfect", 200, 160, 0, XpGrant.REPEAT), streakBonus(120, 30)), grants);
    assertTrue(grants.get(0).repeatEntry());
    assertFalse(grants.get(1).repeatEntry());
    assertEquals(30, grants.stream().mapToLong(XpGrant::xp).sum());
  }

  @ParameterizedTest(name = "{0} score {1} objectId {2} -> canRepeat {3}")
  @CsvSource({
      "lesson_completed, ,   lesson-1, true",
      "lesson_completed, ,   ,         false",
      "quiz_completed,   80, quiz-1,   true",
      "quiz_completed,   59, quiz-1,   false",  // a failed quiz earns nothing, so it is never a repeat
      "daily_login,      ,   day-1,    false",
      "course_completed, 10, course-1, true",
      "peer_helped,      ,   peer-9,   true",
  })
  void canRepeat(String type, Integer score, String objectId, boolean expected) {
    assertEquals(expected, RULES.canRepeat(event(type, score, 2, false, objectId)));
  }

  // ---- custom event types -------------------------------------------------------------------

  @ParameterizedTest(name = "custom video_watched base 30, difficulty {0}, timeBonus {1}, streak {2} -> {3}% = {4}")
  @CsvSource({
      "2, false, 1,  105, 31",  // 31.5
      "5, true,  10, 200, 60",
      "1, false, 0,  100, 30",
  })
  void customTypeCarriesItsOwnBaseXp(int difficulty, boolean timeBonus, int streak, int pct, long xp) {
    XpRules rules = new XpRules(Rewards.defaults(),
        EventTypes.withCustom(List.of(new EventTypeSpec("video_watched", true, false, 30L))));
    LearningEvent video = event("video_watched", null, difficulty, timeBonus, null);
    assertEquals(Optional.of("video_watched"), rules.activityOf(video));
    assertEquals(30, rules.baseXp("video_watched"));
    assertEquals(List.of(activity("video_watched", 30, pct, xp)), rules.grants(video, streak, false, false));
  }

  @Test
  void customTypeWithZeroBaseXpGrantsZero() {
    XpRules rules = new XpRules(Rewards.defaults(),
        EventTypes.withCustom(List.of(new EventTypeSpec("forum_post", false, false, 0L))));
    assertEquals(List.of(activity("forum_post", 0, 105, 0)),
        rules.grants(event("forum_post", null), 1, false, false));
  }

  @Test
  void customTypeNamedLikeABuiltInActivityDoesNotChangeBuiltInXp() {
    // A custom type may be called "lesson" or "course" (lower_snake_case, not a built-in type name);
    // lesson_completed must still earn the configured base XP of the activity lesson.
    XpRules rules = new XpRules(Rewards.defaults(), EventTypes.withCustom(List.of(
        new EventTypeSpec("lesson", true, false, 7L), new EventTypeSpec("course", true, false, 9L))));
    assertEquals(List.of(activity("lesson", 50, 105, 52)),
        rules.grants(event("lesson_completed", null), 1, false, false));
    assertEquals(List.of(activity("course", 500, 105, 525)),
        rules.grants(event("course_completed", 95), 1, false, false));
    assertEquals(List.of(activity("lesson", 7, 105, 7)), rules.grants(event("lesson", null), 1, false, false));
    assertEquals(List.of(activity("course", 9, 105, 9)), rules.grants(event("course", null), 1, false, false));
  }

  // ---- one event's whole XP decision ---------------------------------------------------------

  @ParameterizedTest(name = "{0} score {1} object {2} seenBefore {3} streak {4} extended {5} from {6} XP"
      + " -> repeat {7}, earned {8}, granted {9}, total {10}, level {11}, levelUp {12}")
  @CsvSource({
      // the documented first lesson (docs/rules.md): 52 XP, an object that later events repeat
      "lesson_completed, ,   lesson-1, false, 1, true,  0,   false, true,  52,  52,  1, false",
      "lesson_completed, ,   lesson-1, true,  1, false, 52,  true,  false, 0,   52,  1, false",
      // without objectId an event is never a repeat, whatever the caller says
      "lesson_completed, ,   ,         true,  1, false, 52,  false, false, 52,  104, 1, false",
      // a failed quiz earns nothing, so it neither repeats nor marks its object as earned
      "quiz_completed,   59, quiz-1,   false, 1, false, 0,   false, false, 0,   0,   1, false",
      "quiz_completed,   59, quiz-1,   true,  1, false, 0,   false, false, 0,   0,   1, false",
      "quiz_completed,   60, quiz-1,   false, 1, false, 0,   false, true,  105, 105, 1, false",
      // a repeat still earns its streak bonus (25 at 110 % = 27), which may level up
      "lesson_completed, ,   lesson-1, true,  2, true,  190, true,  false, 27,  217, 2, true",
      // crossing 200 levels up; crossing 400 too
      "lesson_completed, ,   lesson-2, false, 1, false, 150, false, true,  52,  202, 2, true",
      "course_completed, 95, course-1, false, 1, false, 350, false, true,  525, 875, 4, true",
      "daily_login,      ,   ,         false, 3, false, 500, false, false, 0,   500, 3, false",
  })
  void decide(String type, Integer score, String objectId, boolean seenBefore, int streak, boolean extended,
              long xpBefore, boolean repeat, boolean earned, long granted, long total, int level, boolean levelUp) {
    LearningEvent e = event(type, score, 2, false, objectId);
    XpDecision d = RULES.decide(e, streak, extended, seenBefore, xpBefore, LevelCurve.defaults());
    assertEquals(repeat, d.repeat(), "repeat");
    assertEquals(earned, d.earnedActivity(), "earnedActivity");
    assertEquals(granted, d.xpGranted(), "xpGranted");
    assertEquals(total, d.totalXp(), "totalXp");
    assertEquals(level, d.level(), "level");
    assertEquals(levelUp, d.levelUp(), "levelUp");
    assertEquals(RULES.grants(e, streak, extended, repeat), d.grants());
  }
}
