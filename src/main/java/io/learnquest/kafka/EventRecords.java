package io.learnquest.kafka;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.Tenants;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.ingestion.EventInput;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.json.JsonMapping;
import io.learnquest.json.StrictJson;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoredEvent;
import io.learnquest.time.Instants;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Instant;
import java.util.List;

/**
 * The format of the events topic, shared by the engine's own ingestion and by external producers:
 * the tenant is in the header {@code tenant}, the key is {@code <tenant>/<learnerId>} (so one
 * learner's events share a partition and keep their order) and the value is the event as UTF-8
 * JSON, exactly the body of {@code POST /api/v1/events}. A record without the header belongs to
 * tenant {@code default}, and its key may then be the bare learnerId.
 */
public final class EventRecords {
  /**
   * Reserved for the engine's own ingestion: the record's event is in the event log already (it is
   * produced only after the log holds it), so the consumer neither parses nor records it again,
   * and only applies its learner's pending events. External producers must not set it: an event
   * that is not in the log would be skipped.
   */
  public static final String RECORDED_HEADER = "lq-recorded";

  /** The header naming the tenant of a record. */
  public static final String TENANT_HEADER = "tenant";

  /**
   * Headers of the engine's own records, reserved like {@link #RECORDED_HEADER}: the event's
   * acceptance sequence number in the log, that of its learner's event pending before it (0: none),
   * when it was accepted and where a waiting request listens. With them the consumer has the event
   * as the log holds it and need not read it back ({@link #pending}).
   */
  public static final String SEQ_HEADER = "lq-seq";
  public static final String PREVIOUS_SEQ_HEADER = "lq-previous-seq";
  public static final String ACCEPTED_AT_HEADER = "lq-accepted-at";
  public static final String REPLY_TO_HEADER = "lq-reply-to";

  private EventRecords() {
  }

  /** The key of a learner's records: {@code <tenant>/<learnerId>} (tenant ids have no '/'). */
  public static String key(String tenant, String learnerId) {
    return tenant + "/" + learnerId;
  }

  /** The tenant a record names in its header, or {@code default} when it names none. */
  public static String tenant(List<KafkaHeader> headers) {
    String tenant = header(headers, TENANT_HEADER);
    return tenant == null ? Tenants.DEFAULT : tenant;
  }

  /** The learner a record of tenant {@code tenant} is keyed by, or null when the key names none. */
  public static String learnerOfKey(String tenant, String key) {
    if (key == null) {
      return null;
    }
    String prefix = tenant + "/";
    if (key.startsWith(prefix)) {
      return key.substring(prefix.length());
    }
    return Tenants.DEFAULT.equals(tenant) ? key : null;
  }

  /**
   * The record of an event the log holds: keyed by tenant and learner, marked recorded, the event's
   * JSON as its value. What the recovery pass produces again for an event that never reached the
   * topic: without the event's place in the log (it may no longer be pending), so the consumer
   * reads the learner's pending events from the log.
   */
  public static KafkaProducerRecord<String, String> recordedEvent(String topic, StoredEvent stored) {
    return KafkaProducerRecord.create(topic, key(stored.tenant(), stored.event().learnerId()),
            JsonMapping.encode(stored.event()))
        .addHeader(RECORDED_HEADER, "1")
        .addHeader(TENANT_HEADER, stored.tenant());
  }

  /**
   * The record ingestion writes for an event the log has just accepted: {@link #recordedEvent}, with
   * the event's place in the log in the headers, so that the consumer has the event as the log holds
   * it ({@link #pending}).
   */
  public static KafkaProducerRecord<String, String> recorded(String topic, PendingEvent pending) {
    StoredEvent stored = pending.stored();
    KafkaProducerRecord<String, String> record = recordedEvent(topic, stored)
        .addHeader(SEQ_HEADER, Long.toString(stored.seq()))
        .addHeader(PREVIOUS_SEQ_HEADER, Long.toString(pending.previousSeq()))
        .addHeader(ACCEPTED_AT_HEADER, Instants.text(stored.acceptedAt()));
    return stored.replyTo() == null ? record : record.addHeader(REPLY_TO_HEADER, stored.replyTo());
  }

  /**
   * The event of one of the engine's own records of tenant {@code tenant}, as the log holds it, or
   * null when the record does not say (no sequence headers: a record written before they existed).
   */
  public static PendingEvent pending(String tenant, List<KafkaHeader> headers, String value) {
    String seq = header(headers, SEQ_HEADER);
    String previous = header(headers, PREVIOUS_SEQ_HEADER);
    String acceptedAt = header(headers, ACCEPTED_AT_HEADER);
    if (seq == null || previous == null || acceptedAt == null || value == null) {
      return null;
    }
    try {
      // the engine's own record, read by the streaming parser the API reads its bodies with
      // (Vert.x's JsonObject(String) went through Jackson's data binding, 1.4 % of a Kafka node's CPU)
      if (!(StrictJson.decode(value) instanceof JsonObject json)) {
        return null;
      }
      LearningEvent event = JsonMapping.fromJson(json, LearningEvent.class);
      return new PendingEvent(new StoredEvent(Long.parseLong(seq), tenant, event, Instants.parse(acceptedAt),
          header(headers, REPLY_TO_HEADER), null), Long.parseLong(previous));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String header(List<KafkaHeader> headers, String name) {
    for (KafkaHeader h : headers) {
      if (h.key().equals(name)) {
        return h.value().toString(java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /**
   * Whether a header of the record has no value (Kafka allows it; the engine's records never have
   * one): such a record is refused, as Vert.x's view of its headers cannot be built.
   */
  public static boolean hasHeaderWithoutValue(org.apache.kafka.common.header.Headers headers) {
    for (org.apache.kafka.common.header.Header header : headers) {
      if (header.value() == null) {
        return true;
      }
    }
    return false;
  }

  /** Whether the engine's ingestion wrote this record (see {@link #RECORDED_HEADER}). */
  public static boolean recorded(List<KafkaHeader> headers) {
    return headers.stream().anyMatch(h -> h.key().equals(RECORDED_HEADER));
  }

  /** A record read from the topic: a valid event, or why it is refused. */
  public record Parsed(Submitted submitted, InvalidInputException refusal) {
    public boolean valid() {
      return submitted != null;
    }

    public LearningEvent event() {
      return submitted == null ? null : submitted.event();
    }
  }

  /**
   * Validates a record exactly as the REST API validates a posted event (the one validation,
   * {@link EventInput}, size limit included), plus the key rule.
   */
  public static Parsed parse(String tenant, String key, String value, EventInput input, Instant now) {
    try {
      if (!Tenants.valid(tenant)) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE,
            "the tenant header must be a tenant id (1 to 40 characters of a-z, 0-9 and '-')", TENANT_HEADER);
      }
      Submitted submitted = input.read(value, now);
      if (!submitted.event().learnerId().equals(learnerOfKey(tenant, key))) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE,
            "the record key must be <tenant>/<learnerId> of the event, so a learner's events share one partition",
            "key");
      }
      return new Parsed(submitted, null);
    } catch (InvalidInputException e) {
      return new Parsed(null, e);
    }
  }

  public static Parsed parse(String tenant, String key, String value, EventValidator validator, int maxBytes,
                             Instant now) {
    return parse(tenant, key, value, new EventInput(validator, maxBytes), now);
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
