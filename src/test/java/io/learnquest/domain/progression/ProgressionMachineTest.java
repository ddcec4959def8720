package io.learnquest.domain.progression;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.event.LearningEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Progression": the progression state machine. */
class ProgressionMachineTest {
  private static final ProgressionMachine MACHINE = new ProgressionMachine();
  private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");
  private static final Instant LAST = Instant.parse("2026-11-01T08:30:00Z");

  private static LearningEvent event(String type, Integer score) {
    return new LearningEvent("evt-42", "learner-1", type, AT, null, null, null, score, 2, false);
  }

  private static Counters peersHelped(long peers) {
    return Counters.ZERO.with(Counter.PEERS_HELPED, peers);
  }

  /** Parses "FROM>TO:event FROM>TO:event" (or "none") into the expected transitions. */
  private static List<Transition> expected(String spec, String eventId, Instant at) {
    List<Transition> list = new ArrayList<>();
    if (!spec.equals("none")) {
      for (String step : spec.trim().split("\\s+")) {
        String[] fromRest = step.split(">");
        String[] toEvent = fromRest[1].split(":");
        list.add(new Transition(ProgressionState.valueOf(fromRest[0]), ProgressionState.valueOf(toEvent[0]),
            toEvent[1], eventId, at));
      }
    }
    return list;
  }

  @ParameterizedTest(name = "{0} + {1} (score {2}, peersHelped {3}) -> {4}")
  @CsvSource(delimiter = '|', textBlock = """
      # from     | event            | score | peers | expected transitions
      ONBOARDING | lesson_completed |       | 0     | ONBOARDING>ACTIVE:lesson_completed
      ONBOARDING | quiz_completed   | 100   | 0     | none
      ONBOARDING | course_completed | 95    | 0     | none
      ONBOARDING | peer_helped      |       | 5     | none
      ONBOARDING | daily_login      |       | 0     | none
      ONBOARDING | video_watched    |       | 0     | none
      ACTIVE     | lesson_completed |       | 0     | none
      ACTIVE     | quiz_completed   | 100   | 0     | none
      ACTIVE     | course_completed | 90    | 0     | ACTIVE>MASTERY:course_completed
      ACTIVE     | course_completed | 100   | 0     | ACTIVE>MASTERY:course_completed
      ACTIVE     | course_completed | 89    | 0     | none
      ACTIVE     | course_completed | 0     | 0     | none
      ACTIVE     | peer_helped      |       | 10    | none
      ACTIVE     | daily_login      |       | 0     | none
      AT_RISK    | lesson_completed |       | 0     | AT_RISK>ACTIVE:reactivated
      AT_RISK    | daily_login      |       | 0     | AT_RISK>ACTIVE:reactivated
      AT_RISK    | video_watched    |       | 0     | AT_RISK>ACTIVE:reactivated
      AT_RISK    | quiz_completed   | 20    | 0     | AT_RISK>ACTIVE:reactivated
      AT_RISK    | course_completed | 90    | 0     | AT_RISK>ACTIVE:reactivated ACTIVE>MASTERY:course_completed
      AT_RISK    | course_completed | 89    | 0     | AT_RISK>ACTIVE:reactivated
      AT_RISK    | peer_helped      |       | 7     | AT_RISK>ACTIVE:reactivated
      DORMANT    | lesson_completed |       | 0     | DORMANT>ACTIVE:reactivated
      DORMANT    | daily_login      |       | 0     | DORMANT>ACTIVE:reactivated
      DORMANT    | quiz_completed   | 50    | 0     | DORMANT>ACTIVE:reactivated
      DORMANT    | course_completed | 95    | 0     | DORMANT>ACTIVE:reactivated ACTIVE>MASTERY:course_completed
      DORMANT    | course_completed | 89    | 0     | DORMANT>ACTIVE:reactivated
      DORMANT    | peer_helped      |       | 5     | DORMANT>ACTIVE:reactivated
      MASTERY    | peer_helped      |       | 4     | none
      MASTERY    | peer_helped      |       | 5     | MASTERY>MENTOR:peer_helped
      MASTERY    | peer_helped      |       | 6     | MASTERY>MENTOR:peer_helped
      MASTERY    | peer_helped      |       | 0     | none
      MASTERY    | lesson_completed |       | 9     | none
      MASTERY    | course_completed | 100   | 9     | none
      MASTERY    | daily_login      |       | 9     | none
      MENTOR     | peer_helped      |       | 10    | none
      MENTOR     | lesson_completed |       | 10    | none
      MENTOR     | course_completed | 100   | 10    | none
      MENTOR     | daily_login      |       | 10    | none
      """)
  void onEvent(ProgressionState from, String type, Integer score, long peers, String expected) {
    List<Transition> fired = MACHINE.onEvent(from, event(type, score), peersHelped(peers));
    List<Transition> want = expected(expected, "evt-42", AT);
    assertEquals(want, fired);
    ProgressionState end = want.isEmpty() ? from : want.get(want.size() - 1).to();
    assertEquals(end, ProgressionMachine.finalState(from, fired));
  }

  @Test
  void eventTransitionsCarryTheEventIdAndItsOccurredAt() {
    LearningEvent course = new LearningEvent("course-done-1", "learner-9", "course_completed",
        Instant.parse("2026-05-05T05:05:05Z"), null, null, null, 97, 2, false);
    List<Transition> fired = MACHINE.onEvent(ProgressionState.DORMANT, course, Counters.ZERO);
    assertEquals(List.of(
        new Transition(ProgressionState.DORMANT, ProgressionState.ACTIVE, "reactivated", "course-done-1",
            Instant.parse("2026-05-05T05:05:05Z")),
        new Transition(ProgressionState.ACTIVE, ProgressionState.MASTERY, "course_completed", "course-done-1",
            Instant.parse("2026-05-05T05:05:05Z"))), fired);
  }

  @Test
  void fsmEventNames() {
    assertEquals("reactivated", ProgressionMachine.REACTIVATED);
    assertEquals("inactive_7_days", ProgressionMachine.INACTIVE_7_DAYS);
    assertEquals("inactive_14_days", ProgressionMachine.INACTIVE_14_DAYS);
    assertEquals(Duration.ofDays(7), ProgressionMachine.AT_RISK_AFTER);
    assertEquals(Duration.ofDays(14), ProgressionMachine.DORMANT_AFTER);
  }

  // ---- inactivity ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}, idle {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      # state    | idle for       | expected transitions
      ACTIVE     | PT0S           | none
      ACTIVE     | P6DT23H59M59S  | none
      ACTIVE     | P7D            | ACTIVE>AT_RISK:inactive_7_days
      ACTIVE     | P7DT1S         | ACTIVE>AT_RISK:inactive_7_days
      ACTIVE     | P13DT23H59M59S | ACTIVE>AT_RISK:inactive_7_days
      ACTIVE     | P14D           | ACTIVE>AT_RISK:inactive_7_days AT_RISK>DORMANT:inactive_14_days
      ACTIVE     | P400D          | ACTIVE>AT_RISK:inactive_7_days AT_RISK>DORMANT:inactive_14_days
      ACTIVE     | -P1D           | none
      AT_RISK    | P7D            | none
      AT_RISK    | P13DT23H59M59S | none
      AT_RISK    | P14D           | AT_RISK>DORMANT:inactive_14_days
      AT_RISK    | P30D           | AT_RISK>DORMANT:inactive_14_days
      DORMANT    | P14D           | none
      DORMANT    | P400D          | none
      ONBOARDING | P7D            | none
      ONBOARDING | P400D          | none
      MASTERY    | P7D            | none
      MASTERY    | P400D          | none
      MENTOR     | P7D            | none
      MENTOR     | P400D          | none
      """)
  void inactivity(ProgressionState state, Duration idle, String expected) {
    List<Transition> fired = MACHINE.inactivity(state, LAST, LAST.plus(idle));
    List<Transition> want = new ArrayList<>();
    for (Transition t : expected(expected, null, null)) {
      // stamped with the instant its threshold was crossed, not the instant it was noticed
      Instant at = t.event().equals("inactive_7_days") ? LAST.plus(Duration.ofDays(7)) : LAST.plus(Duration.ofDays(14));
      want.add(new Transition(t.from(), t.to(), t.event(), null, at));
    }
    assertEquals(want, fired);
  }

  @Test
  void inactivityStampsAreLastActivityPlusSevenAndFourteenDays() {
    List<Transition> fired = MACHINE.inactivity(ProgressionState.ACTIVE, LAST, Instant.parse("2027-01-01T00:00:00Z"));
    assertEquals(List.of(
        new Transition(ProgressionState.ACTIVE, ProgressionState.AT_RISK, "inactive_7_days", null,
            Instant.parse("2026-11-08T08:30:00Z")),
        new Transition(ProgressionState.AT_RISK, ProgressionState.DORMANT, "inactive_14_days", null,
            Instant.parse("2026-11-15T08:30:00Z"))), fired);
    assertEquals(ProgressionState.DORMANT, ProgressionMachine.finalState(ProgressionState.ACTIVE, fired));
  }

  @Test
  void inactivityFiresOnceEach() {
    Instant asOf = LAST.plus(Duration.ofDays(8));
    List<Transition> first = MACHINE.inactivity(ProgressionState.ACTIVE, LAST, asOf);
    ProgressionState after = ProgressionMachine.finalState(ProgressionState.ACTIVE, first);
    assertEquals(ProgressionState.AT_RISK, after);
    assertEquals(List.of(), MACHINE.inactivity(after, LAST, asOf));
    assertEquals(List.of(), MACHINE.inactivity(after, LAST, LAST.plus(Duration.ofDays(13))));
  }

  @Test
  void noInactivityBeforeAnyActivity() {
    assertEquals(List.of(), MACHINE.inactivity(ProgressionState.ACTIVE, null, AT));
    assertEquals(List.of(), MACHINE.inactivity(ProgressionState.ONBOARDING, null, AT));
  }

  @Test
  void finalState() {
    assertEquals(ProgressionState.MENTOR, ProgressionMachine.finalState(ProgressionState.MENTOR, List.of()));
    assertEquals(ProgressionState.MASTERY, ProgressionMachine.finalState(ProgressionState.DORMANT, List.of(
        new Transition(ProgressionState.DORMANT, ProgressionState.ACTIVE, "reactivated", "e", AT),
        new Transition(ProgressionState.ACTIVE, ProgressionState.MASTERY, "course_completed", "e", AT))));
  }

  @Test
  void aWholeLifeThroughTheMachine() {
    ProgressionState s = ProgressionState.ONBOARDING;
    s = ProgressionMachine.finalState(s, MACHINE.onEvent(s, event("lesson_completed", null), Counters.ZERO));
    assertEquals(ProgressionState.ACTIVE, s);
    s = ProgressionMachine.finalState(s, MACHINE.inactivity(s, LAST, LAST.plus(Duration.ofDays(9))));
    assertEquals(ProgressionState.AT_RISK, s);
    s = ProgressionMachine.finalState(s, MACHINE.onEvent(s, event("course_completed", 92), Counters.ZERO));
    assertEquals(ProgressionState.MASTERY, s);
    s = ProgressionMachine.finalState(s, MACHINE.inactivity(s, LAST, LAST.plus(Duration.ofDays(100))));
    assertEquals(ProgressionState.MASTERY, s);
    s = ProgressionMachine.finalState(s, MACHINE.onEvent(s, event("peer_helped", null), peersHelped(4)));
    assertEquals(ProgressionState.MASTERY, s);
    s = ProgressionMachine.finalState(s, MACHINE.onEvent(s, event("peer_helped", null), peersHelped(5)));
    assertEquals(ProgressionState.MENTOR, s);
    s = ProgressionMachine.finalState(s, MACHINE.inactivity(s, LAST, LAST.plus(Duration.ofDays(100))));
    assertEquals(ProgressionState.MENTOR, s);
  }
}
