package io.learnquest.domain.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GcraTest {
  static final long MINUTE = 60_000_000;
  static final long INTERVAL = Gcra.interval(120, MINUTE);

  @Test
  void aFreshBudgetTakesItsWholeLimitAtOnceAndNoMore() {
    Gcra.Step first = Gcra.take(0, 1_000_000_000, 120, INTERVAL, MINUTE);
    assertEquals(120, first.granted());
    assertEquals(0, first.retryAfterMicros());
    Gcra.Step next = Gcra.take(first.tat(), 1_000_000_000, 1, INTERVAL, MINUTE);
    assertEquals(0, next.granted());
    assertEquals(first.tat(), next.tat(), "a refusal changes nothing");
    assertEquals(500_000, next.retryAfterMicros(), "one event of 120 a minute fits again after half a second");
  }

  @Test
  void aTakeGetsAsManyAsFitAndSaysWhenTheNextOneFits() {
    Gcra.Step some = Gcra.take(0, 0, 100, INTERVAL, MINUTE);
    Gcra.Step rest = Gcra.take(some.tat(), 0, 30, INTERVAL, MINUTE);
    assertEquals(20, rest.granted());
    assertEquals(500_000, rest.retryAfterMicros());
    // half a second later exactly one more fits
    Gcra.Step later = Gcra.take(rest.tat(), 500_000, 2, INTERVAL, MINUTE);
    assertEquals(1, later.granted());
  }

  @Test
  void theBudgetRefillsSmoothlyWithoutAWindowEdge() {
    Gcra.Step full = Gcra.take(0, 0, 120, INTERVAL, MINUTE);
    // after 30 s, 60 units are back; never the whole limit again at a window edge
    assertEquals(60, Gcra.take(full.tat(), 30_000_000, 1_000, INTERVAL, MINUTE).granted());
    assertEquals(120, Gcra.take(full.tat(), 60_000_000, 1_000, INTERVAL, MINUTE).granted());
    assertEquals(120, Gcra.take(full.tat(), 3_600_000_000L, 1_000, INTERVAL, MINUTE).granted(),
        "an idle budget holds its limit, not more");
  }

  @Test
  void ratesAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Gcra.interval(0, MINUTE));
    assertEquals(1, Gcra.interval(Limits.MAX_PER_SECOND, Limits.SECOND_MICROS));
    assertThrows(IllegalArgumentException.class, () -> new Limits(0, 120, 5));
    assertThrows(IllegalArgumentException.class, () -> new Limits(2_000, 120, 0));
  }
}
