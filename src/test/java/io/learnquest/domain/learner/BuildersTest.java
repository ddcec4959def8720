package io.learnquest.domain.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The builders name what differs and keep everything else. */
class BuildersTest {
  private static final RuleSet RULES = RuleSet.defaults(BadgeCatalog.EMPTY);

  private static Learner someLearner() {
    return Replay.of("ana", List.of(new LearningEvent("e-1", "ana", "lesson_completed",
        Instant.parse("2026-03-01T10:00:00Z"), "Asia/Tokyo", "c-1", "l-1", null, 3, true)), RULES);
  }

  @Test
  void aLearnerRebuiltUnchangedIsEqualAndOneChangeChangesOnlyThat() {
    Learner ana = someLearner();
    assertEquals(ana, ana.toBuilder().build());
    Learner moved = ana.toBuilder().state(ProgressionState.MASTERY).build();
    assertEquals(new Learner(ana.learnerId(), ProgressionState.MASTERY, ana.xp(), ana.level(), ana.timezone(),
        ana.streak(), ana.counters(), ana.lastActivityAt(), ana.badges(), ana.version(), ana.notificationSeq(),
        ana.pace(), ana.boards()), moved);
  }

  @Test
  void aFreshLearnerIsOnboardingWithNothing() {
    Learner fresh = RULES.fresh("bo");
    assertEquals(new Learner("bo", ProgressionState.ONBOARDING, 0, 1, null, RULES.streaks().initial(),
        Counters.ZERO, null, Set.of(), 0, 0), fresh);
  }

  @Test
  void anApplicationNamesOnlyItsEffectsAndAnOutcomeOnlyWhatHappened() {
    Learner ana = someLearner();
    EventApplication sweep = EventApplication.builder(3, ana).build();
    assertNull(sweep.eventId());
    assertNull(sweep.outcome());
    assertTrue(sweep.ledger().isEmpty() && sweep.awards().isEmpty() && sweep.transitions().isEmpty()
        && sweep.notifications().isEmpty() && sweep.boardIncrements().isEmpty() && sweep.flags().isEmpty());
    assertEquals(3, sweep.expectedVersion());
    Outcome outcome = Outcome.processed("e-9", "ana").totalXp(40).build();
    assertEquals(new Outcome("e-9", Outcome.PROCESSED, "ana", List.of(), 40, 1, false, List.of(), List.of(), null,
        false), outcome);
  }
}
