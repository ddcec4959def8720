package io.learnquest.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The one validation: a body, a record's value and a batch's item are read alike. */
class EventInputTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private final EventInput input = new EventInput(new EventValidator(EventTypes.builtIn(), Duration.ofDays(30)), 256);

  /** The three ways an event arrives, each reading the same text. */
  private List<Function<String, Submitted>> paths() {
    return List.of(
        text -> input.read(Buffer.buffer(text), NOW),
        text -> input.read(text, NOW),
        text -> input.batchItem(StrictJson.decode("{\"events\": [" + text + "]}") instanceof io.vertx.core.json.JsonObject
            batch ? batch.getJsonArray("events").getValue(0) : null, NOW));
  }

  @Test
  void aValidEventReadsTheSameOnEveryPathAndSaysWhetherItsOccurredAtWasGiven() {
    String given = "{\"eventId\":\"x-1\",\"learnerId\":\"ana\",\"type\":\"lesson_completed\",\"objectId\":\"l-1\","
        + "\"occurredAt\":\"2026-11-27T11:00:00Z\"}";
    String left = "{\"eventId\":\"x-2\",\"learnerId\":\"ana\",\"type\":\"daily_login\"}";
    for (Function<String, Submitted> path : paths()) {
      Submitted a = path.apply(given);
      assertEquals("x-1", a.event().eventId());
      assertEquals(Instant.parse("2026-11-27T11:00:00Z"), a.event().occurredAt());
      assertTrue(a.occurredAtGiven());
      Submitted b = path.apply(left);
      assertEquals(NOW, b.event().occurredAt());
      assertFalse(b.occurredAtGiven());
    }
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "[1,2] | invalid_type | ",
      "{\"eventId\":\"x\",\"type\":\"daily_login\"} | missing_field | learnerId",
      "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"levitation\"} | unknown_event_type | type",
      "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\",\"pad\":\"" + "0123456789012345678901234567890"
          + "1234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"
          + "12345678901234567890123456789012345678901234567890123456789012345678901234567890\"} | payload_too_large | "})
  void aBadEventIsRefusedAlikeOnEveryPath(String text, String code, String field) {
    for (Function<String, Submitted> path : paths()) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> path.apply(text));
      assertEquals(code, e.code(), text);
      assertEquals(field, e.field(), text);
    }
  }

  @Test
  void noValueAtAllIsNoEvent() {
    assertEquals(ErrorCodes.INVALID_JSON, assertThrows(InvalidInputException.class,
        () -> input.read((String) null, NOW)).code());
    assertEquals(ErrorCodes.INVALID_JSON, assertThrows(InvalidInputException.class,
        () -> input.read(" ", NOW)).code());
  }
}
