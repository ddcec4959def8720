package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.leaderboard.Standing;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link LeaderboardStore} adapter must do; subclasses supply an empty store. */
public abstract class LeaderboardStoreContract {
  static final String BOARD = "global/all-time";

  /** The tenant the contract writes to. */
  static final String T = "tenant-a";

  protected abstract LeaderboardStore store();

  @Test
  void ordersByScoreDescendingThenLearnerIdAscending() {
    await(store().setScores(T, "carol", Map.of(BOARD, 100L)));
    await(store().setScores(T, "bob", Map.of(BOARD, 150L)));
    await(store().setScores(T, "alice", Map.of(BOARD, 100L)));
    await(store().setScores(T, "dave", Map.of(BOARD, 100L)));
    LeaderboardStore.Slice all = await(store().range(T, BOARD, 0, 10));
    assertEquals(4, all.total());
    assertEquals(List.of(new Standing("bob", 150), new Standing("alice", 100), new Standing("carol", 100),
        new Standing("dave", 100)), all.standings());
    assertEquals(0L, await(store().position(T, BOARD, "bob")));
    assertEquals(2L, await(store().position(T, BOARD, "carol")));
    assertNull(await(store().position(T, BOARD, "nobody")));
  }

  @Test
  void settingAScoreAgainMovesTheLearnerInsteadOfAddingThem() {
    await(store().setScores(T, "alice", Map.of(BOARD, 10L)));
    await(store().setScores(T, "bob", Map.of(BOARD, 20L)));
    await(store().setScores(T, "alice", Map.of(BOARD, 30L)));
    await(store().setScores(T, "alice", Map.of(BOARD, 30L)));
    assertEquals(List.of(new Standing("alice", 30), new Standing("bob", 20)),
        await(store().range(T, BOARD, 0, 10)).standings());
  }

  /**
   * A weekly board is kept {@code weeklyRetentionWeeks} (12 here) after its week ends: a score for a
   * week long past is neither kept nor shown, one for this week is.
   */
  @Test
  void aWeeklyBoardPastItsRetentionIsNeitherKeptNorShown() {
    String past = "global/2020-W01";
    String thisWeek = "global/" + io.learnquest.domain.leaderboard.Board.weekOf(java.time.Instant.now());
    await(store().setScores(T, "alice", Map.of(BOARD, 10L, past, 10L, thisWeek, 10L)));
    await(store().rebuild(T, Map.of(past, List.of(new Standing("bob", 20)))));
    await(store().replaceScores(T, "carol", Map.of(past, new ScoreChange(0, 30))));
    assertEquals(new LeaderboardStore.Slice(0, List.of()), await(store().range(T, past, 0, 10)));
    assertNull(await(store().position(T, past, "alice")));
    assertEquals(List.of(new Standing("alice", 10)), await(store().range(T, thisWeek, 0, 10)).standings());
    assertEquals(List.of(new Standing("alice", 10)), await(store().range(T, BOARD, 0, 10)).standings());
  }

  /**
   * Writes made at once go out together (an adapter may group them by board): every learner lands on
   * every board they were given, each tenant on its own, and a learner written several times in the
   * crowd keeps the highest total.
   */
  @Test
  void aCrowdOfWritesLandsWhole() {
    String course = "course:c1/all-time";
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      String learner = String.format("learner-%04d", i);
      writes.add(store().setScores(T, learner, Map.of(BOARD, i + 1L, course, 2L * (i + 1))));
      writes.add(store().setScores("tenant-b", learner, Map.of(BOARD, 5000L - i)));
    }
    writes.add(store().setScores(T, "learner-0000", Map.of(BOARD, 9999L)));
    writes.add(store().setScores(T, "learner-0000", Map.of(BOARD, 3L)));
    await(Future.all(writes));
    LeaderboardStore.Slice global = await(store().range(T, BOARD, 0, 2));
    assertEquals(1200, global.total());
    assertEquals(List.of(new Standing("learner-0000", 9999), new Standing("learner-1199", 1200)), global.standings());
    assertEquals(new Standing("learner-0001", 2), await(store().range(T, BOARD, 1199, 1)).standings().get(0));
    LeaderboardStore.Slice onCourse = await(store().range(T, course, 0, 1));
    assertEquals(1200, onCourse.total());
    assertEquals(List.of(new Standing("learner-1199", 2400)), onCourse.standings());
    assertEquals(1199L, await(store().position(T, course, "learner-0000")));
    LeaderboardStore.Slice other = await(store().range("tenant-b", BOARD, 0, 1));
    assertEquals(1200, other.total());
    assertEquals(List.of(new Standing("learner-0000", 5000)), other.standings());
  }

  @Test
  void aLateLowerTotalNeverLowersAScore() {
    await(store().setScores(T, "alice", Map.of(BOARD, 30L)));
    await(store().setScores(T, "alice", Map.of(BOARD, 20L)));
    assertEquals(List.of(new Standing("alice", 30)), await(store().range(T, BOARD, 0, 10)).standings());
  }

  @Test
  void aCorrectionLowersRaisesOrRemovesAScoreWhereItIsStillTheOneGiven() {
    String weekly = "global/2026-W48";
    await(store().setScores(T, "alice", Map.of(BOARD, 300L, weekly, 300L)));
    await(store().setScores(T, "bob", Map.of(BOARD, 200L)));
    assertFalse(await(store().replaceScores(T, "alice", Map.of(BOARD, new ScoreChange(300, 150),
        weekly, new ScoreChange(300, 0)))), "no rebuild runs");
    assertEquals(List.of(new Standing("bob", 200), new Standing("alice", 150)),
        await(store().range(T, BOARD, 0, 10)).standings(), "lowered, and ranked again");
    assertEquals(0, await(store().range(T, weekly, 0, 10)).total(), "a total of 0 leaves no entry");
    assertNull(await(store().position(T, weekly, "alice")));
    await(store().replaceScores(T, "alice", Map.of(BOARD, new ScoreChange(999, 1))));
    assertEquals(List.of(new Standing("bob", 200), new Standing("alice", 150)),
        await(store().range(T, BOARD, 0, 10)).standings(), "a score no longer the one given stays");
    await(store().replaceScores(T, "carol", Map.of(BOARD, new ScoreChange(0, 10), weekly, new ScoreChange(0, 10))));
    assertEquals(List.of(new Standing("bob", 200), new Standing("alice", 150), new Standing("carol", 10)),
        await(store().range(T, BOARD, 0, 10)).standings(), "from no entry to a score");
    await(store().setScores(T, "alice", Map.of(BOARD, 160L)));
    assertEquals(160L, await(store().range(T, BOARD, 1, 1)).standings().get(0).xp(), "raised again as usual");
  }

  @Test
  void aCorrectionDuringARebuildReachesItsNewBoardsAndSaysSo() {
    await(store().setScores(T, "alice", Map.of(BOARD, 300L)));
    assertEquals("g1", await(store().beginRebuild(T, "g1", 60_000)));
    await(store().rebuildPage(T, "g1", Map.of(BOARD, List.of(new Standing("alice", 300)))));
    assertTrue(await(store().replaceScores(T, "alice", Map.of(BOARD, new ScoreChange(300, 100)))));
    await(store().finishRebuild(T, "g1"));
    assertEquals(List.of(new Standing("alice", 100)), await(store().range(T, BOARD, 0, 10)).standings());
  }

  @Test
  void rangesPageThroughTheBoard() {
    for (int i = 0; i < 25; i++) {
      await(store().setScores(T, String.format("l%02d", i), Map.of(BOARD, (long) i)));
    }
    LeaderboardStore.Slice page = await(store().range(T, BOARD, 10, 10));
    assertEquals(25, page.total());
    assertEquals(new Standing("l14", 14), page.standings().get(0));
    assertEquals(5, await(store().range(T, BOARD, 20, 10)).standings().size());
    assertEquals(0, await(store().range(T, BOARD, 30, 10)).standings().size());
    assertEquals(new LeaderboardStore.Slice(0, List.of()), await(store().range(T, "global/2026-W01", 0, 10)));
  }

  @Test
  void boardsAreIndependent() {
    await(store().setScores(T, "alice", Map.of(BOARD, 10L, "course:c1/all-time", 5L)));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range(T, "course:c1/all-time", 0, 10)).standings());
    assertNull(await(store().position(T, "course:c2/all-time", "alice")));
  }

  @Test
  void rebuildAfterClearRestoresTheTotalsExactly() {
    await(store().setScores(T, "alice", Map.of(BOARD, 5L, "global/2026-W48", 5L)));
    assertFalse(await(store().isEmpty(T)));
    await(store().clear());
    assertTrue(await(store().isEmpty(T)));
    assertEquals(0, await(store().range(T, "global/2026-W48", 0, 10)).total());
    await(store().rebuild(T, Map.of(BOARD, List.of(new Standing("alice", 7), new Standing("bob", 9)),
        "global/2026-W48", List.of(new Standing("alice", 7)))));
    assertEquals(List.of(new Standing("bob", 9), new Standing("alice", 7)),
        await(store().range(T, BOARD, 0, 10)).standings());
    assertEquals(List.of(new Standing("alice", 7)), await(store().range(T, "global/2026-W48", 0, 10)).standings());
  }

  /** Thousands of boards (courses times weeks) in one rebuild and one clear: more commands than one pipeline takes. */
  @Test
  void thousandsOfBoardsAreRebuiltAndClearedInOneCall() {
    Map<String, List<Standing>> boards = new java.util.HashMap<>();
    for (int c = 0; c < 3000; c++) {
      boards.put("course:c" + c + "/all-time", List.of(new Standing("alice", c + 1L), new Standing("bob", 5)));
    }
    boards.put(BOARD, List.of(new Standing("alice", 1)));
    await(store().rebuild(T, boards));
    assertEquals(List.of(new Standing("alice", 3000), new Standing("bob", 5)),
        await(store().range(T, "course:c2999/all-time", 0, 10)).standings());
    assertEquals(List.of(new Standing("bob", 5), new Standing("alice", 1)),
        await(store().range(T, "course:c0/all-time", 0, 10)).standings());
    assertFalse(await(store().isEmpty(T)));
    await(store().clear());
    assertTrue(await(store().isEmpty(T)));
    assertEquals(0, await(store().range(T, "course:c1500/all-time", 0, 10)).total());
  }

  @Test
  void rebuildRaisesStaleScoresAndKeepsNewerOnes() {
    await(store().setScores(T, "alice", Map.of(BOARD, 3L)));
    await(store().setScores(T, "bob", Map.of(BOARD, 50L)));
    await(store().rebuild(T, Map.of(BOARD, List.of(new Standing("alice", 7), new Standing("bob", 40)))));
    assertEquals(List.of(new Standing("bob", 50), new Standing("alice", 7)),
        await(store().range(T, BOARD, 0, 10)).standings());
  }

  @Test
  void aRebuildFillsNewBoardsBesideTheLiveOnesAndSwapsThemInAtOnce() {
    String course = "course:c1/all-time";
    String gone = "course:gone/all-time";
    await(store().setScores(T, "alice", Map.of(BOARD, 5L, course, 5L)));
    await(store().setScores(T, "bob", Map.of(BOARD, 9L)));
    await(store().setScores(T, "stale", Map.of(BOARD, 99L, gone, 99L)));
    assertEquals("g1", await(store().beginRebuild(T, "g1", 60_000)));
    assertEquals("g1", await(store().rebuildHolder(T)));
    assertEquals("g1", await(store().beginRebuild(T, "g2", 60_000)), "one rebuild at a time: the second is told the first");

    await(store().rebuildPage(T, "g1", Map.of(BOARD, List.of(new Standing("alice", 7), new Standing("bob", 9)))));
    // Until the swap, reads see the live boards, whole.
    assertEquals(List.of(new Standing("stale", 99), new Standing("bob", 9), new Standing("alice", 5)),
        await(store().range(T, BOARD, 0, 10)).standings());
    // A live update during the rebuild: a total above the page's, and one on a board no page holds yet.
    await(store().setScores(T, "bob", Map.of(BOARD, 20L)));
    await(store().setScores(T, "alice", Map.of(course, 12L)));
    await(store().rebuildPage(T, "g1", Map.of(BOARD, List.of(new Standing("bob", 15)),
        course, List.of(new Standing("alice", 10)))));
    assertEquals(List.of(new Standing("stale", 99), new Standing("bob", 20), new Standing("alice", 5)),
        await(store().range(T, BOARD, 0, 10)).standings());

    await(store().finishRebuild(T, "g1"));
    assertEquals(List.of(new Standing("bob", 20), new Standing("alice", 7)), await(store().range(T, BOARD, 0, 10)).standings(),
        "the totals and the live update merged; what the durable totals lack is gone");
    assertEquals(List.of(new Standing("alice", 12)), await(store().range(T, course, 0, 10)).standings());
    assertEquals(0, await(store().range(T, gone, 0, 10)).total());
    assertNull(await(store().rebuildHolder(T)));
    // After the swap a live update lands on the new boards as ever.
    await(store().setScores(T, "alice", Map.of(BOARD, 30L)));
    assertEquals(0L, await(store().position(T, BOARD, "alice")));
  }

  @Test
  void anAbandonedRebuildLeavesTheLiveBoardsAndFreesTheStore() {
    await(store().setScores(T, "alice", Map.of(BOARD, 5L)));
    assertEquals("g1", await(store().beginRebuild(T, "g1", 60_000)));
    await(store().rebuildPage(T, "g1", Map.of(BOARD, List.of(new Standing("bob", 3)))));
    await(store().abandonRebuild(T, "g1"));
    assertNull(await(store().rebuildHolder(T)));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range(T, BOARD, 0, 10)).standings());
    org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> await(store().finishRebuild(T, "g1")));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range(T, BOARD, 0, 10)).standings());
    assertEquals("g2", await(store().beginRebuild(T, "g2", 60_000)));
    await(store().finishRebuild(T, "g2"));
    assertTrue(await(store().isEmpty(T)), "a rebuild from no totals at all leaves no board");
  }

  /**
   * Each tenant has its own boards: the same learner on the same board in two tenants is two
   * scores, a rebuild of one tenant swaps its boards alone (while the other's may rebuild at the
   * same time), and erasing one tenant leaves the other's boards whole.
   */
  @Test
  void tenantsHaveTheirOwnBoardsRebuildsAndErasure() {
    String other = "tenant-b";
    await(store().setScores(T, "alice", Map.of(BOARD, 5L)));
    await(store().setScores(other, "alice", Map.of(BOARD, 50L)));
    await(store().setScores(other, "bob", Map.of(BOARD, 7L)));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range(T, BOARD, 0, 10)).standings());
    assertEquals(List.of(new Standing("alice", 50), new Standing("bob", 7)),
        await(store().range(other, BOARD, 0, 10)).standings());
    assertNull(await(store().position(T, BOARD, "bob")));
    assertEquals(1L, await(store().position(other, BOARD, "bob")));

    assertEquals("g1", await(store().beginRebuild(T, "g1", 60_000)));
    assertNull(await(store().rebuildHolder(other)), "a rebuild holds its own tenant only");
    assertEquals("h1", await(store().beginRebuild(other, "h1", 60_000)));
    await(store().rebuildPage(T, "g1", Map.of(BOARD, List.of(new Standing("carol", 3)))));
    await(store().finishRebuild(T, "g1"));
    assertEquals(List.of(new Standing("carol", 3)), await(store().range(T, BOARD, 0, 10)).standings());
    assertEquals(List.of(new Standing("alice", 50), new Standing("bob", 7)),
        await(store().range(other, BOARD, 0, 10)).standings(), "the other tenant's boards are untouched");
    assertEquals("h1", await(store().rebuildHolder(other)));
    await(store().abandonRebuild(other, "h1"));

    await(store().eraseTenant(T));
    assertTrue(await(store().isEmpty(T)));
    assertEquals(0, await(store().range(T, BOARD, 0, 10)).total());
    assertFalse(await(store().isEmpty(other)));
    assertEquals(2, await(store().range(other, BOARD, 0, 10)).total());
  }
}
