package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PushGraceTest {
  private static final long MS = 1_000_000;

  /** {@code times} outcomes pushed {@code ms} after acceptance each. */
  private static void pushed(PushGrace grace, int times, long ms) {
    for (int i = 0; i < times; i++) {
      grace.pushed(ms * MS);
    }
  }

  @Test
  void beforeAnyPushTheGraceIsHalfASecond() {
    assertEquals(500, new PushGrace(5_000).graceMs());
  }

  @Test
  void fastPushesKeepTheGraceAtHalfASecond() {
    PushGrace grace = new PushGrace(5_000);
    pushed(grace, 100, 20);
    assertEquals(500, grace.graceMs());
  }

  /**
   * An engine answering in about a second (a saturated cluster): its waiting requests do not ask the
   * log after half a second, each of them four times a second, but only past four times that.
   */
  @Test
  void slowPushesLengthenTheGraceToFourTimesTheirLatencyUpToHalfTheWait() {
    PushGrace grace = new PushGrace(10_000);
    grace.pushed(600 * MS);
    assertEquals(2_400, grace.graceMs());
    pushed(grace, 200, 1_000);
    assertEquals(4_000, grace.graceMs());
    pushed(grace, 200, 3_000);
    assertEquals(5_000, grace.graceMs(), "at most half of the 10 s wait, so a lost push is still answered");
  }

  @Test
  void theGraceComesBackDownWhenTheEngineDoes() {
    PushGrace grace = new PushGrace(5_000);
    pushed(grace, 100, 1_000);
    assertTrue(grace.graceMs() > 2_000);
    pushed(grace, 100, 10);
    assertEquals(500, grace.graceMs());
  }

  @Test
  void aShortWaitStillGetsTheMinimumGrace() {
    PushGrace grace = new PushGrace(600);
    grace.pushed(400 * MS);
    assertEquals(500, grace.graceMs());
  }
}
