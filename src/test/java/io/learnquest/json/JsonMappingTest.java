package io.learnquest.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.bus.Wire;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.streak.StreakState;
import io.learnquest.domain.xp.XpDecision;
import io.learnquest.domain.xp.XpGrant;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct record mapping writes what the generic (Jackson) mapping wrote, and reads back the
 * same records from either, also after a trip over the wire: stored documents and peers on an
 * older build keep working.
 */
class JsonMappingTest {
  private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");
  private static final Counters COUNTERS =
      Counters.ZERO.with(Counter.LESSONS_COMPLETED, 3).with(Counter.QUIZZES_PASSED, 2)
          .with(Counter.PERFECT_QUIZZES, 1).with(Counter.PEERS_HELPED, 4)
          .withEventCounts(Map.of("lesson_completed", 3L, "quiz_completed", 2L));

  static Stream<Record> records() {
    StreakState streak = new StreakState(5, 9, 1, LocalDate.of(2026, 11, 26));
    StreakState fresh = new StreakState(0, 0, 2, null);
    List<XpGrant> grants = List.of(new XpGrant("activity", 100, 150, 150, "quiz_pass"),
        new XpGrant("streak_bonus", 25, 100, 25, null));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("badgeId", "first_lesson");
    data.put("nested", Map.of("level", 3));
    data.put("list", List.of("a", 1));
    data.put("none", null);
    data.put("ratio", 0.25);
    return Stream.of(
        new LearningEvent("e-1", "ana", "quiz_completed", AT, "Asia/Tokyo", "c-1", "q-1", 95, 2, true),
        new LearningEvent("e-2", "ana", "daily_login", AT, null, null, null, null, 0, false),
        new LearningEvent("e-\"3\"", "ana\\x", "lesson_completed", AT, "Europe/Paris", "c\t1", "ü-1", -7, 3, false),
        streak, fresh,
        new StreakOutcome(streak, true, false),
        new XpDecision(grants, false, true, 12_345_678_901L, 7, true),
        new XpDecision(List.of(), true, false, 0, 1, false),
        new BadgeAward("first_lesson", "First lesson", "bronze", AT, "e-1"),
        new Outcome("e-1", "processed", "ana", List.of(new Outcome.Grant("activity", 100, 150, 150)), 500, 3, true,
            List.of("first_lesson"), List.of(new Outcome.Step("ONBOARDING", "ACTIVE", "quiz_completed")),
            new Outcome.Streak(5, 9, 1, true, false), false),
        // several lines and steps, no streak, text that needs escapes (OutcomeJson writes it)
        new Outcome("e-\"2\"", "processed", "ana\\b", List.of(new Outcome.Grant("activity", 100, 150, 150),
            new Outcome.Grant("streak_bonus", 25, 100, 25)), 9_876_543_210L, 42, false, List.of("a\tb", "c"),
            List.of(new Outcome.Step("AT_RISK", "ACTIVE", "reactivated"), new Outcome.Step("ACTIVE", "MASTERY", "x\ny")),
            null, true),
        new Outcome("e-3", "duplicate", "ana", List.of(), 0, 1, false, List.of(), List.of(),
            new Outcome.Streak(0, 0, 2, false, true), false),
        new Learner("ana", ProgressionState.ACTIVE, 500, 3, "Asia/Tokyo", streak, COUNTERS, AT,
            Set.of("first_lesson", "quiz_whiz"), 12, 40),
        new Learner("ben", ProgressionState.ONBOARDING, 0, 1, null, fresh, Counters.ZERO, null, Set.of(), 0, 0),
        // every component set, pace and boards too, and text that needs escapes (LearnerJson writes it)
        new Learner("cy \"q\" \\ \n é", ProgressionState.MASTERY, 9_876_543_210L, 42, "America/Argentina/Buenos_Aires",
            streak, COUNTERS, AT, Set.of("first_lesson", "tab\tbadge"), 77, 301,
            Pace.EMPTY.with("lesson_completed", AT).with("lesson_completed", AT.plusSeconds(5))
                .with("quiz_completed", AT.minusSeconds(30)),
            Map.of("global/all-time", 9_876_543_210L, "course:c-1/2026-W48", 120L)),
        new LedgerEntry("e-1", "activity", 100, 150, 150, "quiz_pass", AT),
        new Notification(7, "badge_awarded", "ana", "e-1", AT, data),
        new Notification(8, "state_changed", "ana \"q\"", null, AT, Map.of()));
  }

  /** As a peer or the database would hand it back: decoded from text. */
  private static JsonObject wire(JsonObject json) {
    return new JsonObject(json.encode());
  }

  @ParameterizedTest
  @MethodSource("records")
  void writesWhatTheGenericMappingWrote(Record value) {
    assertEquals(wire(JsonMapping.toJsonByJackson(value)), wire(JsonMapping.toJson(value)));
  }

  @ParameterizedTest
  @MethodSource("records")
  void encodesTheSameTextAsTheMappingEncoded(Record value) {
    assertEquals(JsonMapping.toJson(value).encode(), JsonMapping.encode(value));
  }

  /** As an answer of the API: one component left out when null. */
  public record Entry(String learnerId, long xp, @com.fasterxml.jackson.annotation.JsonInclude(
      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) Boolean isCurrentUser, String note) {
  }

  @Test
  void encodesAnAnswerAsJacksonDoesLeavingOutOnlyTheNullsMarkedSo() {
    for (Entry entry : List.of(new Entry("ana", 52, null, null), new Entry("ben", 7, true, "x"),
        new Entry("cy", 0, false, null))) {
      assertEquals(io.vertx.core.json.Json.encode(entry), JsonMapping.encode(entry));
    }
    assertEquals("{\"learnerId\":\"ana\",\"xp\":52,\"note\":null}", JsonMapping.encode(new Entry("ana", 52, null, null)));
  }

  @Test
  void encodesMapsAndListsAsVertxEncodesThem() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("badgeId", "first_lesson");
    data.put("xp", 52);
    data.put("total", 12_345_678_901L);
    data.put("ratio", 0.25);
    data.put("none", null);
    data.put("flag", true);
    data.put("at", AT);
    data.put("nested", new LinkedHashMap<>(Map.of("level", 3)));
    data.put("list", List.of("a", 1, List.of(), Map.of()));
    data.put("quoted", "\"a\" \\ \u00e9 \u2028 \n");
    assertEquals(new JsonObject(data).encode(), JsonMapping.encode(data));
    assertEquals(new io.vertx.core.json.JsonArray(List.of(data, "x", 2)).encode(), JsonMapping.encode(List.of(data, "x", 2)));
    assertEquals("{}", JsonMapping.encode(Map.of()));
  }

  /**
   * Every character that JSON escapes, and the ones it leaves alone (non-ASCII, surrogate pairs, a
   * lone surrogate), in values and in names; numbers of every kind, the non-finite ones quoted:
   * written as Jackson (through Vert.x) writes them.
   */
  @Test
  void escapesAndNumbersAreWrittenAsJacksonWritesThem() {
    StringBuilder everyAscii = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      everyAscii.append(c);
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("ascii", everyAscii.toString());
    data.put("unicode", "\u00e9\u00ff\u0100 \u2028\u2029 \ud83d\ude00 \ud800 end\\");
    data.put("quote \" and \\ and \n in a name\u0001", "x");
    data.put("", "");
    data.put("doubles", List.of(0.0, -0.0, 1.5, 1e20, 1.0e-5, 123456789.125, Double.MAX_VALUE, Double.MIN_VALUE));
    data.put("nonFinite", List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Float.NaN));
    data.put("floats", List.of(0.1f, 3.0f, -2.5e-3f));
    data.put("big", List.of(new java.math.BigDecimal("12345678901234567890.000001"), new java.math.BigDecimal("1E+3"),
        new java.math.BigInteger("123456789012345678901234567890")));
    data.put("integers", List.of(Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, (short) 7, (byte) -8, 0));
    data.put("empty", List.of(Map.of(), List.of(), List.of(List.of(Map.of()))));
    assertEquals(new JsonObject(data).encode(), JsonMapping.encode(data));
    assertEquals("{\"s\":\"\\u001F\\b\\t\\n\\f\\r\\\"\\\\/\u007f\"}", JsonMapping.encode(Map.of("s", "\u001f\b\t\n\f\r\"\\/\u007f")));
  }

  @ParameterizedTest
  @MethodSource("records")
  void readsBackTheSameRecordFromEitherMappingAndFromTheWire(Record value) {
    Class<? extends Record> type = value.getClass();
    assertEquals(value, JsonMapping.fromJson(JsonMapping.toJson(value), type));
    assertEquals(value, JsonMapping.fromJson(wire(JsonMapping.toJson(value)), type));
    assertEquals(value, JsonMapping.fromJson(wire(JsonMapping.toJsonByJackson(value)), type));
    assertEquals(value, JsonMapping.fromJsonByJackson(wire(JsonMapping.toJson(value)), type));
  }

  /**
   * Every counter of the registry is written under its field, in registry order, then the event
   * counts (the shape stored learners and profiles have), and reads back by every route: a counter
   * added to the registry is stored and read with no more code.
   */
  @ParameterizedTest
  @EnumSource(Counter.class)
  void eachCounterIsWrittenByItsFieldAndReadBackByEveryRoute(Counter counter) {
    Counters counters = Counters.ZERO.with(counter, 41 + counter.ordinal()).withEventCounts(Map.of("daily_login", 2L));
    Learner learner = new Learner.Builder("ana").counters(counters).build();
    JsonObject written = JsonMapping.toJson(learner).getJsonObject("counters");
    List<String> fields = new ArrayList<>();
    for (Counter c : Counter.values()) {
      fields.add(c.field());
    }
    fields.add("eventCounts");
    assertEquals(fields, new ArrayList<>(written.fieldNames()), "the fields, in registry order");
    for (Counter c : Counter.values()) {
      assertEquals(c == counter ? 41L + counter.ordinal() : 0L, written.getLong(c.field()), c.field());
    }
    assertEquals(new JsonObject().put("daily_login", 2L), written.getJsonObject("eventCounts"));
    assertEquals(written, wire(JsonMapping.toJsonByJackson(learner)).getJsonObject("counters"));
    assertEquals(learner, JsonMapping.fromJson(wire(JsonMapping.toJson(learner)), Learner.class));
    assertEquals(learner, JsonMapping.fromJsonByJackson(wire(JsonMapping.toJson(learner)), Learner.class));
    assertEquals(learner, Wire.decode(Wire.encode(learner), Learner.class), "between nodes");
  }

  /**
   * A learner stored before a counter existed has no field for it: it reads as 0, by the direct
   * mapping and by Jackson. (The document is the shape the counters have always been stored in.)
   */
  @ParameterizedTest
  @EnumSource(Counter.class)
  void aStoredLearnerWithoutACounterReadsItAsZero(Counter missing) {
    JsonObject stored = JsonMapping.toJson(new Learner.Builder("ana").build());
    JsonObject counters = new JsonObject("""
        {"lessonsCompleted": 3, "quizzesPassed": 2, "perfectQuizzes": 1, "coursesCompleted": 5, "peersHelped": 4,
         "eventCounts": {"lesson_completed": 3, "quiz_completed": 2}}""");
    counters.remove(missing.field());
    stored.put("counters", counters);
    for (Learner read : List.of(JsonMapping.fromJson(wire(stored), Learner.class),
        JsonMapping.fromJsonByJackson(wire(stored), Learner.class))) {
      assertEquals(0, read.counters().get(missing), missing.field());
      for (Counter c : Counter.values()) {
        if (c != missing) {
          assertEquals(counters.getLong(c.field(), 0L), read.counters().get(c), c.field());
        }
      }
      assertEquals(Map.of("lesson_completed", 3L, "quiz_completed", 2L), read.counters().eventCounts());
    }
  }
}
