package io.learnquest.json;

import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link Counters} as JSON: one number per {@link Counter} entry, named by its {@link Counter#field},
 * in registry order, then {@code eventCounts} (type to count). This is the shape the stored learner,
 * the bus and the profile have always had. Reading, a counter the document does not name is 0: a
 * learner stored before its counter existed reads as never having moved it.
 */
final class CountersJson {
  static final String EVENT_COUNTS = "eventCounts";
  private static final Counter[] REGISTRY = Counter.values();
  private static final JsonText.Name[] FIELD_NAMES = Arrays.stream(REGISTRY)
      .map(c -> new JsonText.Name(c.field())).toArray(JsonText.Name[]::new);
  private static final JsonText.Name EVENT_COUNTS_NAME = new JsonText.Name(EVENT_COUNTS);

  private CountersJson() {
  }

  static Map<String, Object> toMap(Counters counters) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Counter c : REGISTRY) {
      map.put(c.field(), counters.get(c));
    }
    map.put(EVENT_COUNTS, new LinkedHashMap<>(counters.eventCounts()));
    return map;
  }

  /** The same JSON as {@link #toMap}, written straight to {@link JsonText}, with no map built. */
  static void write(JsonText out, Counters counters) {
    out.beginObject();
    for (int i = 0; i < REGISTRY.length; i++) {
      out.name(FIELD_NAMES[i]);
      out.value(counters.get(REGISTRY[i]));
    }
    out.name(EVENT_COUNTS_NAME);
    out.beginObject();
    for (Map.Entry<String, Long> count : counters.eventCounts().entrySet()) {
      out.name(count.getKey());
      out.value(count.getValue().longValue());
    }
    out.endObject();
    out.endObject();
  }

  static Counters fromMap(Map<?, ?> map) {
    Map<Counter, Long> values = new LinkedHashMap<>();
    for (Counter c : REGISTRY) {
      Object value = map.get(c.field());
      if (value != null) {
        values.put(c, ((Number) value).longValue());
      }
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    Object stored = map.get(EVENT_COUNTS);
    if (stored instanceof JsonObject json) {
      stored = json.getMap();
    }
    if (stored != null) {
      ((Map<?, ?>) stored).forEach((type, n) -> counts.put(String.valueOf(type), ((Number) n).longValue()));
    }
    return Counters.of(values, counts);
  }
}
