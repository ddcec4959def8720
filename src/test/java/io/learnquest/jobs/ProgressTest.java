package io.learnquest.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arithmetic of progress: rate, time left, percentage, on times given by the test. */
class ProgressTest {
  static final long S = 1_000_000_000L;

  @Test
  void rateAndTimeLeftFollowFromWhatIsDoneSoFar() {
    Progress p = new Progress(10_000, 5 * S);
    p.advance(2_500);
    assertEquals(1_250.0, p.ratePerSecond(7 * S), 1e-9);
    assertEquals(Duration.ofSeconds(6), p.eta(7 * S));
    assertEquals(25.0, p.percent());
    assertEquals("2500 / 10000 (25.0%), 1250/s, ETA 6 s", p.describe(7 * S));
  }

  @Test
  void nothingDoneYetHasNoRateAndNoTimeLeftToTell() {
    Progress p = new Progress(100, 0);
    assertEquals(0.0, p.ratePerSecond(0));
    assertNull(p.eta(3 * S));
    assertEquals("0 / 100 (0.0%), 0/s, ETA unknown", p.describe(3 * S));
  }

  @Test
  void doneIsZeroTimeLeftAndAHundredPercent() {
    Progress p = new Progress(3, 0);
    p.advance(3);
    assertEquals(Duration.ZERO, p.eta(S));
    assertEquals(100.0, p.percent());
    Progress empty = new Progress(0, 0);
    assertEquals(100.0, empty.percent());
    assertEquals(Duration.ZERO, empty.eta(0));
  }

  @Test
  void moreDoneThanExpectedRaisesTheTotalAndATotalNeverFallsBelowTheDone() {
    Progress p = new Progress(10, 0);
    p.advance(12);
    assertEquals(12, p.total());
    p.total(5);
    assertEquals(12, p.total());
    p.total(20);
    assertEquals(20, p.total());
  }

  @Test
  void percentIsRoundedDownSoItReachesAHundredOnlyWhenDone() {
    Progress p = new Progress(3, 0);
    p.advance(1);
    assertEquals(33.3, p.percent());
    p.advance(1);
    assertEquals(66.6, p.percent());
    Progress nearly = new Progress(10_000, 0);
    nearly.advance(9_999);
    assertEquals(99.9, nearly.percent());
  }

  @Test
  void longTimesLeftAreInMinutes() {
    Progress p = new Progress(1_000_000, 0);
    p.advance(1_000);
    assertEquals("1000 / 1000000 (0.1%), 100/s, ETA 166 min 30 s", p.describe(10 * S));
  }

  @Test
  void negativeAmountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Progress(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Progress(1, 0).advance(-1));
  }
}
