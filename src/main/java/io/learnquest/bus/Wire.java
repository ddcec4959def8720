package io.learnquest.bus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.learnquest.json.JsonMapping;
import io.learnquest.time.Instants;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The form a message takes between two nodes: its record written once by Jackson as compact JSON
 * bytes (components by name, instants and dates as ISO-8601 text), read back into the same record
 * on the other node. Used only when a message leaves its node; on one node a message is the
 * sender's own object ({@link RecordCodec}).
 */
public final class Wire {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(JsonMapping.valueTypes("learnquest-wire", Instants::parse, Instants::parseDate));

  private Wire() {
  }

  public static byte[] encode(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + value.getClass().getName(), e);
    }
  }

  public static <T> T decode(byte[] bytes, Class<T> type) {
    try {
      return MAPPER.readValue(bytes, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode " + type.getName(), e);
    }
  }
}
