package io.learnquest.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.InvalidInputException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StrictJsonTest {
  private static InvalidInputException refused(String text) {
    return assertThrows(InvalidInputException.class, () -> StrictJson.decode(text));
  }

  @Test
  void decodesWhatTheDefaultParserDoes() {
    Object value = StrictJson.decode("{\"a\": 1, \"b\": [true, null, 2.5, \"x\"], \"c\": {\"d\": 9999999999},"
        + " \"e\": 123456789012345678901234567890}");
    JsonObject json = (JsonObject) value;
    assertEquals(1, json.getValue("a"));
    assertEquals(new JsonArray().add(true).addNull().add(2.5).add("x"), json.getJsonArray("b"));
    assertEquals(9_999_999_999L, json.getJsonObject("c").getValue("d"));
    assertEquals(new BigInteger("123456789012345678901234567890"), json.getValue("e"));
    assertEquals(List.of("a", "b", "c", "e"), List.copyOf(json.fieldNames()));
    assertEquals("s", StrictJson.decode("\"s\""));
    assertEquals(null, StrictJson.decode("null"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      {"a": 1, "a": 2}                          | a
      {"a": 1, "b": {"c": 1, "c": 1}}           | b.c
      {"l": [{"k": 1}, {"k": 1, "k": null}]}    | l[1].k
      """)
  void aKeyTwiceInOneObjectIsRefusedNamingIt(String text, String field) {
    InvalidInputException e = refused(text);
    assertEquals("duplicate_key", e.code());
    assertEquals(field, e.field());
  }

  @Test
  void theSameKeyInTwoObjectsIsFine() {
    assertEquals(2, ((JsonObject) StrictJson.decode("{\"a\": {\"k\": 1}, \"b\": {\"k\": 2}}")).size());
  }

  @Test
  void nestingIsBoundedWhereItCrossesTheLimit() {
    assertTrue(StrictJson.decode("[".repeat(100) + "]".repeat(100)) instanceof JsonArray);
    InvalidInputException e = refused("[".repeat(101) + "]".repeat(101));
    assertEquals("too_deep", e.code());
    assertEquals("[0]".repeat(100), e.field());
    assertEquals("too_deep", refused("{\"a\":".repeat(100_000)).code());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      trailing content          | {"a": 1} {"b": 2}
      truncated                 | {"a": 
      single quotes             | {'a': 1}
      a comment                 | {"a": 1 /* x */}
      NaN                       | {"a": NaN}
      a number of 2000 digits   | NUMBER
      blank                     | '  '
      """)
  void malformedJsonIsRefused(String name, String text) {
    String body = text.equals("NUMBER") ? "{\"a\": " + "9".repeat(2000) + "}" : text;
    assertEquals("invalid_json", refused(body).code());
  }

  @Test
  void bodiesMustBeUtf8() {
    byte[] latin1 = "{\"a\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> StrictJson.decode(Buffer.buffer(latin1)));
    assertEquals("invalid_json", e.code());
    byte[] utf16 = "{\"a\": 1}".getBytes(StandardCharsets.UTF_16);
    assertEquals("invalid_json", assertThrows(InvalidInputException.class,
        () -> StrictJson.decode(Buffer.buffer(utf16))).code());
    assertEquals("caf\u00e9", ((JsonObject) StrictJson.decode(Buffer.buffer("{\"a\": \"caf\u00e9\"}"))).getString("a"));
    assertEquals("invalid_json", assertThrows(InvalidInputException.class,
        () -> StrictJson.decode(Buffer.buffer())).code());
  }

  @Test
  void nestsDeeperThanMeasuresWithoutRecursion() {
    Object deep = Map.of();
    for (int i = 0; i < 100_000; i++) {
      deep = List.of(deep);
    }
    assertTrue(StrictJson.nestsDeeperThan(deep, 100));
    assertFalse(StrictJson.nestsDeeperThan(new JsonObject().put("a", new JsonArray().add(1)).put("n", null), 2));
    assertTrue(StrictJson.nestsDeeperThan(new JsonObject().put("a", new JsonArray().add(new JsonObject())), 2));
  }
}
