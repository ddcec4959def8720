package io.learnquest.domain.progression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.event.LearningEvent;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Progression": counters, updated by a (non-repeat) event before conditions are read. */
class CountersTest {
  private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

  private static LearningEvent event(String type, Integer score) {
    return new LearningEvent("evt-1", "learner-1", type, AT, null, null, null, score, 2, false);
  }

  @ParameterizedTest(name = "{0} score {1} -> lessons {2}, passed {3}, perfect {4}, courses {5}, peers {6}")
  @CsvSource({
      "lesson_completed, ,    1, 0, 0, 0, 0",
      "quiz_completed,   100, 0, 1, 1, 0, 0",  // a perfect quiz is also a passed quiz
      "quiz_completed,   99,  0, 1, 0, 0, 0",
      "quiz_completed,   60,  0, 1, 0, 0, 0",  // exactly the pass mark
      "quiz_completed,   59,  0, 0, 0, 0, 0",  // failed: only the per-type count moves
      "quiz_completed,   0,   0, 0, 0, 0, 0",
      "course_completed, 40,  0, 0, 0, 1, 0",
      "course_completed, 100, 0, 0, 0, 1, 0",
      "peer_helped,      ,    0, 0, 0, 0, 1",
      "daily_login,      ,    0, 0, 0, 0, 0",
      "video_watched,    ,    0, 0, 0, 0, 0",
  })
  void oneEventFromZero(String type, Integer score, long lessons, long passed, long perfect, long courses, long peers) {
    Counters after = Counters.ZERO.after(event(type, score), 60);
    assertEquals(counters(lessons, passed, perfect, courses, peers, Map.of(type, 1L)), after);
    assertEquals(1, after.countOf(type));
  }

  @ParameterizedTest(name = "pass mark {0}, score {1} -> passed {2}, perfect {3}")
  @CsvSource({"80, 79, 0, 0", "80, 80, 1, 0", "100, 99, 0, 0", "100, 100, 1, 1", "0, 0, 1, 0"})
  void passMarkIsAnArgument(int passMark, int score, long passed, long perfect) {
    Counters after = Counters.ZERO.after(event("quiz_completed", score), passMark);
    assertEquals(passed, after.get(Counter.QUIZZES_PASSED));
    assertEquals(perfect, after.get(Counter.PERFECT_QUIZZES));
    assertEquals(1, after.countOf("quiz_completed"));
  }

  @Test
  void countersAccumulate() {
    Counters c = counters(3, 4, 1, 2, 6, Map.of("lesson_completed", 3L, "quiz_completed", 7L));
    c = c.after(event("quiz_completed", 100), 60);
    c = c.after(event("quiz_completed", 30), 60);
    c = c.after(event("lesson_completed", null), 60);
    c = c.after(event("peer_helped", null), 60);
    c = c.after(event("daily_login", null), 60);
    c = c.after(event("daily_login", null), 60);
    assertEquals(counters(4, 5, 2, 2, 7,
        Map.of("lesson_completed", 4L, "quiz_completed", 9L, "peer_helped", 1L, "daily_login", 2L)), c);
    assertEquals(0, c.countOf("course_completed"));
    assertEquals(0, c.countOf("no_such_type"));
  }

  @Test
  void afterLeavesTheOriginalUntouched() {
    Counters before = counters(1, 0, 0, 0, 0, Map.of("lesson_completed", 1L));
    Counters after = before.after(event("lesson_completed", null), 60);
    assertEquals(counters(1, 0, 0, 0, 0, Map.of("lesson_completed", 1L)), before);
    assertEquals(2, after.get(Counter.LESSONS_COMPLETED));
    assertEquals(2, after.countOf("lesson_completed"));
  }

  @Test
  void eventCountsAreACopy() {
    Map<String, Long> counts = new HashMap<>(Map.of("lesson_completed", 1L));
    Counters c = Counters.ZERO.withEventCounts(counts);
    counts.put("lesson_completed", 99L);
    assertEquals(1, c.countOf("lesson_completed"));
    assertThrows(UnsupportedOperationException.class, () -> c.eventCounts().put("x", 1L));
    Counters after = c.after(event("quiz_completed", 100), 60);
    assertThrows(UnsupportedOperationException.class, () -> after.eventCounts().put("x", 1L));
  }

  @Test
  void zeroIsAllZero() {
    for (Counter c : Counter.values()) {
      assertEquals(0, Counters.ZERO.get(c), c.name());
    }
    assertEquals(Map.of(), Counters.ZERO.eventCounts());
  }

  /** Every entry of the registry holds its own value: setting one moves no other. */
  @Test
  void eachRegistryEntryHoldsItsOwnValue() {
    for (Counter set : Counter.values()) {
      Counters c = Counters.ZERO.with(set, 7);
      for (Counter read : Counter.values()) {
        assertEquals(read == set ? 7 : 0, c.get(read), "set " + set + ", read " + read);
      }
      assertEquals(c, Counters.of(Map.of(set, 7L), Map.of()));
      assertEquals(c.hashCode(), Counters.of(Map.of(set, 7L), Map.of()).hashCode());
      assertNotEquals(Counters.ZERO, c);
    }
    assertEquals(Counters.ZERO, Counters.ZERO.with(Counter.PEERS_HELPED, 7).with(Counter.PEERS_HELPED, 0));
  }

  /** Lessons, passed, perfect, courses and peers: the counters these rows were written for. */
  private static Counters counters(long lessons, long passed, long perfect, long courses, long peers,
                                   Map<String, Long> eventCounts) {
    return Counters.ZERO.with(Counter.LESSONS_COMPLETED, lessons).with(Counter.QUIZZES_PASSED, passed)
        .with(Counter.PERFECT_QUIZZES, perfect).with(Counter.COURSES_COMPLETED, courses)
        .with(Counter.PEERS_HELPED, peers).withEventCounts(eventCounts);
  }

  /** The per-type counts after an event are in type order (the stored learner writes them so) and cannot be changed. */
  @Test
  void eventCountsAfterAnEventAreInTypeOrderAndUnmodifiable() {
    Counters c = Counters.of(Map.of(), Map.of("quiz_completed", 2L, "daily_login", 1L, "peer_helped", 4L));
    c = c.after(event("lesson_completed", null), 60).after(event("course_completed", 95), 60);
    assertEquals(java.util.List.of("course_completed", "daily_login", "lesson_completed", "peer_helped",
        "quiz_completed"), new java.util.ArrayList<>(c.eventCounts().keySet()));
    assertEquals(Map.of("course_completed", 1L, "daily_login", 1L, "lesson_completed", 1L, "peer_helped", 4L,
        "quiz_completed", 2L), c.eventCounts());
    Map<String, Long> counts = c.eventCounts();
    org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> counts.put("x", 1L));
  }
}
