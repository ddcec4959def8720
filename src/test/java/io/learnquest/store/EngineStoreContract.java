package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.learner.VoidApplication;
import io.learnquest.domain.learner.VoidRecord;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.streak.StreakState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every adapter of {@link EventLog} and {@link LearnerStore} must do. A subclass supplies
 * fresh, empty stores; the same assertions then hold for memory and for every durable backend.
 */
public abstract class EngineStoreContract {
  protected static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  /** The tenant the contract writes to (not the default one, so nothing may rely on it). */
  protected static final String T = "tenant-a";

  protected abstract EventLog events();

  protected abstract LearnerStore learners();

  /** The history a learner keeps, as the adapter under test was configured. */
  protected abstract int notificationHistory();

  /** The learners of the contract's tenant among {@code refs}, by learnerId. */
  static List<String> ids(List<LearnerRef> refs) {
    refs.forEach(r -> assertEquals(T, r.tenant(), "a learner of another tenant"));
    return refs.stream().map(LearnerRef::learnerId).toList();
  }

  static LearningEvent lesson(String eventId, String learnerId) {
    return new LearningEvent(eventId, learnerId, "lesson_completed", T0, null, "c1", "obj-" + eventId, null, 2,
        false);
  }

  @Test
  void appendAcceptsAnEventIdOnceAndKeepsInputOrder() {
    List<AppendResult> first = await(events().append(T, List.of(lesson("a", "ana"), lesson("b", "ana"),
        lesson("a", "ana")), null));
    assertEquals(List.of("a", "b", "a"), first.stream().map(AppendResult::eventId).toList());
    assertEquals(List.of(true, true, false), first.stream().map(AppendResult::accepted).toList());
    List<AppendResult> again = await(events().append(T, List.of(lesson("b", "ana")), null));
    assertFalse(again.get(0).accepted());
    assertEquals("b", again.get(0).existing().event().eventId());
  }

  @Test
  void pendingIsInAcceptanceOrderPerLearner() {
    await(events().append(T, List.of(lesson("x3", "ana"), lesson("x1", "bob"), lesson("x2", "ana")), "reply.here"));
    List<StoredEvent> pending = await(events().pending(T, "ana", 10));
    assertEquals(List.of("x3", "x2"), pending.stream().map(s -> s.event().eventId()).toList());
    assertTrue(pending.get(0).seq() < pending.get(1).seq());
    assertEquals("reply.here", pending.get(0).replyTo());
    assertEquals(Set.of("ana", "bob"), Set.copyOf(ids(await(events().learnersWithPending(null, 10)))));
    assertEquals(1, await(events().pending(T, "ana", 1)).size());
  }

  @Test
  void eachNewEventIsAnsweredAsItIsPendingWithTheLearnersEventPendingBeforeIt() {
    List<AppendResult> first = await(events().append(T, List.of(lesson("p1", "ana"), lesson("p2", "bob"),
        lesson("p3", "ana"), lesson("p1", "ana")), "reply.here"));
    assertNull(first.get(3).pending(), "a duplicate is not pending again");
    List<StoredEvent> pendingOfAna = await(events().pending(T, "ana", 10));
    assertEquals(pendingOfAna, List.of(first.get(0).pending().stored(), first.get(2).pending().stored()),
        "the event as the log holds it: seq, tenant, event, acceptance time, replyTo");
    assertEquals(0, first.get(0).pending().previousSeq(), "nothing of ana was pending");
    assertEquals(0, first.get(1).pending().previousSeq(), "nor of bob");
    assertEquals(first.get(0).pending().stored().seq(), first.get(2).pending().previousSeq(),
        "the one before it in the same append");

    List<AppendResult> next = await(events().append(T, List.of(lesson("p4", "ana")), null));
    assertEquals(first.get(2).pending().stored().seq(), next.get(0).pending().previousSeq(),
        "the last one pending from an earlier append");

    await(learners().commitChain(T, List.of(application("p1", 0, learner("ana", 1, 52), 52),
        application("p3", 1, learner("ana", 2, 104), 104), application("p4", 2, learner("ana", 3, 156), 156))));
    assertEquals(0, await(events().append(T, List.of(lesson("p5", "ana")), null)).get(0).pending().previousSeq(),
        "applied events are not pending");
  }

  @Test
  void pendingCountIsTheBacklogOfEveryLearner() {
    assertEquals(0L, await(events().pendingCount()));
    await(events().append(T, List.of(lesson("c1", "ana"), lesson("c2", "bob"), lesson("c3", "ana"), lesson("c1", "ana")),
        null));
    assertEquals(3L, await(events().pendingCount()), "a duplicate adds nothing");
    await(learners().commit(T, application("c1", 0, learner("ana", 1, 52), 52)));
    assertEquals(2L, await(events().pendingCount()), "an applied event leaves the backlog");
  }

  @Test
  void pendingCountCountsAcceptedButUnappliedEventsUpToTheBoundAsked() {
    assertEquals(0L, await(events().pendingCount(100)));
    await(events().append(T, List.of(lesson("c1", "ana"), lesson("c2", "bob"), lesson("c3", "ana"), lesson("c1", "ana")),
        null));
    assertEquals(3L, await(events().pendingCount(100)), "a duplicate is not pending twice");
    assertEquals(2L, await(events().pendingCount(2)), "counted up to the bound asked");
    await(learners().commit(T, application("c2", 0, learner("bob", 1, 52), 52)));
    assertEquals(2L, await(events().pendingCount(100)), "an applied event is no longer pending");
  }

  @Test
  void learnersWithPendingCanBeLimitedToThoseWaitingSinceBeforeAnInstant() {
    await(events().append(T, List.of(lesson("w1", "ana")), null));
    java.time.Instant acceptedAt = await(events().pending(T, "ana", 1)).get(0).acceptedAt();
    assertEquals(List.of(), await(events().learnersWithPending(acceptedAt, 10)), "accepted at, not before");
    assertEquals(List.of(), await(events().learnersWithPending(acceptedAt.minusSeconds(1), 10)));
    assertEquals(List.of("ana"), ids(await(events().learnersWithPending(acceptedAt.plusMillis(1), 10))));
  }

  @Test
  void commitAppliesEverythingAndClearsPending() {
    await(events().append(T, List.of(lesson("e1", "ana")), null));
    Learner after = learner("ana", 1, 52);
    EventApplication app = application("e1", 0, after, 52);
    await(learners().commit(T, app));
    assertEquals(Map.of("global/all-time", 52L, "global/2026-W48", 52L),
        await(learners().boardTotalsOf(T, "ana", List.of("global/all-time", "global/2026-W48"))),
        "the boards' totals are the learner's, committed with it");

    assertEquals(after, await(learners().learner(T, "ana")).orElseThrow());
    assertTrue(await(learners().hasEarned(T, "ana", "lesson_completed", "obj-e1")));
    assertFalse(await(learners().hasEarned(T, "ana", "lesson_completed", "other")));
    assertEquals(List.of(), await(events().pending(T, "ana", 10)));
    assertEquals(List.of(), await(events().learnersWithPending(null, 10)));
    StoredEvent stored = await(events().event(T, "e1")).orElseThrow();
    assertTrue(stored.applied());
    assertEquals(52, stored.outcome().totalXp());
    assertEquals(1, await(learners().ledger(T, "ana", 10)).size());
    assertEquals(List.of("first_lesson"), await(learners().badges(T, "ana")).stream().map(BadgeAward::badgeId).toList());
    assertEquals(1, await(learners().transitions(T, "ana")).size());
    assertEquals(List.of(1L, 2L), await(learners().notificationsAfter(T, "ana", 0, 10)).stream()
        .map(Notification::seq).toList());
    assertEquals(List.of(2L), await(learners().notificationsAfter(T, "ana", 1, 10)).stream()
        .map(Notification::seq).toList());
  }

  @Test
  void aLearnersEarnedObjectsAreReadWholeOrNotAtAll() {
    assertEquals(Optional.of(List.of()), await(learners().earnedObjects(T, "ana", 5)), "no learner, nothing earned");
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "ben")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    await(learners().commit(T, application("e2", 1, learner("ana", 2, 104), 52)));
    await(learners().commit(T, application("e3", 0, learner("ben", 1, 52), 52)));

    Set<EventApplication.EarnedObject> both = Set.of(new EventApplication.EarnedObject("lesson_completed", "obj-e1"),
        new EventApplication.EarnedObject("lesson_completed", "obj-e2"));
    assertEquals(both, Set.copyOf(await(learners().earnedObjects(T, "ana", 2)).orElseThrow()), "as many as allowed");
    assertEquals(both, Set.copyOf(await(learners().earnedObjects(T, "ana", 100)).orElseThrow()));
    assertEquals(Optional.empty(), await(learners().earnedObjects(T, "ana", 1)), "more than allowed: not a part");
    assertEquals(List.of(new EventApplication.EarnedObject("lesson_completed", "obj-e3")),
        await(learners().earnedObjects(T, "ben", 2)).orElseThrow(), "each learner their own");
    assertEquals(Optional.of(List.of()), await(learners().earnedObjects("tenant-b", "ana", 5)),
        "the same learnerId in another tenant is another learner");
    // Many learners at once (a durable adapter reads them together): each answer is its own.
    List<Future<Optional<List<EventApplication.EarnedObject>>>> asked = List.of(
        learners().earnedObjects(T, "ana", 1), learners().earnedObjects(T, "ben", 1),
        learners().earnedObjects(T, "ana", 2), learners().earnedObjects(T, "cy", 2));
    assertEquals(Optional.empty(), await(asked.get(0)));
    assertEquals(1, await(asked.get(1)).orElseThrow().size());
    assertEquals(both, Set.copyOf(await(asked.get(2)).orElseThrow()));
    assertEquals(Optional.of(List.of()), await(asked.get(3)));
  }

  @Test
  void aCommitRecordsItsFlagsAndTheLearnersPaceComesBack() {
    await(events().append(T, List.of(lesson("f1", "ana"), lesson("f2", "ben"), lesson("f3", "ana")), null));
    Pace pace = Pace.EMPTY.with("lesson_completed", T0);
    Learner ana = learner("ana", 1, 52);
    ana = new Learner(ana.learnerId(), ana.state(), ana.xp(), ana.level(), ana.timezone(), ana.streak(),
        ana.counters(), ana.lastActivityAt(), ana.badges(), ana.version(), ana.notificationSeq(), pace);
    await(learners().commit(T, flagged(application("f1", 0, ana, 52), new Flag("self_help", "helped themself", T0))));
    await(learners().commit(T, flagged(application("f2", 0, learner("ben", 1, 52), 52),
        new Flag("velocity", "too fast", T0.plusSeconds(1)))));
    Learner ana2 = new Learner("ana", ana.state(), 104, ana.level(), ana.timezone(), ana.streak(), ana.counters(),
        ana.lastActivityAt(), ana.badges(), 2, ana.notificationSeq() + 2, pace);
    await(learners().commit(T, flagged(application("f3", 1, ana2, 52), new Flag("velocity", "again", T0.plusSeconds(2)))));

    assertEquals(pace, await(learners().learner(T, "ana")).orElseThrow().pace());
    List<FlagEntry> anas = await(learners().flags(T, "ana", 10));
    assertEquals(List.of("f3", "f1"), anas.stream().map(FlagEntry::eventId).toList(), "newest first");
    assertEquals(new FlagEntry(anas.get(1).flagId(), "ana", "f1", "self_help", "helped themself", T0), anas.get(1));
    assertEquals(1, await(learners().flags(T, "ana", 1)).size());

    List<FlagEntry> first = await(learners().flagsAfter(T, 0, 2));
    assertEquals(List.of("f1", "f2"), first.stream().map(FlagEntry::eventId).toList(), "oldest first");
    List<FlagEntry> rest = await(learners().flagsAfter(T, first.get(1).flagId(), 2));
    assertEquals(List.of("f3"), rest.stream().map(FlagEntry::eventId).toList());
    assertEquals(List.of(), await(learners().flagsAfter(T, rest.get(0).flagId(), 2)));
  }

  private static EventApplication flagged(EventApplication a, Flag flag) {
    return new EventApplication(a.eventId(), a.expectedVersion(), a.after(), a.ledger(), a.earnedObject(), a.awards(),
        a.transitions(), a.notifications(), a.boardIncrements(), a.outcome(), List.of(flag));
  }

  @Test
  void boardTotalsAccumulateAcrossCommits() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "bob")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    await(learners().commit(T, application("e2", 1, learner("ana", 2, 104), 52)));
    await(learners().commit(T, application("e3", 0, learner("bob", 1, 52), 52)));
    List<BoardTotal> totals = await(learners().boardTotals(T, null, 100)).totals();
    assertEquals(Set.of(new BoardTotal("global/all-time", "ana", 104), new BoardTotal("global/all-time", "bob", 52),
        new BoardTotal("global/2026-W48", "ana", 104), new BoardTotal("global/2026-W48", "bob", 52)),
        Set.copyOf(totals));
  }

  @Test
  void aLearnersTotalsOnBoardsAreReadAsCommitted() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "bob")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    await(learners().commit(T, application("e2", 1, learner("ana", 2, 104), 52)));
    await(learners().commit(T, application("e3", 0, learner("bob", 1, 52), 52)));
    assertEquals(Map.of("global/all-time", 104L, "global/2026-W48", 104L),
        await(learners().boardTotalsOf(T, "ana", List.of("global/all-time", "global/2026-W48"))));
    assertEquals(Map.of("global/all-time", 52L),
        await(learners().boardTotalsOf(T, "bob", List.of("global/all-time", "course/c9/all-time"))),
        "a board without the learner's total is left out");
    assertEquals(Map.of(), await(learners().boardTotalsOf("other-tenant", "ana", List.of("global/all-time"))));
    assertEquals(Map.of(), await(learners().boardTotalsOf(T, "ana", List.of())));
  }

  /**
   * The rebuild reads the totals a page of learners at a time: the pages must make up the whole, each
   * total once, each learner's together; a learner without totals is not read.
   */
  @Test
  void boardTotalsReadPageAfterPageAreTheWholeInOrder() {
    List<String> names = List.of("eli", "ana", "dee", "bob", "cy");
    await(events().append(T, names.stream().map(n -> lesson("p-" + n, n)).toList(), null));
    await(events().append(T, List.of(lesson("p-zed", "zed")), null));
    Set<BoardTotal> expected = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      await(learners().commit(T, application("p-" + name, 0, learner(name, 1, 10 + i), 10 + i)));
      expected.add(new BoardTotal("global/all-time", name, 10 + i));
      expected.add(new BoardTotal("global/2026-W48", name, 10 + i));
    }
    await(learners().commit(T, application("p-zed", 0, learner("zed", 1, 0), 0)));
    BoardTotalPage all = await(learners().boardTotals(T, null, 100));
    List<BoardTotal> whole = all.totals();
    assertNull(all.next(), "one page holds them all");
    assertEquals(names.size(), all.learners());
    assertEquals(expected, Set.copyOf(whole));
    assertEquals(expected.size(), whole.size(), "each total once");
    assertEquals(names.size() - 1, IntStream.range(1, whole.size())
        .filter(i -> !whole.get(i).learnerId().equals(whole.get(i - 1).learnerId())).count(),
        "a learner's totals together");

    // pages of 2 learners over 5: 2, 2, 1 learners, each with both of its totals
    List<BoardTotal> paged = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    List<Integer> learnersRead = new ArrayList<>();
    BoardTotalPage page = await(learners().boardTotals(T, null, 2));
    while (true) {
      sizes.add(page.totals().size());
      learnersRead.add(page.learners());
      paged.addAll(page.totals());
      if (page.next() == null) {
        break;
      }
      assertEquals(page.totals().get(page.totals().size() - 1).learnerId(), page.next(), "a page ends at a learner");
      page = await(learners().boardTotals(T, page.next(), 2));
    }
    assertEquals(List.of(4, 4, 2), sizes);
    assertEquals(List.of(2, 2, 1), learnersRead, "each page says how many learners it read");
    assertEquals(whole, paged, "the pages, one after another, are the whole in the same order");
    assertEquals(names.size(), await(learners().boardLearnerCount(T)), "the count is the learners the pages hold");
    assertEquals(Map.of(), await(learners().boardTotalsOf(T, "zed", List.of("global/all-time"))));
  }

  /** A learner's consecutive applications committed as one: as if committed one after the other. */
  @Test
  void aChainCommitsConsecutiveApplicationsOfOneLearner() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "ana")), null));
    await(learners().commitChain(T, List.of(application("e1", 0, learner("ana", 1, 52), 52),
        application("e2", 1, learner("ana", 2, 104), 52))));
    assertEquals(Map.of("global/all-time", 104L, "global/2026-W48", 104L),
        await(learners().boardTotalsOf(T, "ana", List.of("global/all-time", "global/2026-W48"))));
    assertEquals(learner("ana", 2, 104), await(learners().learner(T, "ana")).orElseThrow());
    assertTrue(await(events().event(T, "e1")).orElseThrow().applied());
    assertEquals(104, await(events().event(T, "e2")).orElseThrow().outcome().totalXp());
    assertEquals(List.of("e3"), await(events().pending(T, "ana", 10)).stream().map(s -> s.event().eventId()).toList());
    assertEquals(List.of(52L, 52L), await(learners().ledger(T, "ana", 10)).stream().map(LedgerEntry::xp).toList());
    assertTrue(await(learners().hasEarned(T, "ana", "lesson_completed", "obj-e2")));
    assertEquals(List.of(1L, 2L, 3L, 4L), await(learners().notificationsAfter(T, "ana", 0, 10)).stream()
        .map(Notification::seq).toList());
    assertEquals(List.of("first_lesson"), await(learners().badges(T, "ana")).stream().map(BadgeAward::badgeId).toList());
    // and the next one goes on from where the chain left the learner
    await(learners().commit(T, application("e3", 2, learner("ana", 3, 156), 52)));
    assertEquals(Map.of("global/all-time", 156L), await(learners().boardTotalsOf(T, "ana", List.of("global/all-time"))));
  }

  @Test
  void aChainFromAStaleVersionChangesNothing() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    assertConflict(learners().commitChain(T, List.of(application("e2", 0, learner("ana", 1, 999), 999),
        application("e3", 1, learner("ana", 2, 1998), 999))), "the chain starts from a version the learner left");
    assertEquals(List.of("e2", "e3"), await(events().pending(T, "ana", 10)).stream().map(s -> s.event().eventId()).toList());
    assertEquals(52, await(learners().learner(T, "ana")).orElseThrow().xp());
  }

  @Test
  void commitWithAStaleVersionChangesNothing() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    EventApplication stale = application("e2", 0, learner("ana", 1, 999), 999);
    assertConflict(stale);
    assertEquals(52, await(learners().learner(T, "ana")).orElseThrow().xp());
    assertEquals(1, await(learners().ledger(T, "ana", 10)).size());
    assertEquals(1, await(events().pending(T, "ana", 10)).size());
  }

  @Test
  void anEventIsAppliedAtMostOnce() {
    await(events().append(T, List.of(lesson("e1", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    assertConflict(application("e1", 1, learner("ana", 2, 104), 52));
    assertEquals(52, await(learners().learner(T, "ana")).orElseThrow().xp());
    assertEquals(List.of(52L), await(learners().ledger(T, "ana", 10)).stream().map(LedgerEntry::xp).toList());
  }

  @Test
  void aQuarantinedEventLeavesItsLearnersLineUntilRequeued() {
    await(events().append(T, List.of(lesson("q1", "ana"), lesson("q2", "ana"), lesson("q3", "bob")), null));
    assertTrue(await(events().quarantine(T, "q1", "store_refused: out of range", 3)));
    assertEquals(List.of("q2"), await(events().pending(T, "ana", 10)).stream().map(s -> s.event().eventId()).toList());
    List<QuarantinedEvent> listed = await(events().quarantined(T, 10));
    assertEquals(1, listed.size());
    QuarantinedEvent q = listed.get(0);
    assertEquals(List.of("q1", "ana", "store_refused: out of range", 3),
        List.of(q.eventId(), q.learnerId(), q.reason(), q.attempts()));
    assertTrue(q.at() != null && q.seq() > 0);
    assertEquals(List.of("quarantined:q1:store_refused: out of range"), await(learners().flags(T, "ana", 10)).stream()
        .map(f -> f.rule() + ":" + f.eventId() + ":" + f.detail()).toList(), "a flag on the learner");
    assertEquals(1L, await(events().quarantinedCount()));
    assertFalse(await(events().event(T, "q1")).orElseThrow().applied());
    assertConflict(application("q1", 0, learner("ana", 1, 52), 52));
    assertFalse(await(events().quarantine(T, "q1", "again", 1)), "only a pending event is moved aside");

    // Back in line, first again: it was accepted first.
    assertEquals("ana", await(events().requeue(T, "q1")).orElseThrow().learnerId());
    assertEquals(List.of("q1", "q2"), await(events().pending(T, "ana", 10)).stream().map(s -> s.event().eventId())
        .toList());
    assertEquals(List.of(), await(events().quarantined(T, 10)));
    assertEquals(0L, await(events().quarantinedCount()));
    assertTrue(await(events().requeue(T, "q1")).isEmpty());
    await(learners().commit(T, application("q1", 0, learner("ana", 1, 52), 52)));
    assertTrue(await(events().event(T, "q1")).orElseThrow().applied());
  }

  @Test
  void aDiscardedEventIsNeitherPendingNorListedAndItsIdStaysTaken() {
    await(events().append(T, List.of(lesson("v1", "ana"), lesson("v2", "ana")), null));
    await(events().quarantine(T, "v1", "refused", 2));
    assertEquals("v1", await(events().discard(T, "v1")).orElseThrow().eventId());
    assertTrue(await(events().discard(T, "v1")).isEmpty());
    assertTrue(await(events().requeue(T, "v1")).isEmpty());
    assertEquals(List.of(), await(events().quarantined(T, 10)));
    assertEquals(0L, await(events().quarantinedCount()));
    assertEquals(List.of("v2"), await(events().pending(T, "ana", 10)).stream().map(s -> s.event().eventId()).toList());
    assertFalse(await(events().append(T, List.of(lesson("v1", "ana")), null)).get(0).accepted());
    assertConflict(application("v1", 0, learner("ana", 1, 52), 52));
    assertTrue(await(events().discard(T, "v2")).isEmpty(), "a pending event is not in the quarantine");
  }

  @Test
  void quarantineOfAnAppliedOrUnknownEventChangesNothing() {
    await(events().append(T, List.of(lesson("a1", "ana")), null));
    await(learners().commit(T, application("a1", 0, learner("ana", 1, 52), 52)));
    assertFalse(await(events().quarantine(T, "a1", "late", 3)));
    assertFalse(await(events().quarantine(T, "never", "unknown", 3)));
    assertEquals(0L, await(events().quarantinedCount()));
  }

  @Test
  void commitOfAnUnknownEventIsRefused() {
    assertConflict(application("never-accepted", 0, learner("ana", 1, 52), 52));
    assertTrue(await(learners().learner(T, "ana")).isEmpty());
  }

  @Test
  void aBadgeIsKeptOnceEvenIfAwardedTwice() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    await(learners().commit(T, application("e2", 1, learner("ana", 2, 104), 52)));
    List<BadgeAward> badges = await(learners().badges(T, "ana"));
    assertEquals(1, badges.size());
    assertEquals("e1", badges.get(0).eventId());
  }

  @Test
  void ledgerIsNewestFirstAndLimited() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    await(learners().commit(T, application("e2", 1, learner("ana", 2, 104), 52)));
    await(learners().commit(T, application("e3", 2, learner("ana", 3, 156), 52)));
    assertEquals(List.of("e3", "e2"), await(learners().ledger(T, "ana", 2)).stream().map(LedgerEntry::eventId).toList());
  }

  /** Pages follow one another by cursor to the oldest line, and stay put while newer lines arrive. */
  @Test
  void ledgerPagesReadTheWholeTrailByCursor() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "ana"),
        lesson("e4", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    await(learners().commit(T, application("e2", 1, learner("ana", 2, 104), 52)));
    await(learners().commit(T, application("e3", 2, learner("ana", 3, 156), 52)));
    LedgerPage first = await(learners().ledgerPage(T, "ana", null, 2));
    assertEquals(List.of("e3", "e2"), first.entries().stream().map(LedgerEntry::eventId).toList());
    assertNotNull(first.next());
    // a newer line arrives between two pages: the second page goes on where the first stopped
    await(learners().commit(T, application("e4", 3, learner("ana", 4, 208), 52)));
    LedgerPage second = await(learners().ledgerPage(T, "ana", first.next(), 2));
    assertEquals(List.of("e1"), second.entries().stream().map(LedgerEntry::eventId).toList());
    assertNull(second.next(), "nothing older than e1");
    LedgerPage exact = await(learners().ledgerPage(T, "ana", null, 4));
    assertEquals(List.of("e4", "e3", "e2", "e1"), exact.entries().stream().map(LedgerEntry::eventId).toList());
    assertNull(exact.next(), "a page that ends on the oldest line is the last");
    assertEquals(List.of(), await(learners().ledgerPage(T, "nobody", null, 2)).entries());
  }

  @Test
  void notificationHistoryIsBounded() {
    int keep = notificationHistory();
    int events = keep / 2 + 2;
    List<LearningEvent> batch = new java.util.ArrayList<>();
    for (int i = 0; i < events; i++) {
      batch.add(lesson("n" + i, "ana"));
    }
    await(events().append(T, batch, null));
    for (int i = 0; i < events; i++) {
      Learner after = new Learner("ana", ProgressionState.ACTIVE, 52L * (i + 1), 1, null,
          new StreakState(1, 1, 2, LocalDate.of(2026, 11, 27)), Counters.ZERO, T0, Set.of(), i + 1, 2L * (i + 1));
      await(learners().commit(T, application("n" + i, i, after, 52)));
    }
    List<Notification> kept = await(learners().notificationsAfter(T, "ana", 0, 10_000));
    assertEquals(keep, kept.size());
    assertEquals(2L * events, kept.get(kept.size() - 1).seq());
    assertEquals(2L * events - keep + 1, kept.get(0).seq());
  }

  /**
   * Chains of three events, six notifications a commit: the line the history keeps falls inside a
   * commit's notifications, and a read from inside one, with a small limit, takes only what it asks.
   */
  @Test
  void notificationHistoryIsExactWhenTheLineFallsInsideACommit() {
    int keep = notificationHistory();
    int chains = keep / 6 + 2;
    int events = 3 * chains;
    List<LearningEvent> batch = new java.util.ArrayList<>();
    for (int i = 0; i < events; i++) {
      batch.add(lesson("c" + i, "ana"));
    }
    await(events().append(T, batch, null));
    for (int c = 0; c < chains; c++) {
      List<EventApplication> chain = new java.util.ArrayList<>();
      for (int i = 3 * c; i < 3 * c + 3; i++) {
        Learner after = new Learner("ana", ProgressionState.ACTIVE, 52L * (i + 1), 1, null,
            new StreakState(1, 1, 2, LocalDate.of(2026, 11, 27)), Counters.ZERO, T0, Set.of(), i + 1, 2L * (i + 1));
        chain.add(application("c" + i, i, after, 52));
      }
      await(learners().commitChain(T, chain));
    }
    long newest = 2L * events;
    List<Long> kept = await(learners().notificationsAfter(T, "ana", 0, 10_000)).stream().map(Notification::seq)
        .toList();
    assertEquals(java.util.stream.LongStream.rangeClosed(newest - keep + 1, newest).boxed().toList(), kept);
    assertEquals(List.of(newest - 3, newest - 2), await(learners().notificationsAfter(T, "ana", newest - 4, 2))
        .stream().map(Notification::seq).toList());
    assertEquals(List.of(), await(learners().notificationsAfter(T, "ana", newest, 10)));
  }

  @Test
  void idleLearnersAreActiveOrAtRiskPastTheirThreshold() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "bob"), lesson("e3", "cy")), null));
    await(learners().commit(T, application("e1", 0, withState(learner("ana", 1, 52), ProgressionState.ACTIVE,
        T0.minus(Duration.ofDays(8))), 52)));
    await(learners().commit(T, application("e2", 0, withState(learner("bob", 1, 52), ProgressionState.AT_RISK,
        T0.minus(Duration.ofDays(8))), 52)));
    await(learners().commit(T, application("e3", 0, withState(learner("cy", 1, 52), ProgressionState.MASTERY,
        T0.minus(Duration.ofDays(30))), 52)));
    List<String> idle = ids(await(learners().idleLearners(null, T0.minus(Duration.ofDays(7)), T0.minus(Duration.ofDays(14)),
        100)));
    assertEquals(List.of("ana"), idle);
  }

  /** A tenant's own sweep finds its idle learners only; the periodic one (no tenant) finds every tenant's. */
  @Test
  void idleLearnersOfOneTenantLeaveTheOthersOut() {
    String other = "tenant-b";
    await(events().append(T, List.of(lesson("e1", "ana")), null));
    await(events().append(other, List.of(lesson("e1", "ana")), null));
    await(learners().commit(T, application("e1", 0, withState(learner("ana", 1, 52), ProgressionState.ACTIVE,
        T0.minus(Duration.ofDays(8))), 52)));
    await(learners().commit(other, application("e1", 0, withState(learner("ana", 1, 52), ProgressionState.ACTIVE,
        T0.minus(Duration.ofDays(8))), 52)));
    Instant weekAgo = T0.minus(Duration.ofDays(7));
    Instant twoWeeksAgo = T0.minus(Duration.ofDays(14));
    assertEquals(List.of(new LearnerRef(T, "ana")), await(learners().idleLearners(T, weekAgo, twoWeeksAgo, 100)));
    assertEquals(List.of(new LearnerRef(other, "ana")),
        await(learners().idleLearners(other, weekAgo, twoWeeksAgo, 100)));
    assertEquals(Set.of(new LearnerRef(T, "ana"), new LearnerRef(other, "ana")),
        Set.copyOf(await(learners().idleLearners(null, weekAgo, twoWeeksAgo, 100))));
  }

  /**
   * Whatever a store keeps to find idle learners fast, it follows the latest activity: a learner
   * active again is not idle, one whose every update lies past the threshold is, and a learner
   * passed over by one sweep is found by a later one once idle.
   */
  @Test
  void idleLearnersFollowTheLatestActivityAcrossUpdates() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("e3", "bob"), lesson("e4", "bob")),
        null));
    ProgressionState active = ProgressionState.ACTIVE;
    await(learners().commit(T, application("e1", 0, withState(learner("ana", 1, 52), active, T0.minus(Duration.ofDays(20))),
        52)));
    await(learners().commit(T, application("e2", 1, withState(learner("ana", 2, 104), active, T0.minus(Duration.ofDays(1))),
        52)));
    await(learners().commit(T, application("e3", 0, withState(learner("bob", 1, 52), active, T0.minus(Duration.ofDays(20))),
        52)));
    await(learners().commit(T, application("e4", 1, withState(learner("bob", 2, 104), active, T0.minus(Duration.ofDays(10))),
        52)));
    Instant weekAgo = T0.minus(Duration.ofDays(7));
    Instant twoWeeksAgo = T0.minus(Duration.ofDays(14));
    assertEquals(List.of("bob"), ids(await(learners().idleLearners(null, weekAgo, twoWeeksAgo, 100))));
    assertEquals(List.of("bob"), ids(await(learners().idleLearners(null, weekAgo, twoWeeksAgo, 100))));
    Instant eightDaysOn = T0.plus(Duration.ofDays(8));
    assertEquals(List.of("ana", "bob"), ids(await(learners().idleLearners(null, eightDaysOn.minus(Duration.ofDays(7)),
        eightDaysOn.minus(Duration.ofDays(14)), 100))).stream().sorted().toList());
  }

  @Test
  void aSweepCommitHasNoEvent() {
    await(events().append(T, List.of(lesson("e1", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    Learner atRisk = withState(learner("ana", 2, 52), ProgressionState.AT_RISK, T0);
    Transition t = new Transition(ProgressionState.ACTIVE, ProgressionState.AT_RISK, "inactive_7_days", null,
        T0.plus(Duration.ofDays(7)));
    await(learners().commit(T, new EventApplication(null, 1, atRisk, List.of(), null, List.of(), List.of(t), List.of(),
        Map.of(), null)));
    assertEquals(ProgressionState.AT_RISK, await(learners().learner(T, "ana")).orElseThrow().state());
    List<Transition> transitions = await(learners().transitions(T, "ana"));
    assertEquals(2, transitions.size());
    assertNull(transitions.get(1).eventId());
  }

  /**
   * Two tenants with the same learnerIds and eventIds: each is its own learner and its own event,
   * and nothing one tenant writes shows in, or changes, the other; erasing one leaves the other whole.
   */
  @Test
  void tenantsKeepTheSameIdsApartAndAreErasedAlone() {
    String other = "tenant-b";
    assertTrue(await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana")), null)).get(0).accepted());
    assertTrue(await(events().append(other, List.of(lesson("e1", "ana")), "reply.b")).get(0).accepted(),
        "an eventId is unique within its tenant only");
    assertFalse(await(events().append(other, List.of(lesson("e1", "ana")), null)).get(0).accepted());
    assertEquals(List.of("e1", "e2"), await(events().pending(T, "ana", 10)).stream().map(e -> e.event().eventId())
        .toList());
    List<StoredEvent> otherPending = await(events().pending(other, "ana", 10));
    assertEquals(List.of("e1"), otherPending.stream().map(e -> e.event().eventId()).toList());
    assertEquals(other, otherPending.get(0).tenant());
    assertEquals("reply.b", otherPending.get(0).replyTo());
    assertEquals(Set.of(new LearnerRef(T, "ana"), new LearnerRef(other, "ana")),
        Set.copyOf(await(events().learnersWithPending(null, 10))));

    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    assertTrue(await(events().event(T, "e1")).orElseThrow().applied());
    assertFalse(await(events().event(other, "e1")).orElseThrow().applied(), "the other tenant's e1 still waits");
    assertTrue(await(learners().learner(other, "ana")).isEmpty());
    assertEquals(List.of(), await(learners().ledger(other, "ana", 10)));
    assertEquals(List.of(), await(learners().badges(other, "ana")));
    assertEquals(List.of(), await(learners().transitions(other, "ana")));
    assertEquals(List.of(), await(learners().notificationsAfter(other, "ana", 0, 10)));
    assertFalse(await(learners().hasEarned(other, "ana", "lesson_completed", "obj-e1")));
    assertEquals(List.of(), await(learners().boardTotals(other, null, 10)).totals());
    assertEquals(0L, await(learners().boardLearnerCount(other)));

    await(learners().commit(other, application("e1", 0, learner("ana", 1, 30), 30)));
    assertEquals(Map.of("global/all-time", 30L, "global/2026-W48", 30L),
        await(learners().boardTotalsOf(other, "ana", List.of("global/all-time", "global/2026-W48"))),
        "the other tenant's own totals");
    assertEquals(52L, await(learners().learner(T, "ana")).orElseThrow().xp());
    assertEquals(30L, await(learners().learner(other, "ana")).orElseThrow().xp());
    assertEquals(2, await(learners().boardTotals(T, null, 10)).totals().size());
    assertEquals(List.of(52L, 52L), await(learners().boardTotals(T, null, 10)).totals().stream().map(BoardTotal::xp)
        .toList());
    assertEquals(List.of(30L, 30L), await(learners().boardTotals(other, null, 10)).totals().stream()
        .map(BoardTotal::xp).toList());
    assertEquals(Set.of(T, other), Set.copyOf(await(learners().tenantsWithBoards())));

    await(events().quarantine(T, "e2", "refused", 3));
    assertEquals(1L, await(events().quarantinedCount(T)));
    assertEquals(0L, await(events().quarantinedCount(other)));
    assertEquals(List.of(), await(events().quarantined(other, 10)));
    assertTrue(await(events().requeue(other, "e2")).isEmpty(), "another tenant cannot retry it");
    assertTrue(await(events().discard(other, "e2")).isEmpty(), "nor discard it");
    assertEquals(1, await(learners().flags(T, "ana", 10)).size());
    assertEquals(List.of(), await(learners().flags(other, "ana", 10)));
    assertEquals(List.of(), await(learners().flagsAfter(other, 0, 10)));
    assertEquals(1, await(learners().flagsAfter(T, 0, 10)).size());

    await(events().eraseTenant(T));
    await(learners().eraseTenant(T));
    assertTrue(await(events().event(T, "e1")).isEmpty());
    assertTrue(await(learners().learner(T, "ana")).isEmpty());
    assertEquals(List.of(), await(learners().ledger(T, "ana", 10)));
    assertEquals(List.of(), await(learners().flags(T, "ana", 10)));
    assertEquals(List.of(), await(events().quarantined(T, 10)));
    assertEquals(List.of(), await(learners().boardTotals(T, null, 10)).totals());
    assertEquals(List.of(other), await(learners().tenantsWithBoards()));
    assertEquals(0L, await(events().pendingCount()), "the erased tenant's waiting events are gone too");
    assertTrue(await(events().append(T, List.of(lesson("e1", "ana")), null)).get(0).accepted(),
        "an erased tenant's eventIds are free again");
    assertEquals(30L, await(learners().learner(other, "ana")).orElseThrow().xp(), "the other tenant is whole");
    assertEquals(1, await(learners().ledger(other, "ana", 10)).size());
    assertEquals(1, await(learners().badges(other, "ana")).size());
    assertEquals(2, await(learners().notificationsAfter(other, "ana", 0, 10)).size());
    assertTrue(await(events().event(other, "e1")).orElseThrow().applied());
  }

  private void assertConflict(EventApplication app) {
    Throwable error = assertThrows(Throwable.class, () -> await(learners().commit(T, app)));
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    while (cause != null && !(cause instanceof StoreException)) {
      cause = cause.getCause();
    }
    assertTrue(cause instanceof StoreException, "expected a store failure, got " + error);
    assertEquals(StoreException.Kind.CONFLICT, ((StoreException) cause).kind());
  }

  /** A void of e1 (applied on ana's fresh learner), leaving her with the later lesson e2 only. */
  static VoidApplication voidOf(String eventId, long expected, Learner after, long xpChange,
                                Map<String, ScoreChange> boards) {
    String learnerId = after.learnerId();
    return new VoidApplication(eventId, expected, after,
        List.of(new LedgerEntry(eventId, "lesson", 50, 105, -52, VoidApplication.REASON, T0),
            new LedgerEntry("e2", "lesson", 50, 110, -3, VoidApplication.REASON, T0)),
        List.of("first_lesson"), List.of(new BadgeAward("quiz_whiz", "Quiz Whiz", "silver", T0, "e2")),
        List.of(new Transition(ProgressionState.MASTERY, ProgressionState.ACTIVE, "event_voided", eventId, T0)),
        List.of(new EventApplication.EarnedObject("lesson_completed", "obj-" + eventId)),
        List.of(new EventApplication.EarnedObject("lesson_completed", "obj-again")),
        List.of(new VoidApplication.EventFlag("e2", new Flag("self_help", "helped themself", T0))),
        List.of(new VoidApplication.EventFlag("e2", new Flag("velocity", "too fast", T0))), boards,
        List.of(new Notification(after.notificationSeq(), "badge_revoked", learnerId, eventId, T0,
            Map.of("badgeId", "first_lesson"))),
        new VoidRecord(eventId, learnerId, "test", T0.plusSeconds(60), xpChange, List.of("first_lesson")));
  }

  @Test
  void aVoidCompensatesEverythingAtOnceAndKeepsTheEventIdTaken() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana"), lesson("b1", "bob")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    EventApplication e2 = application("e2", 1, learner("ana", 2, 107), 55);
    await(learners().commit(T, new EventApplication(e2.eventId(), e2.expectedVersion(), e2.after(), e2.ledger(),
        e2.earnedObject(), e2.awards(), e2.transitions(), e2.notifications(), e2.boardIncrements(), e2.outcome(),
        List.of(new Flag("self_help", "helped themself", T0)))));
    await(learners().commit(T, application("b1", 0, learner("bob", 1, 52), 52)));
    assertEquals(List.of("self_help"), await(learners().flags(T, "ana", 10)).stream().map(FlagEntry::rule).toList());
    assertEquals(List.of("e1", "e2"), await(events().appliedEvents(T, "ana")).stream().map(e -> e.event().eventId())
        .toList(), "applied events in acceptance order");
    assertEquals(Optional.empty(), await(learners().voided(T, "e1")));

    Learner after = new Learner("ana", ProgressionState.ACTIVE, 52, 1, "Asia/Tokyo",
        new StreakState(1, 1, 2, LocalDate.of(2026, 11, 27)), Counters.ZERO, T0, Set.of(), 3, 5, null,
        Map.of("global/all-time", 52L));
    Map<String, ScoreChange> moved = Map.of("global/all-time", new ScoreChange(107, 52),
        "global/2026-W48", new ScoreChange(107, 0));
    VoidApplication app = voidOf("e1", 2, after, -55, moved);
    await(learners().commitVoid(T, app));

    assertEquals(after, await(learners().learner(T, "ana")).orElseThrow());
    assertEquals(List.of("e2"), await(events().appliedEvents(T, "ana")).stream().map(e -> e.event().eventId()).toList(),
        "a voided event is no longer replayed");
    assertEquals(app.record(), await(learners().voided(T, "e1")).orElseThrow());
    assertFalse(await(learners().hasEarned(T, "ana", "lesson_completed", "obj-e1")));
    assertTrue(await(learners().hasEarned(T, "ana", "lesson_completed", "obj-again")));
    assertTrue(await(learners().hasEarned(T, "ana", "lesson_completed", "obj-e2")));
    List<LedgerEntry> ledger = await(learners().ledger(T, "ana", 100));
    assertEquals(4, ledger.size(), "compensating lines beside the original ones, even for the same activity");
    assertEquals(52, ledger.stream().mapToLong(LedgerEntry::xp).sum(), "the ledger sums to the new XP");
    assertEquals(List.of("quiz_whiz"), await(learners().badges(T, "ana")).stream().map(BadgeAward::badgeId).toList(),
        "the badge is taken back, and one the replay awards is given");
    assertEquals(app.transitions().get(0), await(learners().transitions(T, "ana")).get(1), "the state change recorded");
    List<FlagEntry> flags = await(learners().flags(T, "ana", 10));
    assertEquals(List.of("e2/velocity"), flags.stream().map(f -> f.eventId() + "/" + f.rule()).toList(),
        "the flag the replay no longer raises goes, the one it raises comes");
    assertEquals(flags, await(learners().flagsAfter(T, 0, 10)), "and so in the admin's list");
    assertEquals(List.of("badge_revoked"), await(learners().notificationsAfter(T, "ana", 4, 10)).stream()
        .map(Notification::type).toList());
    List<BoardTotal> totals = await(learners().boardTotals(T, null, 100)).totals();
    assertTrue(totals.contains(new BoardTotal("global/all-time", "ana", 52)), totals::toString);
    assertFalse(totals.stream().anyMatch(t -> t.learnerId().equals("ana") && t.board().equals("global/2026-W48")),
        "a total of 0 leaves no row");
    assertTrue(totals.contains(new BoardTotal("global/2026-W48", "bob", 52)), "other learners untouched");

    AppendResult again = await(events().append(T, List.of(lesson("e1", "ana")), null)).get(0);
    assertFalse(again.accepted(), "a voided eventId stays taken");
    assertEquals(List.of(), await(events().pending(T, "ana", 10)), "and is never pending again");
  }

  @Test
  void aVoidIsRefusedWholeWhenTheEventIsNotAppliedOrVoidedOrTheLearnerMoved() {
    await(events().append(T, List.of(lesson("e1", "ana"), lesson("e2", "ana")), null));
    await(learners().commit(T, application("e1", 0, learner("ana", 1, 52), 52)));
    Learner after = learner("ana", 2, 0);
    Map<String, ScoreChange> boards = Map.of("global/all-time", new ScoreChange(52, 0),
        "global/2026-W48", new ScoreChange(52, 0));
    assertConflict(learners().commitVoid(T, voidOf("e2", 1, after, -52, boards)), "e2 is not applied");
    assertConflict(learners().commitVoid(T, voidOf("nope", 1, after, -52, boards)), "unknown event");
    assertConflict(learners().commitVoid(T, voidOf("e1", 0, after, -52, boards)), "stale learner version");
    assertEquals(learner("ana", 1, 52), await(learners().learner(T, "ana")).orElseThrow(), "nothing changed");
    assertEquals(1, await(learners().ledger(T, "ana", 100)).size());
    assertEquals(Optional.empty(), await(learners().voided(T, "e1")));
    await(learners().commitVoid(T, voidOf("e1", 1, after, -52, boards)));
    assertConflict(learners().commitVoid(T, voidOf("e1", 2, learner("ana", 3, 0), -52, boards)), "voided already");
    assertEquals(after, await(learners().learner(T, "ana")).orElseThrow());
    assertEquals(List.of(), await(learners().boardTotals(T, null, 10)).totals(), "no XP, no totals");
    assertEquals(List.of(), await(learners().tenantsWithBoards()));
  }

  static void assertConflict(io.vertx.core.Future<?> future, String why) {
    Throwable error = assertThrows(Throwable.class, () -> await(future), why);
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    assertTrue(StoreException.is(cause, StoreException.Kind.CONFLICT), () -> why + ": " + cause);
  }

  /** A learner whose XP was all earned in the week of {@link #T0}: its totals on the global boards. */
  static Learner learner(String id, long version, long xp) {
    return new Learner.Builder(id).state(ProgressionState.ACTIVE).xp(xp).timezone("Asia/Tokyo")
        .streak(new StreakState(1, 1, 2, LocalDate.of(2026, 11, 27))).lastActivityAt(T0).badges(Set.of("first_lesson"))
        .version(version).notificationSeq(2 * version)
        .boards(xp > 0 ? Map.of("global/all-time", xp, "global/2026-W48", xp) : Map.of()).build();
  }

  static Learner withState(Learner l, ProgressionState state, Instant lastActivity) {
    return l.toBuilder().state(state).lastActivityAt(lastActivity).build();
  }

  /** An application of a lesson worth {@code xp}, numbering two notifications after {@code expected}. */
  static EventApplication application(String eventId, long expected, Learner after, long xp) {
    String learnerId = after.learnerId();
    List<LedgerEntry> ledger = List.of(new LedgerEntry(eventId, "lesson", 50, 105, xp, "activity", T0));
    List<BadgeAward> awards = List.of(new BadgeAward("first_lesson", "First Steps", "bronze", T0, eventId));
    List<Transition> transitions = expected == 0
        ? List.of(new Transition(ProgressionState.ONBOARDING, ProgressionState.ACTIVE, "lesson_completed", eventId, T0))
        : List.of();
    List<Notification> notifications = List.of(
        new Notification(2 * expected + 1, Notification.XP_GRANTED, learnerId, eventId, T0, Map.of("xp", xp)),
        new Notification(2 * expected + 2, Notification.BADGE_AWARDED, learnerId, eventId, T0,
            Map.of("badgeId", "first_lesson")));
    Outcome outcome = new Outcome(eventId, Outcome.PROCESSED, learnerId,
        List.of(new Outcome.Grant("lesson", 50, 105, xp)), after.xp(), 1, false, List.of(), List.of(),
        new Outcome.Streak(1, 1, 2, true, false), false);
    return new EventApplication(eventId, expected, after, ledger,
        new EventApplication.EarnedObject("lesson_completed", "obj-" + eventId), awards, transitions, notifications,
        Map.of("global/all-time", xp, "global/2026-W48", xp), outcome);
  }
}
