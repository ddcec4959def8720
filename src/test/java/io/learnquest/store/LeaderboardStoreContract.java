package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.leaderboard.Standing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link LeaderboardStore} adapter must do; subclasses supply an empty store. */
public abstract class LeaderboardStoreContract {
  static final String BOARD = "global/all-time";

  protected abstract LeaderboardStore store();

  @Test
  void ordersByScoreDescendingThenLearnerIdAscending() {
    await(store().setScores("carol", Map.of(BOARD, 100L)));
    await(store().setScores("bob", Map.of(BOARD, 150L)));
    await(store().setScores("alice", Map.of(BOARD, 100L)));
    await(store().setScores("dave", Map.of(BOARD, 100L)));
    LeaderboardStore.Slice all = await(store().range(BOARD, 0, 10));
    assertEquals(4, all.total());
    assertEquals(List.of(new Standing("bob", 150), new Standing("alice", 100), new Standing("carol", 100),
        new Standing("dave", 100)), all.standings());
    assertEquals(0L, await(store().position(BOARD, "bob")));
    assertEquals(2L, await(store().position(BOARD, "carol")));
    assertNull(await(store().position(BOARD, "nobody")));
  }

  @Test
  void settingAScoreAgainMovesTheLearnerInsteadOfAddingThem() {
    await(store().setScores("alice", Map.of(BOARD, 10L)));
    await(store().setScores("bob", Map.of(BOARD, 20L)));
    await(store().setScores("alice", Map.of(BOARD, 30L)));
    await(store().setScores("alice", Map.of(BOARD, 30L)));
    assertEquals(List.of(new Standing("alice", 30), new Standing("bob", 20)),
        await(store().range(BOARD, 0, 10)).standings());
  }

  @Test
  void aLateLowerTotalNeverLowersAScore() {
    await(store().setScores("alice", Map.of(BOARD, 30L)));
    await(store().setScores("alice", Map.of(BOARD, 20L)));
    assertEquals(List.of(new Standing("alice", 30)), await(store().range(BOARD, 0, 10)).standings());
  }

  @Test
  void rangesPageThroughTheBoard() {
    for (int i = 0; i < 25; i++) {
      await(store().setScores(String.format("l%02d", i), Map.of(BOARD, (long) i)));
    }
    LeaderboardStore.Slice page = await(store().range(BOARD, 10, 10));
    assertEquals(25, page.total());
    assertEquals(new Standing("l14", 14), page.standings().get(0));
    assertEquals(5, await(store().range(BOARD, 20, 10)).standings().size());
    assertEquals(0, await(store().range(BOARD, 30, 10)).standings().size());
    assertEquals(new LeaderboardStore.Slice(0, List.of()), await(store().range("global/2026-W01", 0, 10)));
  }

  @Test
  void boardsAreIndependent() {
    await(store().setScores("alice", Map.of(BOARD, 10L, "course:c1/all-time", 5L)));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range("course:c1/all-time", 0, 10)).standings());
    assertNull(await(store().position("course:c2/all-time", "alice")));
  }

  @Test
  void rebuildAfterClearRestoresTheTotalsExactly() {
    await(store().setScores("alice", Map.of(BOARD, 5L, "global/2026-W48", 5L)));
    assertFalse(await(store().isEmpty()));
    await(store().clear());
    assertTrue(await(store().isEmpty()));
    assertEquals(0, await(store().range("global/2026-W48", 0, 10)).total());
    await(store().rebuild(Map.of(BOARD, List.of(new Standing("alice", 7), new Standing("bob", 9)),
        "global/2026-W48", List.of(new Standing("alice", 7)))));
    assertEquals(List.of(new Standing("bob", 9), new Standing("alice", 7)),
        await(store().range(BOARD, 0, 10)).standings());
    assertEquals(List.of(new Standing("alice", 7)), await(store().range("global/2026-W48", 0, 10)).standings());
  }

  /** Thousands of boards (courses times weeks) in one rebuild and one clear: more commands than one pipeline takes. */
  @Test
  void thousandsOfBoardsAreRebuiltAndClearedInOneCall() {
    Map<String, List<Standing>> boards = new java.util.HashMap<>();
    for (int c = 0; c < 3000; c++) {
      boards.put("course:c" + c + "/all-time", List.of(new Standing("alice", c + 1L), new Standing("bob", 5)));
    }
    boards.put(BOARD, List.of(new Standing("alice", 1)));
    await(store().rebuild(boards));
    assertEquals(List.of(new Standing("alice", 3000), new Standing("bob", 5)),
        await(store().range("course:c2999/all-time", 0, 10)).standings());
    assertEquals(List.of(new Standing("bob", 5), new Standing("alice", 1)),
        await(store().range("course:c0/all-time", 0, 10)).standings());
    assertFalse(await(store().isEmpty()));
    await(store().clear());
    assertTrue(await(store().isEmpty()));
    assertEquals(0, await(store().range("course:c1500/all-time", 0, 10)).total());
  }

  @Test
  void rebuildRaisesStaleScoresAndKeepsNewerOnes() {
    await(store().setScores("alice", Map.of(BOARD, 3L)));
    await(store().setScores("bob", Map.of(BOARD, 50L)));
    await(store().rebuild(Map.of(BOARD, List.of(new Standing("alice", 7), new Standing("bob", 40)))));
    assertEquals(List.of(new Standing("bob", 50), new Standing("alice", 7)),
        await(store().range(BOARD, 0, 10)).standings());
  }

  @Test
  void aRebuildFillsNewBoardsBesideTheLiveOnesAndSwapsThemInAtOnce() {
    String course = "course:c1/all-time";
    String gone = "course:gone/all-time";
    await(store().setScores("alice", Map.of(BOARD, 5L, course, 5L)));
    await(store().setScores("bob", Map.of(BOARD, 9L)));
    await(store().setScores("stale", Map.of(BOARD, 99L, gone, 99L)));
    assertEquals("g1", await(store().beginRebuild("g1", 60_000)));
    assertEquals("g1", await(store().rebuildHolder()));
    assertEquals("g1", await(store().beginRebuild("g2", 60_000)), "one rebuild at a time: the second is told the first");

    await(store().rebuildPage("g1", Map.of(BOARD, List.of(new Standing("alice", 7), new Standing("bob", 9)))));
    // Until the swap, reads see the live boards, whole.
    assertEquals(List.of(new Standing("stale", 99), new Standing("bob", 9), new Standing("alice", 5)),
        await(store().range(BOARD, 0, 10)).standings());
    // A live update during the rebuild: a total above the page's, and one on a board no page holds yet.
    await(store().setScores("bob", Map.of(BOARD, 20L)));
    await(store().setScores("alice", Map.of(course, 12L)));
    await(store().rebuildPage("g1", Map.of(BOARD, List.of(new Standing("bob", 15)),
        course, List.of(new Standing("alice", 10)))));
    assertEquals(List.of(new Standing("stale", 99), new Standing("bob", 20), new Standing("alice", 5)),
        await(store().range(BOARD, 0, 10)).standings());

    await(store().finishRebuild("g1"));
    assertEquals(List.of(new Standing("bob", 20), new Standing("alice", 7)), await(store().range(BOARD, 0, 10)).standings(),
        "the totals and the live update merged; what the durable totals lack is gone");
    assertEquals(List.of(new Standing("alice", 12)), await(store().range(course, 0, 10)).standings());
    assertEquals(0, await(store().range(gone, 0, 10)).total());
    assertNull(await(store().rebuildHolder()));
    // After the swap a live update lands on the new boards as ever.
    await(store().setScores("alice", Map.of(BOARD, 30L)));
    assertEquals(0L, await(store().position(BOARD, "alice")));
  }

  @Test
  void anAbandonedRebuildLeavesTheLiveBoardsAndFreesTheStore() {
    await(store().setScores("alice", Map.of(BOARD, 5L)));
    assertEquals("g1", await(store().beginRebuild("g1", 60_000)));
    await(store().rebuildPage("g1", Map.of(BOARD, List.of(new Standing("bob", 3)))));
    await(store().abandonRebuild("g1"));
    assertNull(await(store().rebuildHolder()));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range(BOARD, 0, 10)).standings());
    org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> await(store().finishRebuild("g1")));
    assertEquals(List.of(new Standing("alice", 5)), await(store().range(BOARD, 0, 10)).standings());
    assertEquals("g2", await(store().beginRebuild("g2", 60_000)));
    await(store().finishRebuild("g2"));
    assertTrue(await(store().isEmpty()), "a rebuild from no totals at all leaves no board");
  }
}
