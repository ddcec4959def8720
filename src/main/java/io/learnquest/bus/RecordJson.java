package io.learnquest.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records to and from the plain maps inside a {@link JsonObject}, directly through their
 * components. It writes what Jackson's {@code convertValue} wrote for the same records (components
 * by name, nulls included, instants and dates as ISO-8601 text, enums by name) at a fraction of
 * the cost: every event crosses the bus several times, and the generic route through a token
 * buffer was a fifth of the engine's CPU. Each record class is inspected once.
 */
final class RecordJson {
  private static final Map<Class<?>, Shape> SHAPES = new ConcurrentHashMap<>();
  private static final MethodType READ = MethodType.methodType(Object.class, Object.class);
  private static final MethodType BUILD = MethodType.methodType(Object.class, Object[].class);

  private RecordJson() {
  }

  /**
   * A record class's components, their accessors ({@code (Object) -> Object}) and its canonical
   * constructor ({@code (Object[]) -> Object}); {@code names} is null for a class this cannot read.
   */
  private record Shape(String[] names, Type[] types, MethodHandle[] accessors, MethodHandle constructor) {
  }

  /** Whether {@code type} is a record this class maps (public, with public components). */
  static boolean handles(Class<?> type) {
    return type.isRecord() && shape(type).names != null;
  }

  private static Shape shape(Class<?> type) {
    return SHAPES.computeIfAbsent(type, RecordJson::inspect);
  }

  private static Shape inspect(Class<?> type) {
    if (!type.isRecord() || !Modifier.isPublic(type.getModifiers())) {
      return new Shape(null, null, null, null);
    }
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      RecordComponent[] components = type.getRecordComponents();
      String[] names = new String[components.length];
      Type[] types = new Type[components.length];
      MethodHandle[] accessors = new MethodHandle[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        types[i] = components[i].getGenericType();
        raw[i] = components[i].getType();
        accessors[i] = lookup.unreflect(components[i].getAccessor()).asType(READ);
      }
      Constructor<?> canonical = type.getDeclaredConstructor(raw);
      MethodHandle build = lookup.unreflectConstructor(canonical).asSpreader(Object[].class, raw.length).asType(BUILD);
      return new Shape(names, types, accessors, build);
    } catch (ReflectiveOperationException | SecurityException notPublic) {
      return new Shape(null, null, null, null);
    }
  }

  static Map<String, Object> toMap(Record value) {
    Shape shape = shape(value.getClass());
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < shape.names.length; i++) {
      try {
        map.put(shape.names[i], plain((Object) shape.accessors[i].invokeExact((Object) value)));
      } catch (Throwable e) {
        throw new IllegalStateException("cannot read " + shape.names[i] + " of " + value.getClass(), e);
      }
    }
    return map;
  }

  /** Any value as JSON-ready plain Java: maps, lists, text, numbers, booleans, null. */
  private static Object plain(Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Record r) {
      return toMap(r);
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    if (value instanceof Instant || value instanceof LocalDate) {
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
