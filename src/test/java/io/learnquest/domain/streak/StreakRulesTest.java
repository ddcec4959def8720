package io.learnquest.domain.streak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Streaks": streaks per learner, in the learner's time zone. */
class StreakRulesTest {
  private static final StreakRules RULES = new StreakRules(2);
  /** Day 0 of the tables below; every other day is an offset from it. */
  private static final LocalDate D = LocalDate.of(2026, 3, 10);

  private static LocalDate day(Integer offset) {
    return offset == null ? null : D.plusDays(offset);
  }

  @Test
  void aLearnerStartsWithNoStreakAndTheMaxFreezes() {
    assertEquals(new StreakState(0, 0, 2, null), RULES.initial());
    assertEquals(new StreakState(0, 0, 5, null), new StreakRules(5).initial());
    assertEquals(new StreakState(0, 0, 0, null), new StreakRules(0).initial());
  }

  @Test
  void negativeMaxFreezesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StreakRules(-1));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      # case                              | cur | long | frz | last | day | cur' | long' | frz' | last' | ext   | broken
      first study event                   | 0   | 0    | 2   |      | 0   | 1    | 1     | 2    | 0     | true  | false
      same day changes nothing            | 3   | 5    | 2   | 0    | 0   | 3    | 5     | 2    | 0     | false | false
      next day extends                    | 3   | 5    | 2   | 0    | 1   | 4    | 5     | 2    | 1     | true  | false
      next day raises longest             | 5   | 5    | 1   | 0    | 1   | 6    | 6     | 1    | 1     | true  | false
      one missed day uses one freeze      | 3   | 3    | 2   | 0    | 2   | 4    | 4     | 1    | 2     | true  | false
      two missed days use two freezes     | 3   | 3    | 2   | 0    | 3   | 4    | 4     | 0    | 3     | true  | false
      one missed day, last freeze         | 3   | 8    | 1   | 0    | 2   | 4    | 8     | 0    | 2     | true  | false
      three missed days, two freezes      | 3   | 4    | 2   | 0    | 4   | 1    | 4     | 2    | 4     | false | true
      one missed day, no freeze           | 3   | 3    | 0   | 0    | 2   | 1    | 3     | 0    | 2     | false | true
      two missed days, one freeze         | 2   | 2    | 1   | 0    | 3   | 1    | 2     | 1    | 3     | false | true
      long gap breaks                     | 9   | 9    | 2   | 0    | 40  | 1    | 9     | 2    | 40    | false | true
      gap from current 1 is not broken    | 1   | 4    | 0   | 0    | 2   | 1    | 4     | 0    | 2     | false | false
      late event for the day before       | 3   | 3    | 2   | 0    | -1  | 3    | 3     | 2    | 0     | false | false
      late event for a month before       | 3   | 3    | 1   | 0    | -30 | 3    | 3     | 1    | 0     | false | false
      reaching 7 regains a freeze         | 6   | 6    | 1   | 0    | 1   | 7    | 7     | 2    | 1     | true  | false
      reaching 7 from no freeze           | 6   | 6    | 0   | 0    | 1   | 7    | 7     | 1    | 1     | true  | false
      reaching 7 at the max stays max     | 6   | 6    | 2   | 0    | 1   | 7    | 7     | 2    | 1     | true  | false
      reaching 7 across a freeze          | 6   | 6    | 2   | 0    | 2   | 7    | 7     | 2    | 2     | true  | false
      reaching 7 across two freezes       | 6   | 6    | 2   | 0    | 3   | 7    | 7     | 1    | 3     | true  | false
      reaching 8 regains nothing          | 7   | 7    | 1   | 0    | 1   | 8    | 8     | 1    | 1     | true  | false
      reaching 14 regains one             | 13  | 13   | 0   | 0    | 1   | 14   | 14    | 1    | 1     | true  | false
      reaching 14 capped at the max       | 13  | 13   | 2   | 0    | 1   | 14   | 14    | 2    | 1     | true  | false
      reaching 21 regains one             | 20  | 30   | 1   | 0    | 1   | 21   | 30    | 2    | 1     | true  | false
      a broken streak at 7 regains none   | 7   | 7    | 0   | 0    | 5   | 1    | 7     | 0    | 5     | false | true
      """)
  void apply(String name, int current, int longest, int freezes, Integer last, int day,
             int expCurrent, int expLongest, int expFreezes, Integer expLast, boolean extended, boolean broken) {
    StreakState before = new StreakState(current, longest, freezes, day(last));
    StreakOutcome outcome = RULES.apply(before, day(day));
    assertEquals(new StreakState(expCurrent, expLongest, expFreezes, day(expLast)), outcome.state());
    assertEquals(extended, outcome.extended(), "extended");
    assertEquals(broken, outcome.broken(), "broken");
    assertEquals(!outcome.state().equals(before), outcome.changed(before));
  }

  @Test
  void sameDayAndLateEventsReturnTheStateUnchanged() {
    StreakState s = new StreakState(4, 6, 1, D);
    assertSame(s, RULES.apply(s, D).state());
    assertSame(s, RULES.apply(s, D.minusDays(3)).state());
    assertFalse(RULES.apply(s, D).changed(s));
  }

  @Test
  void aRegainedFreezeRespectsAConfiguredMax() {
    StreakRules five = new StreakRules(5);
    assertEquals(new StreakState(7, 7, 4, day(1)), five.apply(new StreakState(6, 6, 3, D), day(1)).state());
    assertEquals(new StreakState(7, 7, 5, day(1)), five.apply(new StreakState(6, 6, 5, D), day(1)).state());
    StreakRules none = new StreakRules(0);
    assertEquals(new StreakState(7, 7, 0, day(1)), none.apply(new StreakState(6, 6, 0, D), day(1)).state());
    assertEquals(new StreakState(1, 6, 0, day(2)), none.apply(new StreakState(6, 6, 0, D), day(2)).state());
  }

  @Test
  void aRunOfDaysWithGapsAndFreezes() {
    StreakState s = RULES.initial();
    int[] days = {0, 1, 2, 4, 5, 6, 7, 8, 10, 14};
    int[][] expected = {
        // current, longest, freezes after each day
        {1, 1, 2}, {2, 2, 2}, {3, 3, 2}, {4, 4, 1}, {5, 5, 1}, {6, 6, 1}, {7, 7, 2}, {8, 8, 2}, {9, 9, 1}, {1, 9, 1}};
    for (int i = 0; i < days.length; i++) {
      s = RULES.apply(s, day(days[i])).state();
      assertEquals(new StreakState(expected[i][0], expected[i][1], expected[i][2], day(days[i])), s, "after day " + days[i]);
    }
  }

  @ParameterizedTest(name = "last {0} -> day {1}: current {2}, freezes {3}")
  @CsvSource({
      "2026-12-31, 2027-01-01, 4, 2",  // across a year boundary: next day
      "2027-02-28, 2027-03-01, 4, 2",  // no February 29 in 2027: next day
      "2028-02-28, 2028-03-01, 4, 1",  // February 29, 2028 was missed: one freeze
      "2026-01-31, 2026-02-01, 4, 2",
  })
  void daysAreCalendarDays(LocalDate last, LocalDate day, int current, int freezes) {
    StreakState next = RULES.apply(new StreakState(3, 3, 2, last), day).state();
    assertEquals(new StreakState(current, 4, freezes, day), next);
  }

  // ---- time zones ---------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} in {1} is {2}")
  @CsvSource({
      "2026-11-27T20:00:00Z,       Asia/Tokyo,          2026-11-28",
      "2026-11-27T20:00:00Z,       America/Los_Angeles, 2026-11-27",
      "2026-11-27T20:00:00Z,       UTC,                 2026-11-27",
      "2026-11-28T05:00:00Z,       America/Los_Angeles, 2026-11-27",
      "2026-11-28T05:00:00Z,       UTC,                 2026-11-28",
      "2026-11-27T14:59:00Z,       Asia/Tokyo,          2026-11-27",
      "2026-11-27T15:00:00Z,       Asia/Tokyo,          2026-11-28",
      "2026-11-27T23:59:59.999Z,   UTC,                 2026-11-27",
      "2026-11-28T00:00:00Z,       UTC,                 2026-11-28",
  })
  void localDayIsTheDateInTheLearnersZone(Instant at, String zone, LocalDate expected) {
    assertEquals(expected, StreakRules.localDay(at, ZoneId.of(zone)));
  }

  @Test
  void theSameInstantIsADifferentDayInTokyoAndLosAngeles() {
    Instant at = Instant.parse("2026-11-27T20:00:00Z");
    LocalDate tokyo = StreakRules.localDay(at, ZoneId.of("Asia/Tokyo"));
    LocalDate losAngeles = StreakRules.localDay(at, ZoneId.of("America/Los_Angeles"));
    assertNotEquals(tokyo, losAngeles);
    assertEquals(losAngeles.plusDays(1), tokyo);
  }

  @Test
  void twoEventsTwoHoursApartAreTwoDaysInTokyoButOneDayInLosAngeles() {
    Instant first = Instant.parse("2026-11-27T14:00:00Z");   // 23:00 in Tokyo, 06:00 in Los Angeles
    Instant second = Instant.parse("2026-11-27T16:00:00Z");  // 01:00 next day in Tokyo, 08:00 in Los Angeles
    for (String zone : new String[] {"Asia/Tokyo", "America/Los_Angeles"}) {
      ZoneId z = ZoneId.of(zone);
      StreakState s = RULES.apply(RULES.initial(), StreakRules.localDay(first, z)).state();
      StreakOutcome o = RULES.apply(s, StreakRules.localDay(second, z));
      boolean tokyo = zone.equals("Asia/Tokyo");
      assertEquals(tokyo ? 2 : 1, o.state().current(), zone);
      assertEquals(tokyo, o.extended(), zone);
    }
  }

  @Test
  void localDayUsesOnlyTheGivenZone() {
    Instant at = Instant.parse("2026-11-27T23:30:00Z");
    assertEquals(LocalDate.of(2026, 11, 27), StreakRules.localDay(at, ZoneOffset.UTC));
    assertEquals(LocalDate.of(2026, 11, 28), StreakRules.localDay(at, ZoneId.of("Europe/Berlin")));
  }

  // ---- read side ----------------------------------------------------------------------------

  @ParameterizedTest(name = "freezes {0}, today = last + {1}: current {2}, atRisk {3}")
  @CsvSource({
      "2, 0,  3, false",
      "2, 1,  3, true",
      "2, 2,  3, true",
      "2, 3,  3, true",   // 1 + freezes days after last: still alive
      "2, 4,  0, false",  // more than 1 + freezes: gone
      "2, 30, 0, false",
      "0, 0,  3, false",
      "0, 1,  3, true",
      "0, 2,  0, false",
      "1, 2,  3, true",
      "1, 3,  0, false",
      "2, -1, 3, true",   // the learner's today is before last (zone moved west): not today, so at risk
  })
  void view(int freezes, int todayOffset, int current, boolean atRisk) {
    StreakState s = new StreakState(3, 5, freezes, D);
    assertEquals(new StreakView(current, 5, freezes, D, atRisk), StreakRules.view(s, day(todayOffset)));
  }

  @Test
  void viewBeforeAnyStudy() {
    assertEquals(new StreakView(0, 0, 2, null, false), StreakRules.view(RULES.initial(), D));
  }

  @Test
  void viewDoesNotChangeTheStoredState() {
    StreakState s = new StreakState(3, 5, 0, D);
    StreakView v = StreakRules.view(s, day(10));
    assertEquals(0, v.current());
    assertEquals(new StreakState(3, 5, 0, D), s);
    assertTrue(v.lastStudyDate().equals(D));
  }

  /** localDay is the date of the instant in the zone, around offset changes too. */
  @Test
  void localDayIsTheDateOfTheInstantInTheZone() {
    java.util.Random random = new java.util.Random(9);
    java.util.List<String> zones = java.util.List.of("UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe",
        "Pacific/Kiritimati", "Pacific/Apia", "Asia/Kolkata", "America/St_Johns");
    Instant from = Instant.parse("2010-01-01T00:00:00Z");
    for (int i = 0; i < 100_000; i++) {
      Instant at = from.plusSeconds(random.nextInt(20 * 365 * 86_400)).plusNanos(random.nextInt(1_000_000_000));
      ZoneId zone = ZoneId.of(zones.get(random.nextInt(zones.size())));
      assertEquals(at.atZone(zone).toLocalDate(), StreakRules.localDay(at, zone), at + " in " + zone);
    }
  }
}
