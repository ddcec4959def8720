package io.learnquest.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Counters;
import io.learnquest.time.Instants;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Records to and from the plain maps inside a {@link JsonObject}, directly through their
 * components. It writes what Jackson's {@code convertValue} wrote for the same records (components
 * by name, nulls included, instants and dates as ISO-8601 text, enums by name, {@link Counters} as
 * {@link CountersJson} writes them) at a fraction of
 * the cost: every event crosses the bus several times, and the generic route through a token
 * buffer was a fifth of the engine's CPU. Each record class is inspected once.
 */
final class RecordJson {
  /** Each record class's shape, found once and kept with the class (no shared map to look it up in). */
  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      return inspect(type);
    }
  };
  private static final MethodType READ = MethodType.methodType(Object.class, Object.class);
  private static final MethodHandles.Lookup OWN = MethodHandles.lookup();
  private static final MethodType BUILD = MethodType.methodType(Object.class, Object[].class);

  private RecordJson() {
  }

  /**
   * A record class's components, their accessors ({@code (Object) -> Object}) and its canonical
   * constructor ({@code (Object[]) -> Object}); {@code names} is null for a class this cannot read.
   */
  private record Shape(String[] names, JsonText.Name[] fieldNames, Type[] types, Function<Object, Object>[] accessors,
                       MethodHandle constructor, boolean[] omittedWhenNull) {
  }

  /** Whether {@code type} is a record this class maps (public, with public components). */
  static boolean handles(Class<?> type) {
    return type.isRecord() && shape(type).names != null;
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.get(type);
  }

  private static Shape inspect(Class<?> type) {
    if (!type.isRecord() || !Modifier.isPublic(type.getModifiers())) {
      return new Shape(null, null, null, null, null, null);
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      RecordComponent[] components = type.getRecordComponents();
      String[] names = new String[components.length];
      boolean[] omittedWhenNull = new boolean[components.length];
      Type[] types = new Type[components.length];
      @SuppressWarnings("unchecked")
      Function<Object, Object>[] accessors = new Function[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        JsonInclude include = components[i].getAccessor().getAnnotation(JsonInclude.class);
        omittedWhenNull[i] = include != null && include.value() == JsonInclude.Include.NON_NULL;
        types[i] = components[i].getGenericType();
        raw[i] = components[i].getType();
        accessors[i] = getter(lookup.unreflect(components[i].getAccessor()), type, raw[i]);
      }
      Constructor<?> canonical = type.getDeclaredConstructor(raw);
      MethodHandle build = lookup.unreflectConstructor(canonical).asSpreader(Object[].class, raw.length).asType(BUILD);
      return new Shape(names, fieldNames(names), types, accessors, build, omittedWhenNull);
    } catch (ReflectiveOperationException | SecurityException notPublic) {
      return new Shape(null, null, null, null, null, null);
    }
  }

  /**
   * The components' names as {@link JsonText} writes them, quoted and escaped once: written as text,
   * every name of every document was scanned for characters to escape, each time.
   */
  private static JsonText.Name[] fieldNames(String[] names) {
    JsonText.Name[] quoted = new JsonText.Name[names.length];
    for (int i = 0; i < names.length; i++) {
      quoted[i] = new JsonText.Name(names[i]);
    }
    return quoted;
  }

  /**
   * A component's accessor as a plain function: a method handle held in an array is not a constant
   * to the JIT and is invoked slowly, and every event's documents read a few hundred components.
   */
  @SuppressWarnings("unchecked")
  private static Function<Object, Object> getter(MethodHandle accessor, Class<?> record, Class<?> component)
      throws ReflectiveOperationException {
    try {
      Class<?> boxed = MethodType.methodType(component).wrap().returnType();
      CallSite site = LambdaMetafactory.metafactory(OWN, "apply", MethodType.methodType(Function.class),
          READ, accessor, MethodType.methodType(boxed, record));
      return (Function<Object, Object>) site.getTarget().invoke();
    } catch (Throwable notLinkable) {
      MethodHandle generic = accessor.asType(READ);
      return value -> {
        try {
          return (Object) generic.invokeExact(value);
        } catch (Throwable e) {
          throw new IllegalStateException(e);
        }
      };
    }
  }

  static Map<String, Object> toMap(Record value) {
    Shape shape = shape(value.getClass());
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < shape.names.length; i++) {
      try {
        map.put(shape.names[i], plain(shape.accessors[i].apply(value)));
      } catch (Throwable e) {
        throw new IllegalStateException("cannot read " + shape.names[i] + " of " + value.getClass(), e);
      }
    }
    return map;
  }

  /**
   * Writes {@code value} as the JSON text {@link #toMap} (or {@link #plain}) and then encoding the
   * map would give, straight to {@link JsonText}: for the documents written on every event (the
   * learner, the outcome, the event's payload) and the API's answers, with no map built on the way.
   * A record component annotated {@code @JsonInclude(NON_NULL)} is left out when null, as Jackson
   * leaves it out of an answer.
   */
  static void write(JsonText out, Object value) {
    if (value == null) {
      out.nullValue();
    } else if (value instanceof String text) {
      out.value(text);
    } else if (value instanceof Boolean b) {
      out.value(b.booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      out.value(((Number) value).longValue());
    } else if (value instanceof Number number) {
      writeNumber(out, number);
    } else if (value instanceof Learner learner) {
      LearnerJson.write(out, learner); // every commit writes one: written directly, not walked
    } else if (value instanceof Outcome outcome) {
      OutcomeJson.write(out, outcome); // as is every applied event's outcome
    } else if (value instanceof LearningEvent event) {
      LearningEventJson.write(out, event); // and every accepted event
    } else if (value instanceof Notification notification) {
      NotificationJson.write(out, notification); // and every notification, for the history
    } else if (value instanceof Record r) {
      Shape shape = shape(r.getClass());
      if (shape.names == null) {
        throw new IllegalArgumentException("no JSON form for " + value.getClass());
      }
      out.beginObject();
      for (int i = 0; i < shape.names.length; i++) {
        Object component;
        try {
          component = shape.accessors[i].apply(r);
        } catch (Throwable e) {
          throw new IllegalStateException("cannot read " + shape.names[i] + " of " + value.getClass(), e);
        }
        if (component == null && shape.omittedWhenNull[i]) {
          continue;
        }
        out.name(shape.fieldNames[i]);
        write(out, component);
      }
      out.endObject();
    } else if (value instanceof Counters counters) {
      CountersJson.write(out, counters);
    } else if (value instanceof Enum<?> e) {
      out.plainValue(e.name());
    } else if (value instanceof Instant instant) {
      out.value(instant);
    } else if (value instanceof LocalDate) {
      out.plainValue(value.toString());
    } else if (value instanceof JsonObject json) {
      write(out, json.getMap());
    } else if (value instanceof JsonArray array) {
      write(out, array.getList());
    } else if (value instanceof Map<?, ?> map) {
      out.beginObject();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        Object k = entry.getKey();
        out.name(k instanceof Enum<?> e ? e.name() : String.valueOf(k));
        write(out, entry.getValue());
      }
      out.endObject();
    } else if (value instanceof Collection<?> items) {
      out.beginArray();
      for (Object item : items) {
        write(out, item);
      }
      out.endArray();
    } else {
      throw new IllegalArgumentException("no JSON form for " + value.getClass());
    }
  }

  /** As Vert.x's encoder writes the other numbers. */
  private static void writeNumber(JsonText out, Number number) {
    if (number instanceof Double d) {
      out.value(d.doubleValue());
    } else if (number instanceof Float f) {
      out.value(f.floatValue());
    } else if (number instanceof java.math.BigDecimal || number instanceof java.math.BigInteger) {
      out.raw(number.toString());
    } else {
      out.value(number.doubleValue());
    }
  }

  /** Any value as JSON-ready plain Java: maps, lists, text, numbers, booleans, null. */
  private static Object plain(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Record r) {
      return toMap(r);
    }
    if (value instanceof Counters counters) {
      return CountersJson.toMap(counters);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Instant instant) {
      return Instants.text(instant);
    }
    if (value instanceof LocalDate) {
      return value.toString();
    }
    if (value instanceof JsonObject json) {
      return plain(json.getMap());
    }
    if (value instanceof JsonArray array) {
      return plain(array.getList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(k instanceof Enum<?> e ? e.name() : String.valueOf(k), plain(v)));
      return copy;
    }
    if (value instanceof Collection<?> items) {
      List<Object> copy = new ArrayList<>(items.size());
      items.forEach(item -> copy.add(plain(item)));
      return copy;
    }
    throw new IllegalArgumentException("no JSON form for " + value.getClass());
  }

  static <T> T fromMap(Map<String, Object> map, Class<T> type) {
    Shape shape = shape(type);
    Object[] args = new Object[shape.names.length];
    for (int i = 0; i < args.length; i++) {
      args[i] = typed(map.get(shape.names[i]), shape.types[i]);
    }
    try {
      return type.cast((Object) shape.constructor.invokeExact(args));
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalArgumentException("cannot build " + type.getSimpleName(), e);
    }
  }

  /** A decoded JSON value as the given (possibly generic) Java type. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object typed(Object value, Type type) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (value == null) {
      return primitiveDefault(raw);
    }
    if (value instanceof JsonObject json) {
      value = json.getMap();
    } else if (value instanceof JsonArray array) {
      value = array.getList();
    }
    if (raw == String.class) {
      return value.toString();
    }
    if (raw == long.class || raw == Long.class) {
      return ((Number) value).longValue();
    }
    if (raw == int.class || raw == Integer.class) {
      return ((Number) value).intValue();
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return value;
    }
    if (raw == double.class || raw == Double.class) {
      return ((Number) value).doubleValue();
    }
    if (raw == Instant.class) {
      return Instants.parse(value.toString());
    }
    if (raw == LocalDate.class) {
      return Instants.parseDate(value.toString());
    }
    if (raw.isEnum()) {
      return Enum.valueOf((Class<Enum>) raw, value.toString());
    }
    if (raw == Counters.class) {
      return CountersJson.fromMap((Map<?, ?>) value);
    }
    if (raw.isRecord()) {
      return fromMap((Map<String, Object>) value, raw);
    }
    Type[] params = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
    if (Map.class.isAssignableFrom(raw)) {
      Type keyType = params.length == 2 ? params[0] : String.class;
      Type valueType = params.length == 2 ? params[1] : Object.class;
      Map<Object, Object> map = new LinkedHashMap<>();
      ((Map<String, Object>) value).forEach((k, v) -> map.put(typed(k, keyType), typed(v, valueType)));
      return map;
    }
    if (Collection.class.isAssignableFrom(raw)) {
      Type itemType = params.length == 1 ? params[0] : Object.class;
      Collection<Object> items = Set.class.isAssignableFrom(raw) ? new HashSet<>() : new ArrayList<>();
      ((Collection<Object>) value).forEach(item -> items.add(typed(item, itemType)));
      return items;
    }
    if (raw == Object.class) {
      return plain(value);
    }
    throw new IllegalArgumentException("no JSON reading for " + type);
  }

  private static Object primitiveDefault(Class<?> raw) {
    if (raw == long.class) {
      return 0L;
    }
    if (raw == int.class) {
      return 0;
    }
    if (raw == boolean.class) {
      return false;
    }
    if (raw == double.class) {
      return 0.0;
    }
    return null;
  }
}
