package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.bench.EventMix;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.json.JsonMapping;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoredEvent;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The events topic's record format: what the engine writes, external producers write, and what is refused. */
class EventRecordsTest {
  static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  static final int MAX = 65536;
  final EventValidator validator = new EventValidator(EventTypes.builtIn(), java.time.Duration.ofDays(30));

  @Test
  void whatTheIngestionWritesReadsBackAsTheSameEvent() {
    for (JsonObject json : EventMix.generate("r", 5, 20, NOW.minus(Duration.ofDays(10)), Duration.ofHours(9), 7)) {
      LearningEvent accepted = validator.validate(json.getMap(), NOW);
      String value = JsonMapping.toJson(accepted).encode();
      EventRecords.Parsed parsed = EventRecords.parse(io.learnquest.domain.Tenants.DEFAULT, accepted.learnerId(), value, validator, MAX, NOW);
      assertTrue(parsed.valid(), () -> value + ": " + parsed.refusal().getMessage());
      assertEquals(accepted, parsed.event());
    }
  }

  /** The engine's own record carries the event as the log holds it, so the consumer need not read it back. */
  @Test
  void theEnginesRecordCarriesTheEventAsTheLogHoldsIt() {
    LearningEvent event = new LearningEvent("e-1", "ana", "lesson_completed", NOW, null, "c1", "l-1", null, 1, false);
    for (String replyTo : java.util.Arrays.asList("web.outcomes.x", null)) {
      PendingEvent pending = new PendingEvent(new StoredEvent(42, "t1", event, NOW.plusMillis(3), replyTo, null), 40);
      KafkaProducerRecord<String, String> record = EventRecords.recorded("events", pending);
      assertEquals("t1/ana", record.key());
      assertTrue(EventRecords.recorded(record.headers()));
      assertEquals("t1", EventRecords.tenant(record.headers()));
      assertEquals(pending, EventRecords.pending("t1", record.headers(), record.value()));
    }
  }

  /** Every kind of event of the realistic mix (scores, zones, courses...) comes back equal, its acceptance to the microsecond. */
  @Test
  void everyEventOfTheMixComesBackFromTheEnginesRecordAsItWasWritten() {
    long seq = 1;
    for (JsonObject json : EventMix.generate("m", 7, 60, NOW.minus(Duration.ofDays(14)), Duration.ofHours(5), 11)) {
      LearningEvent event = validator.validate(json.getMap(), NOW);
      PendingEvent pending = new PendingEvent(new StoredEvent(seq, "t1", event, NOW.plusNanos(123_456_000L * seq),
          "web.outcomes.y", null), seq - 1);
      KafkaProducerRecord<String, String> record = EventRecords.recorded("events", pending);
      assertEquals(pending, EventRecords.pending("t1", record.headers(), record.value()), record.value());
      seq++;
    }
  }

  @Test
  void aRecordWithoutTheSequenceHeadersIsReadFromTheLog() {
    KafkaProducerRecord<String, String> record = KafkaProducerRecord.<String, String>create("events", "t1/ana", "{}")
        .addHeader(EventRecords.RECORDED_HEADER, "1").addHeader(EventRecords.TENANT_HEADER, "t1");
    assertNull(EventRecords.pending("t1", record.headers(), record.value()));
    PendingEvent pending = new PendingEvent(new StoredEvent(42, "t1", new LearningEvent("e-1", "ana",
        "lesson_completed", NOW, null, "c1", "l-1", null, 1, false), NOW, null, null), 0);
    KafkaProducerRecord<String, String> garbled = EventRecords.recorded("events", pending);
    assertNull(EventRecords.pending("t1", garbled.headers(), "not json"), "an unreadable value");
  }

  @Test
  void anExternalProducerWritesTheBodyOfPostEvents() {
    String body = "{\"eventId\":\"x-1\",\"learnerId\":\"ana\",\"type\":\"lesson_completed\","
        + "\"objectId\":\"l-1\",\"occurredAt\":\"2026-11-27T11:00:00Z\"}";
    EventRecords.Parsed parsed = EventRecords.parse(io.learnquest.domain.Tenants.DEFAULT, "ana", body, validator, MAX, NOW);
    assertTrue(parsed.valid());
    assertEquals("x-1", parsed.event().eventId());
    assertNull(parsed.refusal());
  }

  @Test
  void refusalsCarryTheApiErrorCodeAndField() {
    assertRefused("ana", null, ErrorCodes.INVALID_JSON, null);
    assertRefused("ana", "  ", ErrorCodes.INVALID_JSON, null);
    assertRefused("ana", "{not json", ErrorCodes.INVALID_JSON, null);
    assertRefused("ana", "[1,2]", ErrorCodes.INVALID_TYPE, null);
    assertRefused("ana", "{\"eventId\":\"x\",\"type\":\"lesson_completed\",\"objectId\":\"o\"}",
        ErrorCodes.MISSING_FIELD, "learnerId");
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"levitation\"}",
        ErrorCodes.UNKNOWN_EVENT_TYPE, "type");
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\","
        + "\"occurredAt\":\"2027-01-01T00:00:00Z\"}", ErrorCodes.OCCURRED_IN_FUTURE, "occurredAt");
    assertRefused("bob", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\"}",
        ErrorCodes.INVALID_VALUE, "key");
    assertRefused(null, "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\"}",
        ErrorCodes.INVALID_VALUE, "key");
    // The same strict parser and limits as the REST API.
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\",\"learnerId\":\"bob\"}",
        ErrorCodes.DUPLICATE_KEY, "learnerId");
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\","
        + "\"occurredAt\":\"-5000-01-01T00:00:00Z\"}", ErrorCodes.TOO_OLD, "occurredAt");
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\\u0000\"}",
        ErrorCodes.INVALID_TEXT, "type");
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"peer_helped\"}",
        ErrorCodes.MISSING_FIELD, "objectId");
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\",\"x\":"
        + "[".repeat(200) + "]".repeat(200) + "}", ErrorCodes.TOO_DEEP, "x" + "[0]".repeat(99));
    assertRefused("ana", "{\"eventId\":\"x\",\"learnerId\":\"ana\",\"type\":\"daily_login\",\"pad\":\""
        + "é".repeat(40) + "\"}", ErrorCodes.PAYLOAD_TOO_LARGE, null, 64);
  }

  @Test
  void aDeadLetterKeepsTheRecordAndSaysWhy() {
    EventRecords.Parsed parsed = EventRecords.parse(io.learnquest.domain.Tenants.DEFAULT, "ana", "{oops", validator, MAX, NOW);
    JsonObject letter = EventRecords.deadLetter(parsed.refusal(), "events", 3, 41L, "ana", "{oops", NOW);
    assertEquals(ErrorCodes.INVALID_JSON, letter.getJsonObject("error").getString("code"));
    assertFalse(letter.getJsonObject("error").getString("message").isBlank());
    assertEquals(new JsonObject().put("topic", "events").put("partition", 3).put("offset", 41L),
        letter.getJsonObject("source"));
    assertEquals("ana", letter.getString("key"));
    assertEquals("{oops", letter.getString("value"));
    assertEquals(NOW.toString(), letter.getString("refusedAt"));
  }

  private void assertRefused(String key, String value, String code, String field) {
    assertRefused(key, value, code, field, MAX);
  }

  private void assertRefused(String key, String value, String code, String field, int max) {
    EventRecords.Parsed parsed = EventRecords.parse(io.learnquest.domain.Tenants.DEFAULT, key, value, validator, max, NOW);
    assertFalse(parsed.valid(), value);
    assertEquals(code, parsed.refusal().code(), value);
    assertEquals(field, parsed.refusal().field(), value);
  }
}
