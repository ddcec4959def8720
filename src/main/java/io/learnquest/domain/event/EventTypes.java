package io.learnquest.domain.event;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured event types: the built-in ones of the {@link BuiltInType} registry plus any custom
 * ones. The name constants are for readers and tests; the rules of each type live in its entry.
 */
public final class EventTypes {
  public static final String LESSON_COMPLETED = "lesson_completed";
  public static final String QUIZ_COMPLETED = "quiz_completed";
  public static final String COURSE_COMPLETED = "course_completed";
  public static final String PEER_HELPED = "peer_helped";
  public static final String DAILY_LOGIN = "daily_login";

  private final Map<String, EventTypeSpec> byName;

  private EventTypes(Map<String, EventTypeSpec> byName) {
    this.byName = Collections.unmodifiableMap(byName);
  }

  public static EventTypes builtIn() {
    return withCustom(java.util.List.of());
  }

  public static EventTypes withCustom(Collection<EventTypeSpec> custom) {
    Map<String, EventTypeSpec> map = new LinkedHashMap<>();
    for (BuiltInType type : BuiltInType.values()) {
      map.put(type.typeName(), new EventTypeSpec(type.typeName(), type.study(), type.scoreRequired(), null));
    }
    for (EventTypeSpec spec : custom) {
      if (map.containsKey(spec.name())) {
        throw new IllegalArgumentException("event type '" + spec.name() + "' is defined twice");
      }
      map.put(spec.name(), spec);
    }
    return new EventTypes(map);
  }

  public Optional<EventTypeSpec> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public EventTypeSpec get(String name) {
    EventTypeSpec spec = byName.get(name);
    if (spec == null) {
      throw new IllegalArgumentException("unknown event type " + name);
    }
    return spec;
  }

  public boolean isStudy(String name) {
    EventTypeSpec spec = byName.get(name);
    return spec != null && spec.study();
  }

  public Collection<String> names() {
    return byName.keySet();
  }
}
