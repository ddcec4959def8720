package io.learnquest.domain.badge;

import static io.learnquest.domain.badge.BadgeRuleParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.badge.BadgeRule.All;
import io.learnquest.domain.badge.BadgeRule.Any;
import io.learnquest.domain.badge.BadgeRule.Compare;
import io.learnquest.domain.badge.BadgeRule.Not;
import io.learnquest.domain.badge.BadgeRule.Op;
import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Badges": how rules match the learner's metrics after the event, and the event itself. */
class BadgeRuleTest {
  private static final BadgeRule FIRST_LESSON = parse("{\"event\": \"lesson_completed\", \"count\": 1}");
  private static final BadgeRule WEEK_STREAK = parse("{\"metric\": \"streak_days\", \"gte\": 7}");
  private static final BadgeRule PERFECT_QUIZ = parse("{\"event\": \"quiz_completed\", \"score\": 100}");
  private static final BadgeRule MENTOR = parse("{\"metric\": \"peers_helped\", \"gte\": 10}");

  private static LearnerFacts event(String type, Integer score, String courseId) {
    return new LearnerFacts(type, score, courseId, Map.of(), Counters.ZERO);
  }

  private static LearnerFacts withCount(String eventType, String countedType, long count) {
    Counters counters = Counters.ZERO.withEventCounts(Map.of(countedType, count));
    return new LearnerFacts(eventType, null, null, Map.of(), counters);
  }

  private static LearnerFacts withMetric(Metric metric, long value) {
    return new LearnerFacts("daily_login", null, null, Map.of(metric, value), Counters.ZERO);
  }

  // ---- the default catalog ------------------------------------------------------------------

  @ParameterizedTest(name = "first_lesson: this event {0}, lesson_completed count {1} -> {2}")
  @CsvSource({
      "lesson_completed, 1, true",
      "lesson_completed, 2, true",
      "lesson_completed, 0, false",  // a repeat does not move the count
      "quiz_completed,   1, false",  // the count is there, but this event is not a lesson
      "quiz_completed,   5, false",
      "daily_login,      3, false",
  })
  void firstLesson(String eventType, long lessons, boolean expected) {
    assertEquals(expected, FIRST_LESSON.matches(withCount(eventType, "lesson_completed", lessons)));
  }

  @ParameterizedTest(name = "week_streak: streak_days {0}, longest {1} -> {2}")
  @CsvSource({"6, 6, false", "7, 7, true", "8, 8, true", "2, 7, false", "0, 30, false", "100, 100, true"})
  void weekStreak(long streakDays, long longest, boolean expected) {
    LearnerFacts facts = new LearnerFacts("lesson_completed", null, null,
        Map.of(Metric.STREAK_DAYS, streakDays, Metric.LONGEST_STREAK, longest), Counters.ZERO);
    assertEquals(expected, WEEK_STREAK.matches(facts));
  }

  @ParameterizedTest(name = "perfect_quiz: {0} score {1} -> {2}")
  @CsvSource({
      "quiz_completed,   100, true",
      "quiz_completed,   99,  false",
      "quiz_completed,   0,   false",
      "quiz_completed,   ,    false",
      "course_completed, 100, false",
      "lesson_completed, 100, false",
  })
  void perfectQuiz(String type, Integer score, boolean expected) {
    assertEquals(expected, PERFECT_QUIZ.matches(event(type, score, null)));
  }

  @Test
  void perfectQuizReadsTheEventNotTheCounters() {
    // A repeated perfect quiz does not move perfectQuizzes, yet earns the badge (docs/rules.md, "XP and levels").
    LearnerFacts repeat = new LearnerFacts("quiz_completed", 100, null, Map.of(Metric.of(Counter.PERFECT_QUIZZES), 0L),
        Counters.ZERO);
    assertEquals(true, PERFECT_QUIZ.matches(repeat));
  }

  @ParameterizedTest(name = "mentor: peers_helped {0} -> {1}")
  @CsvSource({"0, false", "9, false", "10, true", "11, true"})
  void mentor(long peers, boolean expected) {
    assertEquals(expected, MENTOR.matches(withMetric(Metric.of(Counter.PEERS_HELPED), peers)));
  }

  // ---- event rules --------------------------------------------------------------------------

  @ParameterizedTest(name = "count >= 3 of peer_helped: this event {0}, count {1} -> {2}")
  @CsvSource({
      "peer_helped, 2, false",
      "peer_helped, 3, true",
      "peer_helped, 4, true",
      "lesson_completed, 3, false",
  })
  void countRuleNeedsThisEventToBeOfTheType(String eventType, long count, boolean expected) {
    BadgeRule rule = parse("{\"event\": \"peer_helped\", \"count\": 3}");
    assertEquals(expected, rule.matches(withCount(eventType, "peer_helped", count)));
  }

  @Test
  void countRuleCountsOnlyItsOwnType() {
    BadgeRule rule = parse("{\"event\": \"peer_helped\", \"count\": 1}");
    assertEquals(false, rule.matches(withCount("peer_helped", "lesson_completed", 50)));
  }

  @ParameterizedTest(name = "course_completed score >= 90: {0} score {1} -> {2}")
  @CsvSource({
      "course_completed, 89,  false",
      "course_completed, 90,  true",
      "course_completed, 100, true",
      "course_completed, ,    false",
      "quiz_completed,   95,  false",
  })
  void scoreRule(String type, Integer score, boolean expected) {
    BadgeRule rule = parse("{\"event\": \"course_completed\", \"score\": 90}");
    assertEquals(expected, rule.matches(event(type, score, null)));
  }

  @ParameterizedTest(name = "{0} in course {1}: any course -> {2}, course algebra -> {3}")
  @CsvSource({
      "course_completed, algebra,  true,  true",
      "course_completed, geometry, true,  false",
      "course_completed, ,         true,  false",
      "lesson_completed, algebra,  false, false",
      "lesson_completed, ,         false, false",
  })
  void eventRuleWithAndWithoutCourse(String type, String courseId, boolean anyCourse, boolean algebra) {
    BadgeRule any = parse("{\"event\": \"course_completed\"}");
    BadgeRule inAlgebra = parse("{\"event\": \"course_completed\", \"courseId\": \"algebra\"}");
    assertEquals(anyCourse, any.matches(event(type, 80, courseId)));
    assertEquals(algebra, inAlgebra.matches(event(type, 80, courseId)));
  }

  // ---- metric comparisons -------------------------------------------------------------------

  @ParameterizedTest(name = "xp {2} {0} {1} -> {3}")
  @CsvSource({
      "gte, 10, 9,  false", "gte, 10, 10, true",  "gte, 10, 11, true",
      "gt,  10, 9,  false", "gt,  10, 10, false", "gt,  10, 11, true",
      "lte, 10, 9,  true",  "lte, 10, 10, true",  "lte, 10, 11, false",
      "lt,  10, 9,  true",  "lt,  10, 10, false", "lt,  10, 11, false",
      "eq,  10, 9,  false", "eq,  10, 10, true",  "eq,  10, 11, false",
      "eq,  0,  0,  true",
      "gte, 5000000000, 4999999999, false", "gte, 5000000000, 5000000000, true",
  })
  void comparisonsAtTheirBoundaries(String op, long value, long xp, boolean expected) {
    BadgeRule rule = parse("{\"metric\": \"xp\", \"" + op + "\": " + value + "}");
    assertEquals(expected, rule.matches(withMetric(Metric.XP, xp)));
  }

  @Test
  void eachMetricReadsItsOwnValue() {
    Map<Metric, Long> expected = new HashMap<>();
    expected.put(Metric.XP, 1000L);
    expected.put(Metric.LEVEL, 4L);
    expected.put(Metric.STREAK_DAYS, 3L);
    expected.put(Metric.LONGEST_STREAK, 9L);
    Counters c = Counters.ZERO;
    for (Counter counter : Counter.values()) {
      long value = 11 + counter.ordinal();  // distinct from each other and from the four above
      c = c.with(counter, value);
      expected.put(Metric.of(counter), value);
    }
    Map<Metric, Long> metrics = LearnerFacts.metricsOf(1000, 4, 3, 9, c);
    assertEquals(expected, metrics);
    LearnerFacts facts = new LearnerFacts("lesson_completed", null, null, metrics, c);
    for (Metric m : Metric.values()) {
      long v = expected.get(m);
      assertEquals(true, parse("{\"metric\": \"" + m.ruleName() + "\", \"eq\": " + v + "}").matches(facts), m.ruleName());
      assertEquals(false, parse("{\"metric\": \"" + m.ruleName() + "\", \"gt\": " + v + "}").matches(facts), m.ruleName());
    }
  }

  @Test
  void anAbsentMetricReadsZero() {
    LearnerFacts facts = event("lesson_completed", null, null);
    assertEquals(0, facts.metric(Metric.XP));
    assertEquals(true, parse("{\"metric\": \"xp\", \"eq\": 0}").matches(facts));
  }

  // ---- combinators --------------------------------------------------------------------------

  private static final BadgeRule T = new Compare(Metric.XP, Op.GTE, 0);
  private static final BadgeRule F = new Compare(Metric.XP, Op.LT, 0);

  @Test
  void combinatorTruthTables() {
    LearnerFacts facts = withMetric(Metric.XP, 5);
    assertEquals(true, T.matches(facts));
    assertEquals(false, F.matches(facts));
    assertEquals(true, new All(List.of(T, T)).matches(facts));
    assertEquals(false, new All(List.of(T, F)).matches(facts));
    assertEquals(false, new All(List.of(F, T)).matches(facts));
    assertEquals(false, new All(List.of(F, F)).matches(facts));
    assertEquals(true, new Any(List.of(T, T)).matches(facts));
    assertEquals(true, new Any(List.of(F, T)).matches(facts));
    assertEquals(true, new Any(List.of(T, F)).matches(facts));
    assertEquals(false, new Any(List.of(F, F)).matches(facts));
    assertEquals(false, new Not(T).matches(facts));
    assertEquals(true, new Not(F).matches(facts));
    assertEquals(true, new Not(new All(List.of(T, F))).matches(facts));
    assertEquals(true, new Any(List.of(new Not(T), new All(List.of(T, new Not(F))))).matches(facts));
    assertEquals(false, new All(List.of(T, T, T, F)).matches(facts));
  }

  @ParameterizedTest(name = "event {0}, lessons {1}, xp {2}, level {3} -> {4}")
  @CsvSource({
      "lesson_completed, 10, 100, 2, true",
      "lesson_completed, 10, 100, 3, false",  // not (level >= 3) fails
      "lesson_completed, 9,  100, 2, false",  // count too low and xp too low
      "lesson_completed, 9,  500, 2, true",   // xp carries the any
      "quiz_completed,   10, 100, 2, false",  // the count rule needs this event to be a lesson
      "quiz_completed,   10, 500, 2, true",
      "quiz_completed,   10, 500, 3, false",
  })
  void nestedRule(String type, long lessons, long xp, long level, boolean expected) {
    BadgeRule rule = parse("""
        {"all": [
          {"any": [{"event": "lesson_completed", "count": 10}, {"metric": "xp", "gte": 500}]},
          {"not": {"metric": "level", "gte": 3}}
        ]}""");
    Counters counters = Counters.ZERO.with(Counter.LESSONS_COMPLETED, lessons).withEventCounts(Map.of("lesson_completed", lessons));
    LearnerFacts facts = new LearnerFacts(type, 80, null, Map.of(Metric.LEVEL, level, Metric.XP, xp), counters);
    assertEquals(expected, rule.matches(facts));
  }
}
