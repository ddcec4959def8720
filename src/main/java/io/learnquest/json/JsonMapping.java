package io.learnquest.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.learnquest.domain.progression.Counters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Domain records to and from the JSON that crosses the event bus. Instants and dates travel as
 * ISO-8601 text; nothing is Java-serialized, so the same payloads work on one node or ten.
 */
public final class JsonMapping {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(valueTypes("iso-time", Instant::parse, LocalDate::parse));
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private JsonMapping() {
  }

  public static JsonObject toJson(Object value) {
    return value instanceof Record r && RecordJson.handles(r.getClass()) ? new JsonObject(RecordJson.toMap(r))
        : toJsonByJackson(value);
  }

  /**
   * {@code value} as JSON text, for the documents written on every event: a record, the same text as
   * {@code toJson(value).encode()}; a map or a list, as {@code new JsonObject(map).encode()} or
   * {@code new JsonArray(list).encode()} write it; written straight to {@link JsonText}, with no map or
   * serializer lookup on the way.
   */
  public static String encode(Object value) {
    boolean direct = value instanceof Map<?, ?> || value instanceof List<?>
        || value instanceof Record r && RecordJson.handles(r.getClass());
    if (!direct) {
      return toJson(value).encode();
    }
    return JsonText.write(text -> RecordJson.write(text, value));
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return RecordJson.handles(type) ? RecordJson.fromMap(json.getMap(), type) : fromJsonByJackson(json, type);
  }

  /** The generic route, kept for types {@link RecordJson} does not read, and to check it against. */
  static JsonObject toJsonByJackson(Object value) {
    return new JsonObject(MAPPER.convertValue(value, MAP));
  }

  static <T> T fromJsonByJackson(JsonObject json, Class<T> type) {
    return MAPPER.convertValue(json.getMap(), type);
  }

  /**
   * Plain Java maps and lists, as the pure domain parsers expect; a JsonObject that crossed the bus
   * may hold JsonObjects where a decoded one holds maps.
   */
  public static Map<String, Object> plainMap(JsonObject json) {
    return MAPPER.convertValue(json.getMap(), MAP);
  }

  public static JsonArray toJsonArray(List<?> values) {
    JsonArray array = new JsonArray();
    values.forEach(v -> array.add(toJson(v)));
    return array;
  }

  public static <T> List<T> fromJsonArray(JsonArray array, Class<T> type) {
    return array.stream().map(o -> fromJson((JsonObject) o, type)).toList();
  }

  /**
   * A Jackson module for the value types records carry: instants and dates as ISO-8601 text (read
   * with the given parsers), {@link Counters} as {@link CountersJson} has them, and a JsonObject or
   * JsonArray (one that crossed the bus may nest them) as the map or list it wraps.
   */
  public static SimpleModule valueTypes(String name, Function<String, Instant> instant,
                                        Function<String, LocalDate> date) {
    return new SimpleModule(name)
        .addSerializer(Instant.class, toText())
        .addDeserializer(Instant.class, fromText(instant))
        .addSerializer(LocalDate.class, toText())
        .addDeserializer(LocalDate.class, fromText(date))
        .addSerializer(Counters.class, as(CountersJson::toMap))
        .addDeserializer(Counters.class, countersFromMap())
        .addSerializer(JsonObject.class, as(JsonObject::getMap))
        .addSerializer(JsonArray.class, as(JsonArray::getList));
  }

  private static <T> JsonSerializer<T> toText() {
    return new JsonSerializer<>() {
      @Override
      public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        gen.writeString(value.toString());
      }
    };
  }

  private static <T> JsonSerializer<T> as(Function<T, Object> unwrap) {
    return new JsonSerializer<>() {
      @Override
      public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        provider.defaultSerializeValue(unwrap.apply(value), gen);
      }
    };
  }

  private static JsonDeserializer<Counters> countersFromMap() {
    return new JsonDeserializer<>() {
      @Override
      public Counters deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return CountersJson.fromMap(ctxt.readValue(p, Map.class));
      }
    };
  }

  private static <T> JsonDeserializer<T> fromText(Function<String, T> parse) {
    return new JsonDeserializer<>() {
      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return parse.apply(p.getValueAsString());
      }
    };
  }
}
