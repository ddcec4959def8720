package io.learnquest.domain.xp;

import io.learnquest.domain.event.BuiltInType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Built-in activities of docs/rules.md, "XP and levels": those of the event types, named with
 * their default base XP by the registry of built-in types ({@link BuiltInType#activities}), and the
 * streak bonus, the one activity of no event type. A custom event type's activity is its own name.
 */
public final class Activities {
  public static final String STREAK = "streak";
  static final long STREAK_DEFAULT_XP = 25;

  private Activities() {
  }

  /** Every built-in activity with its default base XP: the event types' in registry order, then the streak's. */
  public static Map<String, Long> defaults() {
    Map<String, Long> all = new LinkedHashMap<>();
    for (BuiltInType type : BuiltInType.values()) {
      all.putAll(type.activities());
    }
    all.put(STREAK, STREAK_DEFAULT_XP);
    return Collections.unmodifiableMap(all);
  }
}
