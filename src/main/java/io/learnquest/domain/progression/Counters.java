package io.learnquest.domain.progression;

import io.learnquest.domain.event.LearningEvent;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Learner counters of docs/rules.md, "Progression": one value per entry of the {@link Counter}
 * registry, plus the count of non-repeat events per type (which the badge rule
 * {@code {"event": T, "count": N}} reads). Values are held by registry entry, so a new counter is
 * an entry of the registry and nothing here. Immutable.
 */
public final class Counters {
  private static final Counter[] REGISTRY = Counter.values();

  public static final Counters ZERO = new Counters(new long[REGISTRY.length], Map.of());

  /** Indexed by {@link Counter#ordinal()}; never changed after construction. */
  private final long[] values;
  /** Unmodifiable; never changed after construction. */
  private final Map<String, Long> eventCounts;

  private Counters(long[] values, Map<String, Long> eventCounts) {
    this.values = values;
    this.eventCounts = eventCounts;
  }

  /**
   * Counters with the given values (a counter not named is 0) and per-type event counts, both
   * copied.
   */
  public static Counters of(Map<Counter, Long> values, Map<String, Long> eventCounts) {
    long[] copy = new long[REGISTRY.length];
    values.forEach((counter, value) -> copy[counter.ordinal()] = value);
    return new Counters(copy, Map.copyOf(eventCounts));
  }

  /** These counters with {@code counter} set to {@code value}. */
  public Counters with(Counter counter, long value) {
    long[] copy = values.clone();
    copy[counter.ordinal()] = value;
    return new Counters(copy, eventCounts);
  }

  /** These counters with the per-type event counts replaced by (a copy of) {@code counts}. */
  public Counters withEventCounts(Map<String, Long> counts) {
    return new Counters(values, Map.copyOf(counts));
  }

  public long get(Counter counter) {
    return values[counter.ordinal()];
  }

  /** Non-repeat events per type; unmodifiable. */
  public Map<String, Long> eventCounts() {
    return eventCounts;
  }

  public long countOf(String type) {
    return eventCounts.getOrDefault(type, 0L);
  }

  /** Counters after a non-repeat event; a repeat moves none of them, so callers skip this. */
  public Counters after(LearningEvent event, int passMark) {
    TreeMap<String, Long> counts = new TreeMap<>(eventCounts);
    counts.merge(event.type(), 1L, Long::sum);
    long[] next = values.clone();
    for (Counter c : Counter.movedBy(event, passMark)) {
      next[c.ordinal()]++;
    }
    // a sorted view, so that the next event's TreeMap copies it in order without comparing keys
    return new Counters(next, Collections.unmodifiableSortedMap(counts));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Counters other && Arrays.equals(values, other.values) && eventCounts.equals(other.eventCounts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + eventCounts.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Counters[");
    for (Counter c : REGISTRY) {
      text.append(c.field()).append('=').append(values[c.ordinal()]).append(", ");
    }
    return text.append("eventCounts=").append(eventCounts).append(']').toString();
  }
}
