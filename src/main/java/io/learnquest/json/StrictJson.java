package io.learnquest.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one JSON parser for everything a client sends: request bodies (events, batches, badge
 * definitions) and the values of records on the events topic. Stricter than the default one:
 * <ul>
 *   <li>a key repeated within one object is refused ({@code duplicate_key}, naming the path), where
 *       the default keeps the last one and a reader could see a value the validator never did;</li>
 *   <li>nesting deeper than {@link InputLimits#MAX_JSON_DEPTH} is refused ({@code too_deep}) before
 *       anything deeper is read;</li>
 *   <li>the text must be UTF-8 (RFC 8259), nothing may follow the value, and a number longer than
 *       Jackson's bound (1,000 digits) is refused.</li>
 * </ul>
 * Every refusal is an {@link InvalidInputException}, so it ends as a 400 (or a dead letter).
 */
public final class StrictJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          // A backstop only: depth is checked below first, with the path of the offending value.
          .maxNestingDepth(InputLimits.MAX_JSON_DEPTH + 1)
          .build())
      .build();

  private StrictJson() {
  }

  /** A JsonObject, JsonArray, String, Number, Boolean, or null for the literal {@code null}. */
  public static Object decode(Buffer body) {
    if (body == null || body.length() == 0) {
      throw invalid("the body is empty; send a JSON object");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body.getBytes())).toString();
    } catch (CharacterCodingException e) {
      throw invalid("the body is not UTF-8 text");
    }
    return decode(text);
  }

  public static Object decode(String text) {
    if (text == null || text.isBlank()) {
      throw invalid("the body is empty; send a JSON object");
    }
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw invalid("the body is empty; send a JSON object");
      }
      Object value = value(parser, first, "", 1);
      if (parser.nextToken() != null) {
        throw invalid("the body holds something after its JSON value");
      }
      return value;
    } catch (StreamConstraintsException e) {
      throw invalid("the JSON is beyond a limit: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw invalid("the body is not valid JSON");
    }
  }

  private static Object value(JsonParser parser, JsonToken token, String path, int depth) throws IOException {
    switch (token) {
      case START_OBJECT -> {
        tooDeep(path, depth);
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
          String key = parser.currentName();
          String keyPath = path.isEmpty() ? key : path + "." + key;
          if (map.containsKey(key)) {
            throw new InvalidInputException(ErrorCodes.DUPLICATE_KEY,
                "the key '" + keyPath + "' appears twice in one object", keyPath);
          }
          map.put(key, value(parser, parser.nextToken(), keyPath, depth + 1));
        }
        return new JsonObject(map);
      }
      case START_ARRAY -> {
        tooDeep(path, depth);
        JsonArray array = new JsonArray();
        int i = 0;
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
          array.add(value(parser, t, path + "[" + i++ + "]", depth + 1));
        }
        return array;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return switch (parser.getNumberType()) {
          case INT -> parser.getIntValue();
          case LONG -> parser.getLongValue();
          default -> parser.getBigIntegerValue();
        };
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw invalid("the body is not valid JSON");
    }
  }

  /**
   * Whether a decoded value (maps, lists, JsonObjects, JsonArrays) nests deeper than {@code limit};
   * without recursion, so that a value far too deep to recurse through is measured safely.
   */
  public static boolean nestsDeeperThan(Object value, int limit) {
    Deque<Object> nodes = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    nodes.push(value);
    depths.push(1);
    while (!nodes.isEmpty()) {
      Object node = nodes.pop();
      int depth = depths.pop();
      Iterable<?> children = node instanceof JsonObject o ? o.getMap().values()
          : node instanceof Map<?, ?> m ? m.values()
          : node instanceof JsonArray a ? a.getList()
          : node instanceof List<?> l ? l : null;
      if (children == null) {
        continue;
      }
      if (depth > limit) {
        return true;
      }
      for (Object child : children) {
        if (child == null) {
          continue;
        }
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
    return false;
  }

  private static void tooDeep(String path, int depth) {
    if (depth > InputLimits.MAX_JSON_DEPTH) {
      throw new InvalidInputException(ErrorCodes.TOO_DEEP,
          "the JSON nests deeper than " + InputLimits.MAX_JSON_DEPTH + " levels", path.isEmpty() ? null : path);
    }
  }

  private static InvalidInputException invalid(String message) {
    return new InvalidInputException(ErrorCodes.INVALID_JSON, message, null);
  }
}
