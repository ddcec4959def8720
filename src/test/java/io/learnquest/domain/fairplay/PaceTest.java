package io.learnquest.domain.fairplay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The velocity rule's memory: what it keeps, what it counts, and that it cannot be changed from outside. */
class PaceTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void withKeepsOnlyTheTimesWithinTwoMinutesOfTheNewestInTheirOrder() {
    Pace pace = Pace.EMPTY.with("quiz_completed", T).with("quiz_completed", T.plusSeconds(30))
        .with("lesson_completed", T.plusSeconds(10)).with("quiz_completed", T.plusSeconds(120));
    assertEquals(List.of(T, T.plusSeconds(30), T.plusSeconds(120)), pace.recent().get("quiz_completed"));
    pace = pace.with("quiz_completed", T.plusSeconds(120).plusNanos(1));
    assertEquals(List.of(T.plusSeconds(30), T.plusSeconds(120), T.plusSeconds(120).plusNanos(1)),
        pace.recent().get("quiz_completed"));
    // a late event older than the window around the newest is not kept, the others stay
    pace = pace.with("quiz_completed", T);
    assertEquals(List.of(T.plusSeconds(30), T.plusSeconds(120), T.plusSeconds(120).plusNanos(1)),
        pace.recent().get("quiz_completed"));
    assertEquals(List.of(T.plusSeconds(10)), pace.recent().get("lesson_completed"));
  }

  /** with against what it did before it was written out: a list copied, max by a stream, removeIf by Duration. */
  @Test
  void withIsTheFormerCopyAddAndRemoveOverRandomEvents() {
    Random random = new Random(3);
    for (int run = 0; run < 300; run++) {
      Pace pace = Pace.EMPTY;
      Map<String, List<Instant>> reference = new HashMap<>();
      for (int k = 0; k < 60; k++) {
        String type = List.of("a", "b", "c").get(random.nextInt(3));
        Instant at = T.plusMillis(random.nextInt(400_000) - 100_000).plusNanos(random.nextInt(3) * 500_000_000L);
        if (random.nextInt(5) == 0) {
          at = T.plus(Pace.KEPT).plusSeconds(k);
        }
        List<Instant> times = new ArrayList<>(reference.getOrDefault(type, List.of()));
        times.add(at);
        Instant newest = times.stream().max(Instant::compareTo).orElseThrow();
        times.removeIf(t -> Duration.between(t, newest).compareTo(Pace.KEPT) > 0);
        reference.put(type, times);
        pace = pace.with(type, at);
        assertEquals(reference, pace.recent());
        Instant probe = at.plusMillis(random.nextInt(200_000) - 100_000);
        long within = reference.get(type).stream()
            .filter(t -> Duration.between(t, probe).abs().compareTo(Pace.WINDOW) < 0).count();
        assertEquals(within, pace.within(type, probe));
      }
    }
  }

  @Test
  void compareGapIsDurationBetweenComparedWithTheLimit() {
    Random random = new Random(5);
    List<Duration> limits = List.of(Pace.WINDOW, Pace.KEPT, Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(1500));
    for (int i = 0; i < 200_000; i++) {
      Instant from = T.plusSeconds(random.nextInt(400) - 200).plusNanos(random.nextInt(4) * 250_000_000L);
      Instant to = T.plusSeconds(random.nextInt(400) - 200).plusNanos(random.nextInt(4) * 250_000_000L
          + (random.nextBoolean() ? 1 : 0));
      Duration limit = limits.get(random.nextInt(limits.size()));
      Duration gap = Duration.between(from, to);
      assertEquals(Integer.signum(gap.compareTo(limit)), Integer.signum(Pace.compareGap(from, to, limit, false)));
      assertEquals(Integer.signum(gap.abs().compareTo(limit)),
          Integer.signum(Pace.compareGap(from, to, limit, true)), from + " " + to + " " + limit);
    }
    assertEquals(1, Integer.signum(Pace.compareGap(Instant.MIN, Instant.MAX, Pace.KEPT, true)));
    assertEquals(1, Integer.signum(Pace.compareGap(Instant.MAX, Instant.MIN, Pace.KEPT, true)));
    assertEquals(-1, Integer.signum(Pace.compareGap(Instant.MAX, Instant.MIN, Pace.KEPT, false)));
  }

  @Test
  void aPaceMadeFromChangeableListsIsACopyAndCannotBeChanged() {
    List<Instant> times = new ArrayList<>(List.of(T));
    Map<String, List<Instant>> recent = new HashMap<>(Map.of("a", times));
    Pace pace = new Pace(recent);
    times.add(T.plusSeconds(1));
    recent.put("b", List.of(T));
    assertEquals(Map.of("a", List.of(T)), pace.recent());
    assertThrows(UnsupportedOperationException.class, () -> pace.recent().put("c", List.of()));
    assertThrows(UnsupportedOperationException.class, () -> pace.recent().get("a").add(T));
    Pace next = pace.with("a", T.plusSeconds(2));
    assertThrows(UnsupportedOperationException.class, () -> next.recent().get("a").add(T));
    // an immutable map of immutable lists is kept as it is
    assertSame(next.recent(), new Pace(next.recent()).recent());
    assertEquals(Map.of(), new Pace(null).recent());
  }
}
