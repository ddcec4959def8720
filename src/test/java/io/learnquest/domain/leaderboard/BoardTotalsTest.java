package io.learnquest.domain.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoardTotalsTest {
  private static final Instant MONDAY_W51 = Instant.parse("2026-12-14T00:00:00Z");

  @Test
  void incrementsAddToTheTotalsAndNewBoardsStartFromThem() {
    Map<String, Long> after = BoardTotals.add(Map.of("global/all-time", 100L, "global/2026-W50", 40L),
        Map.of("global/all-time", 10L, "global/2026-W51", 10L), MONDAY_W51, 12);
    assertEquals(Map.of("global/all-time", 110L, "global/2026-W50", 40L, "global/2026-W51", 10L), after);
  }

  @Test
  void noIncrementChangesNothing() {
    Map<String, Long> totals = Map.of("global/2020-W01", 5L);
    assertSame(totals, BoardTotals.add(totals, Map.of(), MONDAY_W51, 12));
  }

  /** A weekly board expires retentionWeeks after its week ends, as Board.expiresAt says, to the second. */
  @Test
  void aWeeklyTotalGoesWhenItsBoardExpiresAndNotBefore() {
    for (String week : new String[] {"2026-W48", "2026-W01", "2025-W52", "2020-W53"}) {
      for (int retention : new int[] {0, 1, 2, 12, 60}) {
        String key = "course:c1/" + week;
        Instant expiry = Board.fromKey(key).expiresAt(retention);
        Map<String, Long> totals = Map.of(key, 7L, "course:c1/all-time", 7L);
        assertTrue(BoardTotals.unexpired(totals, expiry.minusSeconds(1), retention).containsKey(key),
            week + " kept until " + expiry + " (" + retention + ")");
        assertFalse(BoardTotals.unexpired(totals, expiry, retention).containsKey(key),
            week + " gone at " + expiry + " (" + retention + ")");
        assertTrue(BoardTotals.unexpired(totals, expiry.plusSeconds(86_400L * 400), retention)
            .containsKey("course:c1/all-time"), "an all-time total never goes");
      }
    }
  }

  @Test
  void changesNameEveryBoardThatMovesWithZeroForNoTotal() {
    assertEquals(Map.of("global/all-time", new ScoreChange(100, 60), "global/2026-W50", new ScoreChange(40, 0),
            "course:c1/all-time", new ScoreChange(0, 20)),
        BoardTotals.changes(Map.of("global/all-time", 100L, "global/2026-W50", 40L, "global/2026-W49", 60L),
            Map.of("global/all-time", 60L, "global/2026-W49", 60L, "course:c1/all-time", 20L)));
    assertEquals(Map.of(), BoardTotals.changes(Map.of("global/all-time", 1L), Map.of("global/all-time", 1L)));
  }

  /**
   * add builds the learner's next totals in one pass: the same as copying the unexpired totals and
   * merging the increments in, for random totals, events and retentions (a negative one expiring the
   * event's own week), and unmodifiable.
   */
  @Test
  void addIsTheUnexpiredTotalsWithTheIncrementsMergedIn() {
    java.util.Random random = new java.util.Random(11);
    List<String> scopes = List.of("global", "course:a", "course:b/c", "course:all-time");
    for (int round = 0; round < 20_000; round++) {
      Instant at = Instant.parse("2026-01-05T00:00:00Z").plusSeconds(random.nextInt(86_400 * 400));
      int retention = random.nextInt(22) - 1;
      Map<String, Long> totals = new java.util.HashMap<>();
      for (int i = random.nextInt(12); i > 0; i--) {
        String period = random.nextInt(4) == 0 ? Board.ALL_TIME
            : Board.weekOf(at.minus(java.time.Duration.ofDays(random.nextInt(200) - 5)));
        totals.put(scopes.get(random.nextInt(scopes.size())) + "/" + period, (long) random.nextInt(1000));
      }
      Map<String, Long> increments = new java.util.LinkedHashMap<>();
      Board.keysFor(random.nextBoolean() ? null : "a", at).forEach(key -> increments.put(key, 7L));
      Map<String, Long> before = Map.copyOf(totals);

      // what add did before it was written as one pass
      Map<String, Long> reference = hasOtherWeek(before, increments)
          ? new java.util.HashMap<>(BoardTotals.unexpired(before, at, retention)) : new java.util.HashMap<>(before);
      increments.forEach((board, xp) -> reference.merge(board, xp, Long::sum));
      Map<String, Long> after = BoardTotals.add(before, increments, at, retention);
      assertEquals(reference, after, () -> before + " + " + increments + " at " + at + ", " + retention);
      assertThrows(UnsupportedOperationException.class, () -> after.put("global/all-time", 1L));
    }
  }

  /** What the totals were checked for before expiring any: a weekly total the event does not add to. */
  private static boolean hasOtherWeek(Map<String, Long> totals, Map<String, Long> increments) {
    return totals.keySet().stream().anyMatch(board -> !increments.containsKey(board) && !board.endsWith("/all-time"));
  }

  /** expired compares the period where it stands in the key: as comparing it cut out of the key does. */
  @Test
  void expiredIsThePeriodComparedAsText() {
    List<String> keys = List.of("global/all-time", "all-time", "global/2026-W10", "global/2026-W1", "global/2026-W100",
        "course:x/2025-W52", "course:x/y/2026-W09", "2026-W09", "global/", "global/all-timex", "global/all-tim",
        "course:all-time/2026-W11", "global/2026-W09");
    for (String key : keys) {
      for (String week : List.of("2026-W09", "2026-W10", "2025-W53", "2026-W1", "", "all-time", "2026-W100")) {
        String period = key.substring(key.lastIndexOf('/') + 1);
        boolean reference = !Board.ALL_TIME.equals(period) && period.compareTo(week) <= 0;
        assertEquals(reference, BoardTotals.expired(key, week), key + " vs " + week);
      }
    }
  }
}
