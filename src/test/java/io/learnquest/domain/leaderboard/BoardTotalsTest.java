package io.learnquest.domain.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
}
