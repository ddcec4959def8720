package io.learnquest.domain.badge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeRule.All;
import io.learnquest.domain.badge.BadgeRule.Any;
import io.learnquest.domain.badge.BadgeRule.Compare;
import io.learnquest.domain.badge.BadgeRule.EventCount;
import io.learnquest.domain.badge.BadgeRule.EventIs;
import io.learnquest.domain.badge.BadgeRule.EventScore;
import io.learnquest.domain.badge.BadgeRule.Not;
import io.learnquest.domain.badge.BadgeRule.Op;
import io.learnquest.domain.event.EventTypeSpec;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.progression.Counter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Badges": the rule language, and refusals that name the bad part as a JSON path. */
class BadgeRuleParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EventTypes TYPES = EventTypes.builtIn();
  static final BadgeRuleParser PARSER = new BadgeRuleParser(name -> TYPES.find(name).isPresent());

  /** Decodes JSON text the way the engine receives it: maps, lists, Integer/Long/BigInteger, Double. */
  static Object json(String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  static BadgeRule parse(String text) {
    return PARSER.parse(json(text), "rule");
  }

  @Test
  void theFourDefaultRules() {
    assertEquals(new EventCount("lesson_completed", 1), parse("{\"event\": \"lesson_completed\", \"count\": 1}"));
    assertEquals(new Compare(Metric.STREAK_DAYS, Op.GTE, 7), parse("{\"metric\": \"streak_days\", \"gte\": 7}"));
    assertEquals(new EventScore("quiz_completed", 100), parse("{\"event\": \"quiz_completed\", \"score\": 100}"));
    assertEquals(new Compare(Metric.of(Counter.PEERS_HELPED), Op.GTE, 10), parse("{\"metric\": \"peers_helped\", \"gte\": 10}"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"event": "course_completed"}                                  | course_completed |
      {"event": "course_completed", "courseId": "algebra-1"}         | course_completed | algebra-1
      {"event": "course_completed", "courseId": null}                | course_completed |
      {"event": "daily_login"}                                       | daily_login      |
      """)
  void eventRule(String text, String type, String courseId) {
    assertEquals(new EventIs(type, courseId), parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"event": "peer_helped", "count": 3}              | peer_helped      | 3
      {"event": "daily_login", "count": 9223372036854775807} | daily_login | 9223372036854775807
      """)
  void countRule(String text, String type, long count) {
    assertEquals(new EventCount(type, count), parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"event": "quiz_completed", "score": 0}      | quiz_completed   | 0
      {"event": "course_completed", "score": 90}   | course_completed | 90
      {"event": "quiz_completed", "score": 100}    | quiz_completed   | 100
      """)
  void scoreRule(String text, String type, int score) {
    assertEquals(new EventScore(type, score), parse(text));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"metric": "xp", "gte": 1000}                  | XP                | GTE | 1000
      {"metric": "level", "gt": 4}                   | LEVEL             | GT  | 4
      {"metric": "streak_days", "lte": 3}            | STREAK_DAYS       | LTE | 3
      {"metric": "longest_streak", "lt": 30}         | LONGEST_STREAK    | LT  | 30
      {"metric": "lessons_completed", "eq": 0}       | LESSONS_COMPLETED | EQ  | 0
      {"metric": "quizzes_passed", "gte": 5}         | QUIZZES_PASSED    | GTE | 5
      {"metric": "perfect_quizzes", "gte": 3}        | PERFECT_QUIZZES   | GTE | 3
      {"metric": "courses_completed", "eq": 2}       | COURSES_COMPLETED | EQ  | 2
      {"metric": "peers_helped", "gte": 10}          | PEERS_HELPED      | GTE | 10
      {"gte": 5000000000, "metric": "xp"}            | XP                | GTE | 5000000000
      {"metric": "xp", "gt": -1}                     | XP                | GT  | -1
      """)
  void metricRule(String text, String metric, Op op, long value) {
    assertEquals(new Compare(metricNamed(metric), op, value), parse(text));
  }

  /** The learner metrics by their constants, the counters' by their registry entry. */
  private static Metric metricNamed(String constant) {
    return switch (constant) {
      case "XP" -> Metric.XP;
      case "LEVEL" -> Metric.LEVEL;
      case "STREAK_DAYS" -> Metric.STREAK_DAYS;
      case "LONGEST_STREAK" -> Metric.LONGEST_STREAK;
      default -> Metric.of(Counter.valueOf(constant));
    };
  }

  @Test
  void everyMetricHasItsContractName() {
    assertEquals(List.of("xp", "level", "streak_days", "longest_streak", "lessons_completed", "quizzes_passed",
            "perfect_quizzes", "courses_completed", "peers_helped"),
        Metric.values().stream().map(Metric::ruleName).toList());
    for (Metric m : Metric.values()) {
      assertEquals(m, Metric.byRuleName(m.ruleName()).orElseThrow());
    }
    assertTrue(Metric.byRuleName("XP").isEmpty());
    // each counter of the registry is a metric under its rule name
    for (Counter c : Counter.values()) {
      assertEquals(Metric.of(c), Metric.byRuleName(c.metric()).orElseThrow());
    }
  }

  @Test
  void combinatorsNest() {
    BadgeRule rule = parse("""
        {"all": [
          {"event": "lesson_completed", "count": 10},
          {"any": [{"metric": "level", "gte": 5}, {"not": {"metric": "xp", "lt": 1000}}]},
          {"not": {"event": "course_completed", "courseId": "intro"}}
        ]}""");
    assertEquals(new All(List.of(
        new EventCount("lesson_completed", 10),
        new Any(List.of(new Compare(Metric.LEVEL, Op.GTE, 5), new Not(new Compare(Metric.XP, Op.LT, 1000)))),
        new Not(new EventIs("course_completed", "intro")))), rule);
  }

  @Test
  void singleElementCombinatorsAreFine() {
    assertEquals(new Any(List.of(new Compare(Metric.XP, Op.EQ, 1))), parse("{\"any\": [{\"metric\": \"xp\", \"eq\": 1}]}"));
    assertEquals(new Not(new Not(new EventIs("peer_helped", null))), parse("{\"not\": {\"not\": {\"event\": \"peer_helped\"}}}"));
  }

  @Test
  void customEventTypesAreKnownWhenConfigured() {
    EventTypes custom = EventTypes.withCustom(List.of(new EventTypeSpec("video_watched", true, false, 30L)));
    BadgeRuleParser parser = new BadgeRuleParser(name -> custom.find(name).isPresent());
    assertEquals(new EventCount("video_watched", 5), parser.parse(json("{\"event\": \"video_watched\", \"count\": 5}"), "rule"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> parse("{\"event\": \"video_watched\", \"count\": 5}"));
    assertEquals("rule.event", e.field());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      # the example of the brief: the second part of an all names an unknown metric
      {"all": [{"metric": "xp", "gte": 1}, {"metric": "nope", "gte": 1}]}           | rule.all[1].metric
      # event rules
      {"event": "no_such_type", "count": 1}                                         | rule.event
      {"event": "Lesson_Completed"}                                                 | rule.event
      {"event": 42}                                                                 | rule.event
      {"event": null, "count": 1}                                                   | rule.event
      {"event": "lesson_completed", "count": 1.5}                                   | rule.count
      {"event": "lesson_completed", "count": 1.0}                                   | rule.count
      {"event": "lesson_completed", "count": "1"}                                   | rule.count
      {"event": "lesson_completed", "count": true}                                  | rule.count
      {"event": "lesson_completed", "count": null}                                  | rule.count
      {"event": "lesson_completed", "count": 0}                                     | rule.count
      {"event": "lesson_completed", "count": -1}                                    | rule.count
      {"event": "lesson_completed", "count": 99999999999999999999}                  | rule.count
      {"event": "quiz_completed", "score": 101}                                     | rule.score
      {"event": "quiz_completed", "score": -1}                                      | rule.score
      {"event": "quiz_completed", "score": 99.5}                                    | rule.score
      {"event": "quiz_completed", "score": "100"}                                   | rule.score
      {"event": "lesson_completed", "count": 1, "score": 100}                       | rule.score
      {"event": "lesson_completed", "count": 1, "courseId": "c1"}                   | rule.courseId
      {"event": "quiz_completed", "score": 100, "courseId": "c1"}                   | rule.courseId
      {"event": "lesson_completed", "extra": 1}                                     | rule.extra
      {"event": "lesson_completed", "courseId": 5}                                  | rule.courseId
      {"event": "lesson_completed", "metric": "xp", "gte": 1}                       | rule.metric
      # metric rules
      {"metric": "nope", "gte": 1}                                                  | rule.metric
      {"metric": 7, "gte": 1}                                                       | rule.metric
      {"metric": "XP", "gte": 1}                                                    | rule.metric
      {"metric": null, "gte": 1}                                                    | rule.metric
      {"metric": "xp"}                                                              | rule
      {"metric": "xp", "between": 1}                                                | rule
      {"metric": "xp", "gte": 1, "lte": 5}                                          | rule
      {"metric": "xp", "gte": 1, "gt": 1, "eq": 1}                                  | rule
      {"metric": "xp", "gte": 1, "extra": true}                                     | rule.extra
      {"metric": "xp", "gte": 1.0}                                                  | rule.gte
      {"metric": "xp", "gte": 2.5}                                                  | rule.gte
      {"metric": "xp", "gte": "7"}                                                  | rule.gte
      {"metric": "xp", "gte": true}                                                 | rule.gte
      {"metric": "xp", "eq": null}                                                  | rule.eq
      {"metric": "xp", "lt": [1]}                                                   | rule.lt
      {"metric": "xp", "gte": 99999999999999999999}                                 | rule.gte
      # combinators
      {"all": []}                                                                   | rule.all
      {"any": []}                                                                   | rule.any
      {"all": {"metric": "xp", "gte": 1}}                                           | rule.all
      {"any": null}                                                                 | rule.any
      {"all": [{"metric": "xp", "gte": 1}], "any": [{"metric": "xp", "gte": 1}]}    | rule.any
      {"all": [{"metric": "xp", "gte": 1}], "extra": 1}                             | rule.extra
      {"all": [{"metric": "xp", "gte": 1}, 5]}                                      | rule.all[1]
      {"any": [{"metric": "xp", "gte": 1}, null]}                                   | rule.any[1]
      {"not": {"metric": "xp", "gte": 1}, "extra": 1}                               | rule.extra
      {"not": null}                                                                 | rule.not
      {"not": [{"metric": "xp", "gte": 1}]}                                         | rule.not
      {"not": {}}                                                                   | rule.not
      {"not": {"metric": "xp", "gte": 1.5}}                                         | rule.not.gte
      {"any": [{"all": [{"event": "lesson_completed", "count": 1}, {"event": "nope"}]}]} | rule.any[0].all[1].event
      {"not": {"any": [{"metric": "xp", "gte": 1}, {"all": [{"event": "lesson_completed", "count": 1}, {"metric": "level", "gte": 1, "between": 3}]}]}} | rule.not.any[1].all[1].between
      {"not": {"any": [{"metric": "xp", "gte": 1}, {"all": [{"event": "lesson_completed", "count": 1}, {"metric": "level"}]}]}} | rule.not.any[1].all[1]
      # not a rule at all
      {}                                                                            | rule
      {"foo": 1}                                                                    | rule
      []                                                                            | rule
      "first_lesson"                                                                | rule
      7                                                                             | rule
      null                                                                          | rule
      """)
  void refusalsNameTheBadPart(String text, String field) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(text));
    assertEquals(ErrorCodes.INVALID_RULE, e.code());
    assertEquals(field, e.field());
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
  }

  @Test
  void thePathPrefixIsTheCallers() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> PARSER.parse(
        json("{\"all\": [{\"metric\": \"xp\", \"gte\": 1}, {\"metric\": \"nope\", \"gte\": 1}]}"), "badges[3].rule"));
    assertEquals(ErrorCodes.INVALID_RULE, e.code());
    assertEquals("badges[3].rule.all[1].metric", e.field());
  }

  private static String nested(int levels) {
    return "{\"not\": ".repeat(levels - 1) + "{\"metric\": \"xp\", \"gte\": 1}" + "}".repeat(levels - 1);
  }

  @Test
  void aRuleMayNestThirtyTwoRulesDeepAndNoDeeper() {
    assertTrue(parse(nested(32)) instanceof BadgeRule.Not);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(nested(33)));
    assertEquals("too_deep", e.code());
    assertEquals("rule" + ".not".repeat(32), e.field());
    // Far deeper is refused at the same place, without reading further.
    assertEquals("rule" + ".not".repeat(32),
        assertThrows(InvalidInputException.class, () -> parse(nested(900))).field());
  }

  @Test
  void aRuleMayHoldTwoHundredFiftySixRules() {
    String of255 = "{\"all\": [" + String.join(", ", java.util.Collections.nCopies(255,
        "{\"metric\": \"xp\", \"gte\": 1}")) + "]}";
    assertEquals(255, ((BadgeRule.All) parse(of255)).rules().size());
    String of257 = of255.replace("]}", ", {\"event\": \"daily_login\"}]}");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(of257));
    assertEquals("rule_too_large", e.code());
    assertEquals("rule.all[255]", e.field());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"event": "lesson_completed", "courseId": "a\\u0000"}    | rule.courseId
      {"any": [{"metric": "xp\\u0001", "gte": 1}]}             | rule.any[0].metric
      {"not": {"event": "daily_login\\ud800"}}                 | rule.not.event
      {"all": [{"event": "daily_login", "x\\u0000": 1}]}       | 'rule.all[0].x\\u0000'
      """)
  void textAnywhereInARuleIsCheckedForControlCharacters(String text, String field) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(text));
    assertEquals("invalid_text", e.code());
    assertEquals(field.replace("\\u0000", "\u0000"), e.field());
  }

  @Test
  void aRuleCourseIdFollowsTheCourseIdAlphabet() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> parse("{\"event\": \"course_completed\", \"courseId\": \"has space\"}"));
    assertEquals("rule.courseId", e.field());
  }
}
