package io.learnquest.domain.fairplay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When a learner's recent XP-earning events happened, per event type: what the velocity rule
 * counts. Only a window around the newest time is kept, so it stays small whatever the history.
 *
 * @param recent occurredAt instants per event type, in no particular order
 */
public record Pace(Map<String, List<Instant>> recent) {
  public static final Pace EMPTY = new Pace(Map.of());
  /** The velocity window: events within a minute of each other, either side. */
  public static final Duration WINDOW = Duration.ofMinutes(1);
  /** Times further than this from the newest one of their type can no longer be within a window. */
  static final Duration KEPT = WINDOW.multipliedBy(2);

  public Pace {
    Map<String, List<Instant>> copy = new HashMap<>();
    if (recent != null) {
      recent.forEach((type, times) -> copy.put(type, List.copyOf(times)));
    }
    recent = Map.copyOf(copy);
  }

  /** How many kept events of {@code type} happened less than a minute from {@code at}. */
  public int within(String type, Instant at) {
    int n = 0;
    for (Instant t : recent.getOrDefault(type, List.of())) {
      if (Duration.between(t, at).abs().compareTo(WINDOW) < 0) {
        n++;
      }
    }
    return n;
  }

  /** This pace with one more XP-earning event of {@code type} at {@code at}, old times dropped. */
  public Pace with(String type, Instant at) {
    List<Instant> times = new ArrayList<>(recent.getOrDefault(type, List.of()));
    times.add(at);
    Instant newest = times.stream().max(Instant::compareTo).orElseThrow();
    times.removeIf(t -> Duration.between(t, newest).compareTo(KEPT) > 0);
    Map<String, List<Instant>> next = new HashMap<>(recent);
    next.put(type, times);
    return new Pace(next);
  }
}
