package io.learnquest.ingestion;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.json.StrictJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The one validation of an event the engine is sent, whatever brings it: the body of
 * {@code POST /api/v1/events}, an item of a batch, the value of a record on the events topic. An
 * event is at most {@code ingestion.maxEventBytes} of UTF-8, one JSON object read by the strict
 * parser ({@link StrictJson}), and what {@link EventValidator} accepts (docs/api.md, "Events").
 * Every refusal is an {@link InvalidInputException}: a 400, a batch item's error or a dead letter.
 */
public final class EventInput {
  private final EventValidator validator;
  private final int maxEventBytes;

  public EventInput(EventValidator validator, int maxEventBytes) {
    this.validator = validator;
    this.maxEventBytes = maxEventBytes;
  }

  /** An event sent as bytes (a request body). */
  public Submitted read(Buffer bytes, Instant now) {
    if (bytes == null) {
      throw empty();
    }
    if (bytes.length() > maxEventBytes) {
      throw tooLarge();
    }
    return item(StrictJson.decode(bytes), now);
  }

  /** An event sent as text (the value of a record). */
  public Submitted read(String text, Instant now) {
    if (text == null || text.isBlank()) {
      throw empty();
    }
    if (text.length() > maxEventBytes || text.getBytes(StandardCharsets.UTF_8).length > maxEventBytes) {
      throw tooLarge();
    }
    return item(StrictJson.decode(text), now);
  }

  /** An event already decoded, as an item of a batch is. */
  public Submitted item(Object decoded, Instant now) {
    if (!(decoded instanceof JsonObject json)) {
      throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "an event must be a JSON object", null);
    }
    return validated(json, now);
  }

  /** An item of a batch: decoded with the batch, so its size is that of its encoding. */
  public Submitted batchItem(Object decoded, Instant now) {
    if (decoded instanceof JsonObject json && json.toBuffer().length() > maxEventBytes) {
      throw tooLarge();
    }
    return item(decoded, now);
  }

  private Submitted validated(JsonObject json, Instant now) {
    // No schema check after this: the validator refuses everything the document's LearningEvent
    // refuses (LearningEventSchemaTest), and vertx-json-schema would add about 150 us of CPU to
    // every event.
    return new Submitted(validator.validate(json.getMap(), now), json.getValue("occurredAt") != null);
  }

  private static InvalidInputException empty() {
    return new InvalidInputException(ErrorCodes.INVALID_JSON, "no event: the body or value is empty", null);
  }

  private InvalidInputException tooLarge() {
    return new InvalidInputException(ErrorCodes.PAYLOAD_TOO_LARGE,
        "an event may be at most " + maxEventBytes + " bytes", null);
  }
}
