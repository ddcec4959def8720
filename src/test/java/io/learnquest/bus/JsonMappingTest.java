package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.badge.LearnerFacts;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.streak.StreakState;
import io.learnquest.domain.xp.XpDecision;
import io.learnquest.domain.xp.XpGrant;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct record mapping writes what the generic (Jackson) mapping wrote, and reads back the
 * same records from either, also after a trip over the wire: stored documents and peers on an
 * older build keep working.
 */
class JsonMappingTest {
  private static final Instant AT = Instant.parse("2026-11-27T10:15:30.123Z");
  private static final Counters COUNTERS =
      new Counters(3, 2, 1, 0, 4, Map.of("lesson_completed", 3L, "quiz_completed", 2L));

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
    return Stream.of(
        new LearningEvent("e-1", "ana", "quiz_completed", AT, "Asia/Tokyo", "c-1", "q-1", 95, 2, true),
        new LearningEvent("e-2", "ana", "daily_login", AT, null, null, null, null, 0, false),
        streak, fresh,
        new StreakOutcome(streak, true, false),
        new XpDecision(grants, false, true, 12_345_678_901L, 7, true),
        new XpDecision(List.of(), true, false, 0, 1, false),
        new LearnerFacts("quiz_completed", 95, "c-1", LearnerFacts.metricsOf(500, 3, 5, 9, COUNTERS), COUNTERS),
        new LearnerFacts("daily_login", null, null, LearnerFacts.metricsOf(0, 1, 0, 0, Counters.ZERO), Counters.ZERO),
        new BadgeAward("first_lesson", "First lesson", "bronze", AT, "e-1"),
        new Outcome("e-1", "processed", "ana", List.of(new Outcome.Grant("activity", 100, 150, 150)), 500, 3, true,
            List.of("first_lesson"), List.of(new Outcome.Step("ONBOARDING", "ACTIVE", "quiz_completed")),
            new Outcome.Streak(5, 9, 1, true, false), false),
        new Learner("ana", ProgressionState.ACTIVE, 500, 3, "Asia/Tokyo", streak, COUNTERS, AT,
            Set.of("first_lesson", "quiz_whiz"), 12, 40),
        new Learner("ben", ProgressionState.ONBOARDING, 0, 1, null, fresh, Counters.ZERO, null, Set.of(), 0, 0),
        new LedgerEntry("e-1", "activity", 100, 150, 150, "quiz_pass", AT),
        new Notification(7, "badge_awarded", "ana", "e-1", AT, data));
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
  void readsBackTheSameRecordFromEitherMappingAndFromTheWire(Record value) {
    Class<? extends Record> type = value.getClass();
    assertEquals(value, JsonMapping.fromJson(JsonMapping.toJson(value), type));
    assertEquals(value, JsonMapping.fromJson(wire(JsonMapping.toJson(value)), type));
    assertEquals(value, JsonMapping.fromJson(wire(JsonMapping.toJsonByJackson(value)), type));
    assertEquals(value, JsonMapping.fromJsonByJackson(wire(JsonMapping.toJson(value)), type));
  }
}
