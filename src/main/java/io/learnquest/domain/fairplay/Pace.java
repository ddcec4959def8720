package io.learnquest.domain.fairplay;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
  private static final int NANOS_PER_SECOND = 1_000_000_000;

  public Pace {
    recent = recent == null ? Map.of() : immutable(recent);
  }

  /**
   * {@code recent} as an immutable map of immutable lists: itself when it already is one (as
   * {@link #with} makes it, so a pace is copied once per event, not twice), else a copy.
   */
  private static Map<String, List<Instant>> immutable(Map<String, List<Instant>> recent) {
    Map<String, List<Instant>> map = Map.copyOf(recent); // recent itself when already immutable
    for (List<Instant> times : map.values()) {
      if (List.copyOf(times) != times) {
        Map<String, List<Instant>> copy = new HashMap<>();
        map.forEach((type, list) -> copy.put(type, List.copyOf(list)));
        return Map.copyOf(copy);
      }
    }
    return map;
  }

  /** How many kept events of {@code type} happened less than a minute from {@code at}. */
  public int within(String type, Instant at) {
    int n = 0;
    for (Instant t : recent.getOrDefault(type, List.of())) {
      if (compareGap(t, at, WINDOW, true) < 0) {
        n++;
      }
    }
    return n;
  }

  /** This pace with one more XP-earning event of {@code type} at {@code at}, old times dropped. */
  @SuppressWarnings("unchecked")
  public Pace with(String type, Instant at) {
    List<Instant> before = recent.getOrDefault(type, List.of());
    Instant newest = at;
    for (Instant t : before) {
      if (t.compareTo(newest) > 0) {
        newest = t;
      }
    }
    // the earlier times then this one, in that order, less those too long before the newest
    Instant[] kept = new Instant[before.size() + 1];
    int n = 0;
    for (Instant t : before) {
      if (compareGap(t, newest, KEPT, false) <= 0) {
        kept[n++] = t;
      }
    }
    if (compareGap(at, newest, KEPT, false) <= 0) {
      kept[n++] = at;
    }
    List<Instant> times = List.of(n == kept.length ? kept : Arrays.copyOf(kept, n));
    Map.Entry<String, List<Instant>>[] entries = new Map.Entry[recent.size() + 1];
    int m = 0;
    for (Map.Entry<String, List<Instant>> other : recent.entrySet()) {
      if (!other.getKey().equals(type)) {
        entries[m++] = other;
      }
    }
    entries[m++] = Map.entry(type, times);
    return new Pace(Map.ofEntries(m == entries.length ? entries : Arrays.copyOf(entries, m)));
  }

  /**
   * {@code Duration.between(from, to)} (its absolute value when {@code absolute}) compared with
   * {@code limit}, as {@link Duration#compareTo} would, without making the Durations: the gap in
   * whole seconds and the nanoseconds beyond them.
   */
  static int compareGap(Instant from, Instant to, Duration limit, boolean absolute) {
    long seconds = to.getEpochSecond() - from.getEpochSecond();
    int nanos = to.getNano() - from.getNano();
    if (nanos < 0) {
      seconds--;
      nanos += NANOS_PER_SECOND;
    }
    if (absolute && seconds < 0) {
      if (nanos == 0) {
        seconds = -seconds;
      } else {
        seconds = -seconds - 1;
        nanos = NANOS_PER_SECOND - nanos;
      }
    }
    int bySeconds = Long.compare(seconds, limit.getSeconds());
    return bySeconds != 0 ? bySeconds : Integer.compare(nanos, limit.getNano());
  }
}
