package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PushGraceTest {
  private static final long MS = 1_000_000;

  @Test
  void beforeAnyPushTheGraceIsHalfASecond() {
    assertEquals(500, new PushGrace(5_000).graceMs());
  }

  @Test
  void fastPushesKeepTheGraceAtHalfASecond() {
    PushGrace grace = new PushGrace(5_000);
    for (int i = 0; i < 100; i++) {
      grace.pushed(20 * MS);
    }
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
    for (int i = 0; i < 200; i++) {
      grace.pushed(1_000 * MS);
    }
    assertEquals(4_000, grace.graceMs());
    for (int i = 0; i < 200; i++) {
      grace.pushed(3_000 * MS);
    }
    assertEquals(5_000, grace.graceMs(), "at most half of the 10 s wait, so a lost push is still answered");
  }

  @Test
  void theGraceComesBackDownWhenTheEngineDoes() {
    PushGrace grace = new PushGrace(5_000);
    for (int i = 0; i < 100; i++) {
      grace.pushed(1_000 * MS);
    }
    assertTrue(grace.graceMs() > 2_000);
    for (int i = 0; i < 100; i++) {
      grace.pushed(10 * MS);
    }
    assertEquals(500, grace.graceMs());
  }

  @Test
  void aShortWaitStillGetsTheMinimumGrace() {
    PushGrace grace = new PushGrace(600);
    grace.pushed(400 * MS);
    assertEquals(500, grace.graceMs());
  }
}
