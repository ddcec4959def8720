package io.learnquest.domain.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.learnquest.domain.InvalidInputException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/api.md, "Events": what a learning event may be, and how bad ones are refused. */
class EventValidatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static final EventValidator VALIDATOR = new EventValidator(EventTypes.withCustom(List.of(
      new EventTypeSpec("video_watched", true, false, 30L),
      new EventTypeSpec("exam_taken", true, true, 300L))), java.time.Duration.ofDays(30));
  private static final String ID_128 = "a".repeat(128);
  private static final String ID_129 = "a".repeat(129);

  /** Decodes JSON text exactly as the engine does: Integer, Long, BigInteger, Double, Boolean, maps, lists. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> decode(String text) {
    try {
      return JSON.readValue(text, LinkedHashMap.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  private static Object decodeValue(String text) {
    try {
      return JSON.readValue(text, Object.class);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  /** A valid quiz event, the base every refusal below changes in one field. */
  private static Map<String, Object> validQuiz() {
    return decode("{\"eventId\": \"evt-1\", \"learnerId\": \"learner-1\", \"type\": \"quiz_completed\", \"score\": 85}");
  }

  private static InvalidInputException refused(Map<String, Object> json) {
    return assertThrows(InvalidInputException.class, () -> VALIDATOR.validate(json, NOW));
  }

  private static void assertRefused(Map<String, Object> json, String code, String field) {
    InvalidInputException e = refused(json);
    assertEquals(code, e.code(), "code");
    assertEquals(field, e.field(), "field");
    assertNotNull(e.getMessage());
    assertTrue(!e.getMessage().isBlank());
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      # field    | JSON value (or <absent>)     | error
      eventId    | <absent>                     | missing_field
      eventId    | null                         | missing_field
      learnerId  | <absent>                     | missing_field
      learnerId  | null                         | missing_field
      type       | <absent>                     | missing_field
      type       | null                         | missing_field
      eventId    | 42                           | invalid_type
      eventId    | ["evt-1"]                    | invalid_type
      learnerId  | true                         | invalid_type
      learnerId  | {"id": "x"}                  | invalid_type
      type       | 1                            | invalid_type
      eventId    | ""                           | invalid_value
      eventId    | "evt 1"                      | invalid_value
      eventId    | " evt-1"                     | invalid_value
      eventId    | "evt-1\\n"                   | invalid_text
      eventId    | "learner@x"                  | invalid_value
      eventId    | "evt/1"                      | invalid_value
      eventId    | "évt-1"                      | invalid_value
      learnerId  | ""                           | invalid_value
      learnerId  | "learner 1"                  | invalid_value
      learnerId  | "learner#1"                  | invalid_value
      type       | "lesson_complete"            | unknown_event_type
      type       | "LESSON_COMPLETED"           | unknown_event_type
      type       | ""                           | unknown_event_type
      occurredAt | "2026-11-27T11:00:00"        | invalid_value
      occurredAt | "2026-11-27"                 | invalid_value
      occurredAt | "yesterday"                  | invalid_value
      occurredAt | "2026-13-01T00:00:00Z"       | invalid_value
      occurredAt | "2026-11-27 11:00:00Z"       | invalid_value
      occurredAt | "2026-11-27T11:00:00+09:00[Asia/Tokyo]" | invalid_value
      occurredAt | ""                           | invalid_value
      occurredAt | 1764244740000                | invalid_type
      occurredAt | "2026-11-27T12:05:01Z"       | occurred_in_future
      occurredAt | "2026-11-27T21:05:01+09:00"  | occurred_in_future
      occurredAt | "2027-01-01T00:00:00Z"       | occurred_in_future
      timezone   | "Mars/Olympus"               | unknown_timezone
      timezone   | "+09:00"                     | unknown_timezone
      timezone   | "Z"                          | unknown_timezone
      timezone   | ""                           | unknown_timezone
      timezone   | 9                            | invalid_type
      courseId   | "algebra 1"                  | invalid_value
      courseId   | ""                           | invalid_value
      courseId   | 12                           | invalid_type
      objectId   | "quiz/3"                     | invalid_value
      objectId   | false                        | invalid_type
      score      | <absent>                     | missing_field
      score      | null                         | missing_field
      score      | "85"                         | invalid_type
      score      | 85.5                         | invalid_type
      score      | 85.0                         | invalid_type
      score      | true                         | invalid_type
      score      | [85]                         | invalid_type
      score      | 101                          | invalid_value
      score      | -1                           | invalid_value
      score      | 4294967381                   | invalid_value
      score      | 99999999999999999999         | invalid_value
      difficulty | 0                            | invalid_value
      difficulty | 6                            | invalid_value
      difficulty | -2                           | invalid_value
      difficulty | "3"                          | invalid_type
      difficulty | 2.5                          | invalid_type
      timeBonus  | "yes"                        | invalid_type
      timeBonus  | "true"                       | invalid_type
      timeBonus  | 1                            | invalid_type
      """)
  void refusals(String field, String value, String code) {
    Map<String, Object> json = validQuiz();
    if (value.equals("<absent>")) {
      json.remove(field);
    } else {
      json.put(field, decodeValue(value));
    }
    assertRefused(json, code, field);
  }

  @ParameterizedTest(name = "{0}: 129 chars refused, 128 accepted")
  @CsvSource({"eventId", "learnerId", "courseId", "objectId"})
  void idsLongerThan128AreRefused(String field) {
    Map<String, Object> json = validQuiz();
    json.put(field, ID_129);
    assertRefused(json, "invalid_value", field);
    json.put(field, ID_128);
    LearningEvent event = VALIDATOR.validate(json, NOW);
    assertEquals(ID_128, field.equals("eventId") ? event.eventId() : field.equals("learnerId") ? event.learnerId()
        : field.equals("courseId") ? event.courseId() : event.objectId());
  }

  @ParameterizedTest(name = "{0} without score -> missing_field score")
  @CsvSource({"quiz_completed", "course_completed", "exam_taken"})
  void scoreIsRequiredWhereTheTypeSaysSo(String type) {
    Map<String, Object> json = decode("{\"eventId\": \"e\", \"learnerId\": \"l\", \"type\": \"" + type + "\"}");
    assertRefused(json, "missing_field", "score");
  }

  @ParameterizedTest(name = "{0} without score is fine")
  @CsvSource({"lesson_completed", "peer_helped", "daily_login", "video_watched"})
  void scoreIsOptionalElsewhere(String type) {
    Map<String, Object> json = decode("{\"eventId\": \"e\", \"learnerId\": \"l\", \"type\": \"" + type
        + "\", \"objectId\": \"o\"}");
    LearningEvent event = VALIDATOR.validate(json, NOW);
    assertEquals(type, event.type());
    assertEquals(null, event.score());
  }

  @Test
  void defaults() {
    LearningEvent event = VALIDATOR.validate(
        decode("{\"eventId\": \"evt-1\", \"learnerId\": \"learner-1\", \"type\": \"lesson_completed\"}"), NOW);
    assertEquals(new LearningEvent("evt-1", "learner-1", "lesson_completed", NOW, null, null, null, null, 2, false),
        event);
  }

  @Test
  void everyFieldGiven() {
    LearningEvent event = VALIDATOR.validate(decode("""
        {"eventId": "evt.2026:11-27_a", "learnerId": "ada@example.org", "type": "quiz_completed",
         "occurredAt": "2026-11-27T18:59:00+09:00", "timezone": "Asia/Tokyo", "courseId": "math:algebra-1",
         "objectId": "quiz_7.b@v2", "score": 100, "difficulty": 5, "timeBonus": true}"""), NOW);
    assertEquals(new LearningEvent("evt.2026:11-27_a", "ada@example.org", "quiz_completed",
        Instant.parse("2026-11-27T09:59:00Z"), "Asia/Tokyo", "math:algebra-1", "quiz_7.b@v2", 100, 5, true), event);
  }

  @Test
  void unknownExtraFieldsAreIgnored() {
    Map<String, Object> json = validQuiz();
    json.put("extra", "whatever");
    json.put("nested", decodeValue("{\"score\": \"not this one\", \"list\": [1, 2.5, null]}"));
    json.put("Score", "85");
    assertEquals(VALIDATOR.validate(validQuiz(), NOW), VALIDATOR.validate(json, NOW));
  }

  @Test
  void explicitNullOptionalFieldsMeanAbsent() {
    Map<String, Object> json = decode("""
        {"eventId": "e", "learnerId": "l", "type": "lesson_completed", "occurredAt": null, "timezone": null,
         "courseId": null, "objectId": null, "score": null, "difficulty": null, "timeBonus": null}""");
    assertEquals(new LearningEvent("e", "l", "lesson_completed", NOW, null, null, null, null, 2, false),
        VALIDATOR.validate(json, NOW));
  }

  @ParameterizedTest(name = "occurredAt {0} is accepted as {1}")
  @CsvSource({
      "2026-11-27T12:05:00Z,          2026-11-27T12:05:00Z",  // exactly 5 minutes ahead: accepted
      "2026-11-27T21:05:00+09:00,     2026-11-27T12:05:00Z",  // the same instant written in Tokyo time
      "2026-11-27T04:05:00-08:00,     2026-11-27T12:05:00Z",
      "2026-11-27T12:04:59.999Z,      2026-11-27T12:04:59.999Z",
      "2026-11-27T12:00:00Z,          2026-11-27T12:00:00Z",
      "2026-11-27T20:59:00+09:00,     2026-11-27T11:59:00Z",
  })
  void occurredAtWithinFiveMinutes(String text, Instant expected) {
    Map<String, Object> json = validQuiz();
    json.put("occurredAt", text);
    assertEquals(expected, VALIDATOR.validate(json, NOW).occurredAt());
  }

  @Test
  void theContractsOccurredAtExample() {
    Map<String, Object> json = validQuiz();
    json.put("occurredAt", "2026-11-27T23:59:00+09:00");
    Instant received = Instant.parse("2026-11-27T15:00:00Z");
    assertEquals(Instant.parse("2026-11-27T14:59:00Z"), VALIDATOR.validate(json, received).occurredAt());
  }

  @ParameterizedTest(name = "occurredAt {0} (past) is accepted when the age limit allows it")
  @CsvSource({"2026-11-20T00:00:00Z", "2020-02-29T23:59:59+14:00", "1999-12-31T23:59:59-12:00", "2026-11-27T12:00Z"})
  void occurredAtInThePast(String text) {
    Map<String, Object> json = validQuiz();
    json.put("occurredAt", text);
    EventValidator lenient = new EventValidator(EventTypes.builtIn(), java.time.Duration.ofDays(36_500));
    assertEquals(java.time.OffsetDateTime.parse(text).toInstant(), lenient.validate(json, NOW).occurredAt());
  }

  @Test
  void anEventOlderThanTheAgeLimitIsRefusedAsTooOld() {
    Map<String, Object> json = validQuiz();
    json.put("occurredAt", NOW.minus(java.time.Duration.ofDays(30)).toString());
    assertEquals(NOW.minus(java.time.Duration.ofDays(30)), VALIDATOR.validate(json, NOW).occurredAt());
    json.put("occurredAt", NOW.minus(java.time.Duration.ofDays(30)).minusSeconds(1).toString());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> VALIDATOR.validate(json, NOW));
    assertEquals("too_old", e.code());
    assertEquals("occurredAt", e.field());
  }

  @Test
  void theFutureLimitIsFiveMinutesFromNowToTheSecond() {
    Map<String, Object> json = validQuiz();
    json.put("occurredAt", "2026-11-27T12:05:00Z");
    assertEquals(Instant.parse("2026-11-27T12:05:00Z"), VALIDATOR.validate(json, NOW).occurredAt());
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> VALIDATOR.validate(json, NOW.minusSeconds(1)));
    assertEquals("occurred_in_future", e.code());
    assertEquals("occurredAt", e.field());
    json.put("occurredAt", "2026-11-27T12:05:00.001Z");
    assertRefused(json, "occurred_in_future", "occurredAt");
  }

  @ParameterizedTest(name = "timezone {0} is accepted")
  @CsvSource({"UTC", "Asia/Tokyo", "America/Los_Angeles", "Europe/Berlin", "Australia/Lord_Howe", "Etc/UTC"})
  void knownZones(String zone) {
    Map<String, Object> json = validQuiz();
    json.put("timezone", zone);
    assertEquals(zone, VALIDATOR.validate(json, NOW).timezone());
    assertTrue(EventValidator.isKnownZone(zone));
  }

  @ParameterizedTest(name = "score {0}, difficulty {1} are accepted")
  @CsvSource({"0, 1", "100, 5", "60, 2", "59, 3"})
  void rangeBoundariesAreAccepted(int score, int difficulty) {
    Map<String, Object> json = validQuiz();
    json.put("score", score);
    json.put("difficulty", difficulty);
    LearningEvent event = VALIDATOR.validate(json, NOW);
    assertEquals(score, event.score());
    assertEquals(difficulty, event.difficulty());
  }

  @Test
  void wholeNumbersOfAnyIntegerTypeAreAccepted() {
    Map<String, Object> json = validQuiz();
    json.put("score", 85L);
    json.put("difficulty", (short) 4);
    LearningEvent event = VALIDATOR.validate(json, NOW);
    assertEquals(85, event.score());
    assertEquals(4, event.difficulty());
  }

  @Test
  void timeBonusFalseIsFalse() {
    Map<String, Object> json = validQuiz();
    json.put("timeBonus", false);
    assertEquals(false, VALIDATOR.validate(json, NOW).timeBonus());
    json.put("timeBonus", true);
    assertEquals(true, VALIDATOR.validate(json, NOW).timeBonus());
  }

  @Test
  void alphabets() {
    assertTrue(EventValidator.isValidEventId("A-z.0_9:x"));
    assertEquals(false, EventValidator.isValidEventId("a@b"));
    assertTrue(EventValidator.isValidLearnerId("a@b.c:d_e-f"));
    assertEquals(false, EventValidator.isValidLearnerId("a+b"));
    assertEquals(false, EventValidator.isValidLearnerId(null));
    assertEquals(false, EventValidator.isValidEventId(ID_129));
    assertEquals(false, EventValidator.isKnownZone("+09:00"));
    assertEquals(false, EventValidator.isKnownZone(null));
  }

  @Test
  void unknownTypeMessageListsTheKnownTypes() {
    Map<String, Object> json = validQuiz();
    json.put("type", "lesson_complete");
    InvalidInputException e = refused(json);
    assertEquals("unknown_event_type", e.code());
    assertTrue(e.getMessage().contains("lesson_completed"), e.getMessage());
    assertTrue(e.getMessage().contains("video_watched"), e.getMessage());
  }

  @ParameterizedTest(name = "occurredAt {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      1970-01-01T00:00:00Z             | accepted
      1970-01-01T09:00:00+09:00        | accepted
      1970-01-01T08:59:59.999+09:00    | too_old
      1969-12-31T23:59:59.999999999Z   | too_old
      -5000-01-01T00:00:00Z            | too_old
      -999999999-01-01T00:00:00+18:00  | too_old
      +999999999-12-31T23:59:59-18:00  | occurred_in_future
      """)
  void occurredAtStaysWithinWhatEveryStoreHolds(String at, String expected) {
    Map<String, Object> json = validQuiz();
    json.put("occurredAt", at);
    // An age limit of 270 years, so that 1970 is the bound that decides.
    EventValidator lenient = new EventValidator(EventTypes.builtIn(), java.time.Duration.ofDays(100_000));
    if (expected.equals("accepted")) {
      assertEquals(Instant.EPOCH, lenient.validate(json, NOW).occurredAt());
    } else {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> lenient.validate(json, NOW));
      assertEquals(expected, e.code());
      assertEquals("occurredAt", e.field());
    }
  }

  @ParameterizedTest(name = "{0} holding {1}")
  @CsvSource(delimiter = '|', textBlock = """
      type       | NUL
      type       | a tab
      timezone   | a line break
      occurredAt | DEL
      eventId    | a lone surrogate
      courseId   | C1 control
      """)
  void controlCharactersAndLoneSurrogatesAreRefusedInEveryTextField(String field, String what) {
    String bad = switch (what) {
      case "NUL" -> "a\u0000b";
      case "a tab" -> "a\tb";
      case "a line break" -> "Asia/Tokyo\n";
      case "DEL" -> "2026-11-27T12:00:00Z\u007f";
      case "a lone surrogate" -> "evt\ud800";
      default -> "c\u0085";
    };
    Map<String, Object> json = validQuiz();
    json.put(field, bad);
    assertRefused(json, "invalid_text", field);
  }

  @Test
  void aWholeSurrogatePairIsNotALoneOne() {
    assertEquals(null, io.learnquest.domain.InputLimits.textProblem("star \ud83c\udf1f"));
    assertEquals(null, io.learnquest.domain.InputLimits.multilineTextProblem("one\ntwo\r\n\tthree"));
  }

  @Test
  void aPeerHelpNamesThePeer() {
    Map<String, Object> json = decode("{\"eventId\": \"e\", \"learnerId\": \"l\", \"type\": \"peer_helped\"}");
    assertRefused(json, "missing_field", "objectId");
    json.put("objectId", "peer-1");
    assertEquals("peer-1", VALIDATOR.validate(json, NOW).objectId());
  }
}
