package io.learnquest.domain.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.streak.StreakState;
import io.learnquest.domain.xp.XpGrant;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** docs/api.md, "Live push": what an applied event pushes, numbered after the learner's last notification. */
class NotificationsTest {
  private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");
  private static final Learner BEFORE = new Learner("learner-1", ProgressionState.ACTIVE, 100, 1, "UTC",
      new StreakState(1, 1, 2, LocalDate.of(2026, 11, 26)), Counters.ZERO, AT.minusSeconds(86400), Set.of(), 7, 41);

  private static Notifications fresh() {
    return new Notifications(BEFORE, "evt-9", AT);
  }

  private static Map<String, Object> line(String activity, long base, int pct, long xp) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activity", activity);
    m.put("baseXp", base);
    m.put("multiplierPct", pct);
    m.put("xp", xp);
    return m;
  }

  @Test
  void xpGrantedSumsTheGrantsAndListsOnlyThoseWithXp() {
    List<XpGrant> grants = List.of(new XpGrant("lesson", 50, 110, 0, XpGrant.REPEAT),
        new XpGrant("streak", 25, 110, 27, XpGrant.STREAK_BONUS));
    List<Notification> built = fresh().xp(grants, 127).build();
    assertEquals(List.of(new Notification(42, "xp_granted", "learner-1", "evt-9", AT,
        Map.of("xp", 27L, "totalXp", 127L, "grants", List.of(line("streak", 25, 110, 27))))), built);
    assertEquals("42", built.get(0).id());
  }

  @Test
  void noXpNoNotification() {
    assertEquals(List.of(), fresh().xp(List.of(), 100).build());
    assertEquals(List.of(), fresh().xp(List.of(new XpGrant("lesson", 50, 105, 0, XpGrant.REPEAT)), 100).build());
  }

  @Test
  void levelUpOnlyWhenTheLevelRises() {
    assertEquals(List.of(new Notification(42, "level_up", "learner-1", "evt-9", AT,
        Map.of("previousLevel", 1, "level", 3))), fresh().level(1, 3).build());
    assertEquals(List.of(), fresh().level(2, 2).build());
  }

  @Test
  void oneNotificationPerBadge() {
    List<Notification> built = fresh().badges(List.of(
        new BadgeAward("first_lesson", "First Steps", "bronze", AT, "evt-9"),
        new BadgeAward("week_streak", "Week Warrior", "silver", AT, "evt-9"))).build();
    assertEquals(List.of(
        new Notification(42, "badge_awarded", "learner-1", "evt-9", AT,
            Map.of("badgeId", "first_lesson", "name", "First Steps", "tier", "bronze")),
        new Notification(43, "badge_awarded", "learner-1", "evt-9", AT,
            Map.of("badgeId", "week_streak", "name", "Week Warrior", "tier", "silver"))), built);
  }

  @Test
  void stateChangesCarryTheTransitionsOwnEventIdAndTime() {
    Instant atRisk = Instant.parse("2026-11-20T00:00:00Z");
    List<Notification> built = fresh().transitions(List.of(
        new Transition(ProgressionState.ACTIVE, ProgressionState.AT_RISK, "inactive_7_days", null, atRisk),
        new Transition(ProgressionState.AT_RISK, ProgressionState.ACTIVE, "reactivated", "evt-9", AT))).build();
    assertEquals(List.of(
        new Notification(42, "state_changed", "learner-1", null, atRisk,
            Map.of("from", "ACTIVE", "to", "AT_RISK", "event", "inactive_7_days")),
        new Notification(43, "state_changed", "learner-1", "evt-9", AT,
            Map.of("from", "AT_RISK", "to", "ACTIVE", "event", "reactivated"))), built);
  }

  @Test
  void streakUpdatedOnlyWhenChanged() {
    StreakOutcome outcome = new StreakOutcome(new StreakState(2, 2, 2, LocalDate.of(2026, 11, 27)), true, false);
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("current", 2);
    data.put("longest", 2);
    data.put("freezesLeft", 2);
    data.put("lastStudyDate", "2026-11-27");
    data.put("extended", true);
    data.put("broken", false);
    assertEquals(List.of(new Notification(42, "streak_updated", "learner-1", "evt-9", AT, data)),
        fresh().streak(outcome, true).build());
    assertEquals(List.of(), fresh().streak(outcome, false).build());
  }

  @Test
  void idsIncreaseAcrossKindsInCallOrder() {
    Notifications n = fresh()
        .xp(List.of(new XpGrant("lesson", 50, 110, 55, XpGrant.ACTIVITY)), 155)
        .level(1, 1)
        .badges(List.of(new BadgeAward("first_lesson", "First Steps", "bronze", AT, "evt-9")))
        .transitions(List.of(new Transition(ProgressionState.ONBOARDING, ProgressionState.ACTIVE,
            "lesson_completed", "evt-9", AT)))
        .streak(new StreakOutcome(new StreakState(2, 2, 2, LocalDate.of(2026, 11, 27)), true, false), true);
    List<Notification> built = n.build();
    assertEquals(List.of("xp_granted", "badge_awarded", "state_changed", "streak_updated"),
        built.stream().map(Notification::type).toList());
    assertEquals(List.of("42", "43", "44", "45"), built.stream().map(Notification::id).toList());
    assertEquals(45, n.lastSeq());
    assertThrows(UnsupportedOperationException.class, () -> built.add(built.get(0)));
  }

  @Test
  void nothingBuiltLeavesTheSequenceAlone() {
    Notifications n = fresh().xp(List.of(), 100).level(3, 3).badges(List.of()).transitions(List.of());
    assertEquals(List.of(), n.build());
    assertEquals(41, n.lastSeq());
  }
}
