package io.learnquest.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoredEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A drain takes handed-over events only when they are certainly all the learner had pending, in
 * order; in every other case it is told to read the log.
 */
class PendingHintsTest {
  static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
  static final LearnerRef ANA = new LearnerRef("t1", "ana");
  static final LearnerRef BOB = new LearnerRef("t1", "bob");

  /** Event {@code seq} of the learner, appended when {@code previousSeq} was pending before it (0: none). */
  static PendingEvent event(LearnerRef learner, long seq, long previousSeq) {
    LearningEvent event = new LearningEvent("e" + seq, learner.learnerId(), "lesson_completed", T0, null, "c1",
        "lesson-" + seq, null, 2, false);
    return new PendingEvent(new StoredEvent(seq, learner.tenant(), event, T0, null, null), previousSeq);
  }

  static List<Long> seqs(List<StoredEvent> events) {
    return events == null ? null : events.stream().map(StoredEvent::seq).toList();
  }

  @Test
  void aLearnerNeverHeardOfIsReadFromTheLog() {
    assertNull(new PendingHints().next(ANA, 25));
  }

  @Test
  void eventsWithNothingPendingBeforeThemAreTakenInOrderUpToThePage() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 3, 0), event(BOB, 4, 0), event(ANA, 5, 3)));
    hints.add(List.of(event(ANA, 9, 5)));
    assertEquals(List.of(3L, 5L, 9L), seqs(hints.next(ANA, 25)));
    assertEquals(List.of(3L, 5L), seqs(hints.next(ANA, 2)), "a page at most");
    assertEquals(List.of(4L), seqs(hints.next(BOB, 25)));
  }

  @Test
  void theNextEventsFollowTheLastDone() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 3, 0), event(ANA, 5, 3)));
    hints.done(ANA, hints.next(ANA, 25));
    assertEquals(List.of(), hints.next(ANA, 25), "nothing left to do, and no read");
    hints.add(List.of(event(ANA, 8, 5)));
    assertEquals(List.of(8L), seqs(hints.next(ANA, 25)));
    assertEquals(1, hints.held(), "only the one not done is held");
  }

  @Test
  void anEventWhosePredecessorThisNodeNeverSawIsReadFromTheLog() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 7, 6)));
    assertNull(hints.next(ANA, 25), "6 may still be pending: only the log knows");
    hints.done(ANA, List.of(event(ANA, 6, 0).stored(), event(ANA, 7, 6).stored()));
    assertEquals(List.of(), hints.next(ANA, 25), "the read applied both");
  }

  @Test
  void theChainStopsWhereALinkIsMissing() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 3, 0), event(ANA, 5, 3), event(ANA, 9, 8)));
    assertEquals(List.of(3L, 5L), seqs(hints.next(ANA, 25)), "8 was pending before 9, and is not here");
    hints.done(ANA, hints.next(ANA, 25));
    assertNull(hints.next(ANA, 25), "then the log is read");
  }

  @Test
  void aNudgeWithoutEventsMakesTheNextDrainReadTheLogOnce() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 3, 0)));
    hints.readLog(ANA);
    assertNull(hints.next(ANA, 25));
    assertEquals(List.of(3L), seqs(hints.next(ANA, 25)), "the read answered it");
  }

  @Test
  void pastItsRoomTheLearnerIsReadFromTheLog() {
    PendingHints hints = new PendingHints(2, 100, true);
    hints.add(List.of(event(ANA, 1, 0), event(BOB, 2, 0), event(ANA, 3, 1)));
    assertEquals(2, hints.held());
    assertNull(hints.next(ANA, 25), "3 was not held");
    assertEquals(List.of(2L), seqs(hints.next(BOB, 25)));
  }

  @Test
  void anEventBehindWhatWasDoneIsReadFromTheLog() {
    PendingHints hints = new PendingHints();
    hints.done(ANA, List.of(event(ANA, 10, 0).stored()));
    hints.add(List.of(event(ANA, 8, 0)));
    assertEquals(0, hints.held());
    assertNull(hints.next(ANA, 25), "an append that committed late, from another node");
  }

  @Test
  void eventsAReadDidNotFindAreDropped() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 7, 6)));
    Set<Long> before = hints.held(ANA);
    hints.add(List.of(event(ANA, 12, 7)));
    hints.notPending(ANA, before);
    assertEquals(Set.of(12L), hints.held(ANA), "only those held before the read");
    assertEquals(1, hints.held());
  }

  @Test
  void aFailedDrainOrAnErasedTenantForgetsTheLearner() {
    PendingHints hints = new PendingHints();
    hints.add(List.of(event(ANA, 3, 0), event(BOB, 4, 0), event(new LearnerRef("t2", "ana"), 5, 0)));
    hints.forget(ANA);
    assertNull(hints.next(ANA, 25));
    hints.forgetTenant("t1");
    assertNull(hints.next(BOB, 25));
    assertEquals(List.of(5L), seqs(hints.next(new LearnerRef("t2", "ana"), 25)), "another tenant's ana");
    assertEquals(1, hints.held());
  }

  @Test
  void theLeastRecentlyUsedLearnerIsForgottenPastTheBound() {
    PendingHints hints = new PendingHints(100, 2, true);
    hints.add(List.of(event(ANA, 1, 0)));
    hints.add(List.of(event(BOB, 2, 0)));
    hints.add(List.of(event(new LearnerRef("t1", "cy"), 3, 0)));
    assertNull(hints.next(ANA, 25), "forgotten: read from the log");
    assertEquals(2, hints.held());
  }

  /**
   * Kafka mode: a record may come again after its partition moved, of an event another node applied
   * meanwhile, so even an event with nothing pending before it is read from the log until this node
   * has seen the learner's events done; then the next ones are taken as in ingestion's hand-over.
   */
  @Test
  void inKafkaModeAChainMustFollowWhatThisNodeSawDone() {
    PendingHints hints = PendingHints.forKafka();
    hints.add(List.of(event(ANA, 3, 0)));
    assertNull(hints.next(ANA, 25), "3 may be a record read again, applied by the partition's last owner");
    hints.done(ANA, List.of(event(ANA, 3, 0).stored()));
    hints.add(List.of(event(ANA, 5, 0), event(ANA, 6, 5)));
    assertEquals(List.of(5L, 6L), seqs(hints.next(ANA, 25)), "after the read, as over the bus");
    hints.add(List.of(event(ANA, 3, 0)));
    assertEquals(Set.of(5L, 6L), hints.held(ANA), "3 again: at or below what was done");
    assertNull(hints.next(ANA, 25), "and the drain reads the log");
  }

  /** Kafka mode: when this node's partitions move it forgets every learner, and reads each again. */
  @Test
  void afterPartitionsMoveEveryLearnerIsReadFromTheLogAgain() {
    PendingHints hints = PendingHints.forKafka();
    hints.done(ANA, List.of(event(ANA, 3, 0).stored()));
    hints.add(List.of(event(ANA, 5, 0), event(BOB, 6, 0)));
    hints.forgetAll();
    assertEquals(0, hints.held());
    hints.add(List.of(event(ANA, 7, 0)));
    assertNull(hints.next(ANA, 25), "what was done here before the move may not be all that was done");
  }
}
