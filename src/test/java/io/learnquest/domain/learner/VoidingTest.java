package io.learnquest.domain.learner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.ProgressionState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Voiding an event against the replay of the learner's other events, without Vert.x or a store. */
class VoidingTest {
  private static final Instant DAY1 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Instant NOW = DAY1.plus(Duration.ofDays(5));
  private static final BadgeRuleParser PARSER = new BadgeRuleParser(name -> EventTypes.builtIn().find(name).isPresent());
  private static final BadgeCatalog CATALOG = new BadgeCatalog(1, List.of(
      badge("first-lesson", "bronze", Map.of("event", "lesson_completed", "count", 1)),
      badge("xp-300", "silver", Map.of("metric", "xp", "gte", 300)),
      badge("perfect", "gold", Map.of("event", "quiz_completed", "score", 100)),
      badge("streak-3", "gold", Map.of("metric", "streak_days", "gte", 3))));
  private static final RuleSet RULES = RuleSet.defaults(CATALOG);

  private static BadgeDefinition badge(String id, String tier, Map<String, Object> rule) {
    return BadgeDefinition.parse(Map.of("badgeId", id, "name", id, "tier", tier, "rule", rule), PARSER, "");
  }

  private int seq;

  private LearningEvent event(String type, Instant at, String courseId, String objectId, Integer score) {
    return new LearningEvent("e-" + (++seq), "ada", type, at, "Europe/Paris", courseId, objectId, score, 2, false);
  }

  private static Instant day(int n) {
    return DAY1.plus(Duration.ofDays(n - 1));
  }

  /** The learner and ledger as the engine recorded them, applying the events one by one. */
  private record Recorded(Learner learner, List<LedgerEntry> ledger, Map<String, Long> boards) {
    static Recorded of(List<LearningEvent> events) {
      Replay replay = Replay.fresh("ada", RULES);
      List<LedgerEntry> ledger = new ArrayList<>();
      Map<String, Long> boards = new HashMap<>();
      for (LearningEvent e : events) {
        EventApplication app = replay.apply(e);
        ledger.addAll(app.ledger());
        app.boardIncrements().forEach((b, xp) -> boards.merge(b, xp, Long::sum));
      }
      return new Recorded(replay.learner(), ledger, boards);
    }
  }

  private static List<LearningEvent> without(List<LearningEvent> events, LearningEvent voided) {
    return events.stream().filter(e -> e != voided).toList();
  }

  /** The void makes the learner what the replay without the event is, ledger and boards included. */
  private static VoidApplication assertVoidEqualsReplay(List<LearningEvent> events, LearningEvent voided) {
    Recorded before = Recorded.of(events);
    // The void happens soon after the last event: no inactivity is due then.
    Instant now = events.stream().map(LearningEvent::occurredAt).max(Instant::compareTo).orElseThrow()
        .plus(Duration.ofHours(1));
    VoidApplication app = Voiding.voidEvent(before.learner(), before.ledger(), events, voided.eventId(), RULES,
        "test", now);
    Recorded expected = Recorded.of(without(events, voided));
    Learner after = app.after();
    Learner want = expected.learner();
    assertEquals(want.xp(), after.xp(), "xp");
    assertEquals(want.level(), after.level(), "level");
    assertEquals(want.counters(), after.counters(), "counters");
    assertEquals(want.streak(), after.streak(), "streak");
    assertEquals(want.state(), after.state(), "state");
    assertEquals(want.badges(), after.badges(), "badges");
    assertEquals(want.lastActivityAt(), after.lastActivityAt(), "last activity");
    assertEquals(want.pace(), after.pace(), "pace");
    assertEquals(before.learner().version() + 1, after.version());
    assertEquals(before.learner().notificationSeq() + app.notifications().size(), after.notificationSeq());
    long ledgerSum = before.ledger().stream().mapToLong(LedgerEntry::xp).sum()
        + app.ledger().stream().mapToLong(LedgerEntry::xp).sum();
    assertEquals(after.xp(), ledgerSum, "the ledger sums to the new XP");
    assertTrue(app.ledger().stream().allMatch(e -> e.reason().equals(VoidApplication.REASON) && e.xp() != 0));
    assertEquals(before.boards(), before.learner().boards(), "a learner's board totals are its increments summed");
    assertEquals(expected.boards(), after.boards(), "the board totals are the replay's");
    Set<String> moved = new HashSet<>(before.boards().keySet());
    moved.addAll(expected.boards().keySet());
    moved.removeIf(b -> before.boards().getOrDefault(b, 0L).equals(expected.boards().getOrDefault(b, 0L)));
    assertEquals(moved, app.boardChanges().keySet(), "every board whose total moves, and no other");
    app.boardChanges().forEach((board, change) -> assertEquals(new ScoreChange(before.boards().getOrDefault(board, 0L),
        expected.boards().getOrDefault(board, 0L)), change, board));
    assertEquals(after.xp() - before.learner().xp(), app.record().xpChange());
    return app;
  }

  @Test
  void voidingAQuizTakesItsXpAndTheBadgesOnlyItEarnedBack() {
    LearningEvent lesson = event("lesson_completed", day(1), "c1", "l-1", null);
    LearningEvent quiz = event("quiz_completed", day(1), "c1", "q-1", 100);
    LearningEvent later = event("lesson_completed", day(2), "c2", "l-2", null);
    List<LearningEvent> events = List.of(lesson, quiz, later);
    VoidApplication app = assertVoidEqualsReplay(events, quiz);
    assertEquals(List.of("perfect", "xp-300"), app.record().badgesRevoked().stream().sorted().toList());
    assertEquals(List.of(Notification.BADGE_REVOKED, Notification.BADGE_REVOKED),
        app.notifications().stream().map(Notification::type).toList());
    assertEquals(Set.of("first-lesson"), app.after().badges());
    assertEquals(app.revokedBadges(), app.record().badgesRevoked(), "nothing moved");
    assertTrue(app.record().xpChange() < -200);
    assertTrue(app.earnedRemoved().contains(new EventApplication.EarnedObject("quiz_completed", "q-1")));
  }

  @Test
  void aRepeatOfTheVoidedEventsObjectEarnsItsXpNow() {
    LearningEvent first = event("lesson_completed", day(1), "c1", "l-1", null);
    LearningEvent again = event("lesson_completed", day(2), "c1", "l-1", null);
    List<LearningEvent> events = List.of(first, again);
    VoidApplication app = assertVoidEqualsReplay(events, first);
    assertTrue(app.ledger().stream().anyMatch(e -> e.eventId().equals(again.eventId()) && e.xp() > 0),
        "the repeat earns through a compensating line");
    assertEquals(List.of(), app.earnedRemoved());
    assertEquals(1, app.after().counters().get(Counter.LESSONS_COMPLETED));
    assertEquals(List.of(), app.record().badgesRevoked(), "first-lesson is earned again by the other lesson");
    assertEquals(List.of("first-lesson"), app.revokedBadges(), "its award moves to that lesson");
    assertEquals(again.eventId(), app.awards().get(0).eventId());
    assertEquals(again.occurredAt(), app.awards().get(0).awardedAt());
    assertTrue(app.notifications().isEmpty(), "without a word to the learner: " + app.notifications());
  }

  @Test
  void aStreakDayVoidedLowersTheMultipliersAndBonusesAfterIt() {
    List<LearningEvent> events = new ArrayList<>();
    for (int d = 1; d <= 4; d++) {
      events.add(event("lesson_completed", day(d), "c1", "l-" + d, null));
    }
    VoidApplication app = assertVoidEqualsReplay(events, events.get(1));
    assertTrue(app.ledger().size() > 2, "the later days' lines are corrected too: " + app.ledger());
  }

  @Test
  void aStateReachedThroughTheVoidedEventIsLeftWithATransition() {
    LearningEvent lesson = event("lesson_completed", day(1), "c1", "l-1", null);
    LearningEvent course = event("course_completed", day(2), "c1", "c-1", 95);
    VoidApplication app = assertVoidEqualsReplay(List.of(lesson, course), course);
    assertEquals(ProgressionState.ACTIVE, app.after().state());
    assertEquals(1, app.transitions().size());
    assertEquals(ProgressionState.MASTERY, app.transitions().get(0).from());
    assertEquals(Voiding.EVENT_VOIDED, app.transitions().get(0).event());
  }

  @Test
  void anEventNotAppliedCannotBeVoided() {
    LearningEvent lesson = event("lesson_completed", day(1), "c1", "l-1", null);
    Recorded before = Recorded.of(List.of(lesson));
    assertThrows(IllegalArgumentException.class, () -> Voiding.voidEvent(before.learner(), before.ledger(),
        List.of(lesson), "nope", RULES, "test", NOW));
  }

  /** Random histories of one learner, a random event voided: always the replay without it. */
  @Test
  void randomHistoriesVoidedAtRandomEqualTheirReplays() {
    Random random = new Random(20261204);
    String[] zones = {"Europe/Paris", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"};
    for (int round = 0; round < 300; round++) {
      List<LearningEvent> events = new ArrayList<>();
      Instant at = DAY1.minus(Duration.ofDays(3));
      int n = 1 + random.nextInt(14);
      for (int i = 0; i < n; i++) {
        at = at.plus(Duration.ofHours(1 + random.nextInt(30)));
        String type = List.of("lesson_completed", "quiz_completed", "course_completed", "peer_helped",
            "daily_login").get(random.nextInt(5));
        Integer score = type.equals("quiz_completed") || type.equals("course_completed")
            ? List.of(40, 60, 90, 100).get(random.nextInt(4)) : null;
        String object = type.equals("daily_login") ? null : "o-" + random.nextInt(4);
        events.add(new LearningEvent("r" + round + "-" + i, "ada", type, at, zones[random.nextInt(zones.length)],
            "c" + random.nextInt(2), object, score, 1 + random.nextInt(5), random.nextBoolean()));
      }
      assertVoidEqualsReplay(events, events.get(random.nextInt(n)));
    }
  }
}
