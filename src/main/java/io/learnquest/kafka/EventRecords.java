package io.learnquest.kafka;

import io.learnquest.bus.StrictJson;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.event.LearningEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaHeader;
import java.time.Instant;
import java.util.List;

/**
 * The format of the events topic, shared by the engine's own ingestion and by external producers:
 * the key is the learnerId (so one learner's events share a partition and keep their order) and the
 * value is the event as UTF-8 JSON, exactly the body of {@code POST /api/v1/events}.
 */
public final class EventRecords {
  /**
   * Reserved for the engine's own ingestion: the record's event is in the event log already (it is
   * produced only after the log holds it), so the consumer neither parses nor records it again,
   * and only applies its learner's pending events. External producers must not set it: an event
   * that is not in the log would be skipped.
   */
  public static final String RECORDED_HEADER = "lq-recorded";

  private EventRecords() {
  }

  /** Whether the engine's ingestion wrote this record (see {@link #RECORDED_HEADER}). */
  public static boolean recorded(List<KafkaHeader> headers) {
    return headers.stream().anyMatch(h -> h.key().equals(RECORDED_HEADER));
  }

  /** A record read from the topic: a valid event, or why it is refused. */
  public record Parsed(LearningEvent event, InvalidInputException refusal) {
    public boolean valid() {
      return event != null;
    }
  }

  /**
   * Validates a record exactly as the REST API validates a posted event (including its size limit),
   * plus the key rule.
   */
  public static Parsed parse(String key, String value, EventValidator validator, int maxBytes, Instant now) {
    try {
      if (value == null || value.isBlank()) {
        throw new InvalidInputException(ErrorCodes.INVALID_JSON, "the record has no value", null);
      }
      if (value.length() > maxBytes || value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
        throw new InvalidInputException(ErrorCodes.PAYLOAD_TOO_LARGE,
            "the value is larger than " + maxBytes + " bytes", null);
      }
      Object body = StrictJson.decode(value);
      if (!(body instanceof JsonObject json)) {
        throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "the value must be a JSON object", null);
      }
      LearningEvent event = validator.validate(json.getMap(), now);
      if (!event.learnerId().equals(key)) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE,
            "the record key must be the event's learnerId, so a learner's events share one partition", "key");
      }
      return new Parsed(event, null);
    } catch (InvalidInputException e) {
      return new Parsed(null, e);
    }
  }

  /**
   * What the dead-letter topic holds for a refused record: the reason in the shape of an API error
   * (docs/api.md, "Errors"), where the record came from, and its key and value untouched.
   */
  public static JsonObject deadLetter(InvalidInputException refusal, String topic, int partition, long offset,
                                      String key, String value, Instant at) {
    return new JsonObject()
        .put("error", new JsonObject().put("code", refusal.code()).put("message", refusal.getMessage())
            .put("field", refusal.field()))
        .put("source", new JsonObject().put("topic", topic).put("partition", partition).put("offset", offset))
        .put("key", key)
        .put("value", value)
        .put("refusedAt", at.toString());
  }
}
