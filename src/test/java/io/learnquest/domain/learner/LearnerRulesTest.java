package io.learnquest.domain.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.FairPlay;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.xp.XpGrant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure application of one event (and the fold of many) under a rule set, without Vert.x or a store. */
class LearnerRulesTest {
  private static final Instant DAY1 = Instant.parse("2026-11-23T10:00:00Z");
  private static final BadgeRuleParser PARSER = new BadgeRuleParser(name -> EventTypes.builtIn().find(name).isPresent());
  private static final BadgeCatalog CATALOG = new BadgeCatalog(1, List.of(
      badge("first-lesson", "bronze", Map.of("event", "lesson_completed", "count", 1)),
      badge("xp-100", "silver", Map.of("metric", "xp", "gte", 100)),
      badge("helper", "gold", Map.of("metric", "peers_helped", "gte", 2))));
  private static final RuleSet RULES = RuleSet.defaults(CATALOG);

  private static BadgeDefinition badge(String id, String tier, Map<String, Object> rule) {
    return BadgeDefinition.parse(Map.of("badgeId", id, "name", id, "tier", tier, "rule", rule), PARSER, "");
  }

  private static int seq;

  private static LearningEvent event(String type, Instant at, String objectId, Integer score) {
    return new LearningEvent("e-" + (++seq), "ada", type, at, "Europe/Paris", null, objectId, score, 2, false);
  }

  private static LearningEvent lesson(Instant at, String objectId) {
    return event(EventTypes.LESSON_COMPLETED, at, objectId, null);
  }

  private static Instant day(int n) {
    return DAY1.plus(Duration.ofDays(n - 1));
  }

  @Test
  void theSameEventOnTheSameLearnerUnderTheSameRulesGivesEqualApplications() {
    Learner before = Replay.of("ada", List.of(lesson(day(1), "l-1"), lesson(day(2), "l-2")), RULES);
    LearningEvent next = event(EventTypes.QUIZ_COMPLETED, day(3), "q-1", 100);
    EventApplication once = LearnerRules.apply(before, next, RULES, false);
    EventApplication again = LearnerRules.apply(before, next, RULES, false);
    assertEquals(once, again);
    assertEquals(before.version(), once.expectedVersion());
    assertEquals(before.version() + 1, once.after().version());
  }

  @Test
  void aLessonADayEarnsTheStreakMultiplierAndFromDayTwoTheStreakBonus() {
    Replay replay = Replay.fresh("ada", RULES);
    EventApplication first = replay.apply(lesson(day(1), "l-1"));
    // streak 1: 50 at 105 % = 52
    assertEquals(List.of(new LedgerEntry(first.eventId(), "lesson", 50, 105, 52, XpGrant.ACTIVITY, day(1))),
        first.ledger());
    assertEquals(52, first.after().xp());
    assertEquals(ProgressionState.ACTIVE, first.after().state());
    assertEquals(List.of("first-lesson"), first.outcome().badgesAwarded());
    assertEquals(new EventApplication.EarnedObject("lesson_completed", "l-1"), first.earnedObject());
    assertEquals(Map.of("global/all-time", 52L, "global/2026-W48", 52L), first.boardIncrements());

    EventApplication second = replay.apply(lesson(day(2), "l-2"));
    // streak 2: 50 at 110 % = 55, and the streak bonus 25 at 110 % = 27
    assertEquals(List.of(55L, 27L), second.ledger().stream().map(LedgerEntry::xp).toList());
    assertEquals(134, second.after().xp());
    assertEquals(1, second.after().level(), "level 2 starts at 200");
    assertFalse(second.outcome().levelUp());
    assertEquals(List.of("xp-100"), second.outcome().badgesAwarded());
    assertEquals(2, second.outcome().streak().current());
    assertTrue(second.outcome().streak().extended());
    assertEquals(Set.of("first-lesson", "xp-100"), second.after().badges());
    assertEquals(2, second.after().counters().get(Counter.LESSONS_COMPLETED));
  }

  /**
   * The learner carries their totals on every board: increments added, a weekly total dropped once
   * its board has expired (the rule set's retention after its week) at a later event's time.
   */
  @Test
  void theLearnersBoardTotalsAddUpAndExpiredWeeksGo() {
    Replay replay = Replay.fresh("ada", RULES.withWeeklyRetention(2));
    EventApplication first = replay.apply(lesson(day(1), "l-1"));
    assertEquals(Map.of("global/all-time", 52L, "global/2026-W48", 52L), first.after().boards());
    assertEquals(first.boardIncrements(), first.boardTotals(), "the totals of the boards it added to");
    EventApplication second = replay.apply(lesson(day(2), "l-2"));
    assertEquals(Map.of("global/all-time", 134L, "global/2026-W48", 134L), second.after().boards());
    assertEquals(Map.of("global/all-time", 134L, "global/2026-W48", 134L), second.boardTotals());
    // W48 is Monday 23 November 2026 to the 29th; with 2 weeks kept, its board expires on 14 December
    LearningEvent beforeExpiry = new LearningEvent("e-late1", "ada", EventTypes.LESSON_COMPLETED,
        Instant.parse("2026-12-13T23:59:59Z"), "Europe/Paris", "c1", "l-3", null, 2, false);
    Learner kept = replay.apply(beforeExpiry).after();
    assertTrue(kept.boards().containsKey("global/2026-W48"), kept.boards()::toString);
    assertEquals(kept.xp(), kept.boards().get("global/all-time"));
    long w50 = kept.boards().get("global/2026-W50");
    assertEquals(w50, kept.boards().get("course:c1/2026-W50"));
    assertEquals(w50, kept.boards().get("course:c1/all-time"));
    LearningEvent atExpiry = new LearningEvent("e-late2", "ada", EventTypes.LESSON_COMPLETED,
        Instant.parse("2026-12-14T00:00:00Z"), "Europe/Paris", null, "l-4", null, 2, false);
    Learner after = replay.apply(atExpiry).after();
    assertEquals(java.util.Set.of("global/all-time", "global/2026-W50", "global/2026-W51", "course:c1/all-time",
        "course:c1/2026-W50"), after.boards().keySet());
    assertEquals(after.xp(), after.boards().get("global/all-time"));
  }

  @Test
  void anEventWithoutXpLeavesTheBoardTotalsAsTheyAre() {
    Replay replay = Replay.fresh("ada", RULES);
    Learner first = replay.apply(lesson(day(1), "l-1")).after();
    EventApplication repeat = replay.apply(lesson(day(1).plusSeconds(3600), "l-1"));
    assertTrue(repeat.boardIncrements().isEmpty());
    assertEquals(first.boards(), repeat.after().boards());
    assertEquals(Map.of(), repeat.boardTotals());
  }

  @Test
  void notificationsAreNumberedAfterTheLearnersLastOne() {
    Replay replay = Replay.fresh("ada", RULES);
    EventApplication first = replay.apply(lesson(day(1), "l-1"));
    EventApplication second = replay.apply(lesson(day(2), "l-2"));
    List<Long> seqs = new ArrayList<>();
    first.notifications().forEach(n -> seqs.add(n.seq()));
    second.notifications().forEach(n -> seqs.add(n.seq()));
    for (int i = 0; i < seqs.size(); i++) {
      assertEquals(i + 1, seqs.get(i));
    }
    assertEquals(seqs.size(), second.after().notificationSeq());
    assertEquals(List.of(Notification.STREAK_UPDATED, Notification.XP_GRANTED, Notification.STATE_CHANGED,
        Notification.BADGE_AWARDED), first.notifications().stream().map(Notification::type).toList());
  }

  @Test
  void aSecondEventForAnObjectAlreadyRewardedIsARepeatThatMovesNoCounter() {
    Replay replay = Replay.fresh("ada", RULES);
    replay.apply(lesson(day(1), "l-1"));
    EventApplication repeat = replay.apply(lesson(day(1).plusSeconds(3600), "l-1"));
    assertTrue(repeat.outcome().repeat());
    assertEquals(List.of(new LedgerEntry(repeat.eventId(), "lesson", 50, 105, 0, XpGrant.REPEAT,
        day(1).plusSeconds(3600))), repeat.ledger());
    assertEquals(1, repeat.after().counters().get(Counter.LESSONS_COMPLETED));
    assertEquals(52, repeat.after().xp());
    assertNull(repeat.earnedObject());
    assertTrue(repeat.boardIncrements().isEmpty());
    assertTrue(repeat.outcome().xpGranted().isEmpty());

    // The same event judged without the earlier reward is not a repeat: the fact is the caller's.
    Learner before = Replay.of("ada", List.of(lesson(day(1), "l-1")), RULES);
    LearningEvent again = lesson(day(1).plusSeconds(3600), "l-1");
    assertEquals(new EventApplication.EarnedObject("lesson_completed", "l-1"), LearnerRules.repeatKey(again, RULES));
    assertTrue(LearnerRules.apply(before, again, RULES, true).outcome().repeat());
    assertFalse(LearnerRules.apply(before, again, RULES, false).outcome().repeat());
  }

  @Test
  void anEventWithoutObjectOrWithoutActivityXpCannotBeARepeat() {
    assertNull(LearnerRules.repeatKey(lesson(day(1), null), RULES));
    assertNull(LearnerRules.repeatKey(event(EventTypes.DAILY_LOGIN, day(1), "x", null), RULES));
    assertNull(LearnerRules.repeatKey(event(EventTypes.QUIZ_COMPLETED, day(1), "q", 10), RULES));
    Learner fresh = RULES.fresh("ada");
    LearningEvent noObject = lesson(day(1), null);
    assertEquals(LearnerRules.apply(fresh, noObject, RULES, false), LearnerRules.apply(fresh, noObject, RULES, true));
  }

  @Test
  void selfHelpIsHeldBackWithZeroXpLinesAndAFlagAndMovesNothing() {
    Learner before = Replay.of("ada", List.of(lesson(day(1), "l-1")), RULES);
    LearningEvent self = event(EventTypes.PEER_HELPED, day(2), "ada", null);
    EventApplication held = LearnerRules.apply(before, self, RULES, false);
    assertEquals(1, held.flags().size());
    assertEquals(FairPlay.SELF_HELP, held.flags().get(0).rule());
    assertEquals(List.of(FairPlay.SELF_HELP, FairPlay.SELF_HELP),
        held.ledger().stream().map(LedgerEntry::reason).toList());
    assertTrue(held.ledger().stream().allMatch(l -> l.xp() == 0));
    assertEquals(before.xp(), held.after().xp());
    assertEquals(before.streak(), held.after().streak());
    assertEquals(before.counters(), held.after().counters());
    assertEquals(before.lastActivityAt(), held.after().lastActivityAt());
    assertEquals(before.pace(), held.after().pace());
    assertTrue(held.awards().isEmpty());
    assertTrue(held.transitions().isEmpty());
    assertTrue(held.boardIncrements().isEmpty());
    assertNull(held.earnedObject());
    assertTrue(held.notifications().isEmpty());
  }

  @Test
  void pastTheVelocityLimitTheExtraEventsOfATypeEarnNothing() {
    RuleSet strict = new RuleSet(EventTypes.builtIn(), RULES.rewards(), RULES.curve(), RULES.streaks(),
        new FairPlay(true, 2, 30), CATALOG);
    Replay replay = Replay.fresh("ada", strict);
    replay.apply(lesson(day(1), "a"));
    replay.apply(lesson(day(1).plusSeconds(10), "b"));
    EventApplication third = replay.apply(lesson(day(1).plusSeconds(20), "c"));
    assertEquals(FairPlay.VELOCITY, third.flags().get(0).rule());
    assertEquals(2, third.after().counters().get(Counter.LESSONS_COMPLETED));
    EventApplication later = replay.apply(lesson(day(1).plusSeconds(200), "c"));
    assertTrue(later.flags().isEmpty());
    assertFalse(later.outcome().repeat(), "a held-back event earned nothing, so its object is not a repeat");
    assertEquals(3, later.after().counters().get(Counter.LESSONS_COMPLETED));
  }

  @Test
  void inactivityDueAtTheEventFiresBeforeItsOwnTransitions() {
    Learner before = Replay.of("ada", List.of(lesson(day(1), "l-1")), RULES);
    EventApplication back = LearnerRules.apply(before, lesson(day(20), "l-2"), RULES, false);
    assertEquals(List.of("inactive_7_days", "inactive_14_days", "reactivated"),
        back.transitions().stream().map(Transition::event).toList());
    assertEquals(day(1).plus(Duration.ofDays(7)), back.transitions().get(0).at());
    assertEquals(ProgressionState.ACTIVE, back.after().state());
    assertEquals(List.of("ACTIVE>AT_RISK", "AT_RISK>DORMANT", "DORMANT>ACTIVE"),
        back.outcome().transitions().stream().map(s -> s.from() + ">" + s.to()).toList());
  }

  @Test
  void theSweepFiresWhatIsDueAndNothingBefore() {
    Learner before = Replay.of("ada", List.of(lesson(day(1), "l-1")), RULES);
    assertTrue(LearnerRules.sweep(before, day(7), RULES).isEmpty());
    EventApplication swept = LearnerRules.sweep(before, day(9), RULES).orElseThrow();
    assertNull(swept.eventId());
    assertNull(swept.outcome());
    assertEquals(ProgressionState.AT_RISK, swept.after().state());
    assertEquals(before.version() + 1, swept.after().version());
    assertEquals(before.xp(), swept.after().xp());
    assertEquals(1, swept.notifications().size());
    assertEquals(before.notificationSeq() + 1, swept.notifications().get(0).seq());
    // An event after the sweep records the same transitions as it would have fired itself.
    LearningEvent back = lesson(day(20), "l-2");
    EventApplication afterSweep = LearnerRules.apply(swept.after(), back, RULES, false);
    EventApplication withoutSweep = LearnerRules.apply(before, back, RULES, false);
    List<Transition> both = new ArrayList<>(swept.transitions());
    both.addAll(afterSweep.transitions());
    assertEquals(withoutSweep.transitions(), both);
    assertEquals(withoutSweep.after().xp(), afterSweep.after().xp());
  }

  @Test
  void aReplayGoneOnFromAnyPointEqualsTheWholeReplay() {
    List<LearningEvent> events = List.of(
        lesson(day(1), "l-1"),
        event(EventTypes.QUIZ_COMPLETED, day(1).plusSeconds(60), "q-1", 75),
        lesson(day(1).plusSeconds(120), "l-1"),
        event(EventTypes.PEER_HELPED, day(2), "bob", null),
        event(EventTypes.PEER_HELPED, day(2).plusSeconds(5), "ada", null),
        event(EventTypes.PEER_HELPED, day(4), "cy", null),
        event(EventTypes.DAILY_LOGIN, day(5), null, null),
        event(EventTypes.COURSE_COMPLETED, day(6), null, 95),
        lesson(day(30), "l-3"));
    Replay whole = Replay.fresh("ada", RULES);
    events.forEach(whole::apply);
    for (int cut = 0; cut <= events.size(); cut++) {
      Replay head = Replay.fresh("ada", RULES);
      events.subList(0, cut).forEach(head::apply);
      Replay tail = Replay.from(head.learner(), RULES, head.earned());
      events.subList(cut, events.size()).forEach(tail::apply);
      assertEquals(whole.learner(), tail.learner(), "cut at " + cut);
      List<EventApplication> joined = new ArrayList<>(head.applications());
      joined.addAll(tail.applications());
      assertEquals(whole.applications(), joined, "cut at " + cut);
    }
    Learner end = whole.learner();
    assertEquals(Set.of("first-lesson", "xp-100", "helper"), end.badges());
    assertEquals(2, end.counters().get(Counter.PEERS_HELPED), "the self-help is held back");
    assertEquals(1, end.counters().get(Counter.COURSES_COMPLETED));
    // ACTIVE, then MASTERY by the course at 95, which inactivity does not take away
    assertEquals(ProgressionState.MASTERY, end.state());
    assertEquals(List.of("lesson_completed", "course_completed"),
        whole.applications().stream().flatMap(a -> a.transitions().stream()).map(Transition::event).toList());
  }

  @Test
  void aReplayEqualsApplyingEachEventToTheLearnerTheLastOneLeft() {
    List<LearningEvent> events = List.of(lesson(day(1), "l-1"), lesson(day(1).plusSeconds(9), "l-1"),
        lesson(day(2), "l-2"), event(EventTypes.QUIZ_COMPLETED, day(3), "q-1", 100));
    Learner learner = RULES.fresh("ada");
    Set<EventApplication.EarnedObject> earned = new HashSet<>();
    for (LearningEvent e : events) {
      EventApplication.EarnedObject key = LearnerRules.repeatKey(e, RULES);
      EventApplication a = LearnerRules.apply(learner, e, RULES, key != null && earned.contains(key));
      if (a.earnedObject() != null) {
        earned.add(a.earnedObject());
      }
      learner = a.after();
    }
    assertEquals(learner, Replay.of("ada", events, RULES));
    assertEquals(4, learner.version());
  }

  @Test
  void anotherCatalogAwardsOtherBadgesAndNothingElseChanges() {
    LearningEvent first = lesson(day(1), "l-1");
    EventApplication with = LearnerRules.apply(RULES.fresh("ada"), first, RULES, false);
    EventApplication without = LearnerRules.apply(RULES.fresh("ada"), first, RULES.withBadges(BadgeCatalog.EMPTY),
        false);
    assertNotEquals(with.awards(), without.awards());
    assertTrue(without.awards().isEmpty());
    assertEquals(with.after().xp(), without.after().xp());
    assertEquals(with.ledger(), without.ledger());
  }
}
