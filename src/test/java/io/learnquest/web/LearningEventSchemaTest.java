package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The event and batch bodies are checked at run time by the engine's own validator, not by the
 * document's schema (which would cost about 150 us of CPU per event): this holds the two together.
 * Every body the validator accepts, the document's LearningEvent accepts (the document tells the
 * truth), and every body the document refuses, the validator refuses (the document is enforced).
 */
class LearningEventSchemaTest {
  private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
  private static Vertx vertx;
  private static Validator eventSchema;
  private static Validator batchSchema;
  private final EventValidator validator = ConfigLoader.load(Path.of("conf"), Map.of()).eventValidator("default");

  @BeforeAll
  static void loadDocument() throws Exception {
    vertx = Vertx.vertx();
    OpenAPIContract contract = ApiDocument.contract(vertx).await(60, TimeUnit.SECONDS);
    eventSchema = contract.getSchemaRepository().validator("#/components/schemas/LearningEvent");
    batchSchema = contract.getSchemaRepository().validator("#/components/schemas/EventBatch");
  }

  @AfterAll
  static void close() {
    vertx.close().await();
  }

  @Test
  void everyEventTheValidatorAcceptsTheDocumentAccepts() {
    List<JsonObject> accepted = new ArrayList<>();
    Random random = new Random(12);
    for (int i = 0; i < 2_000; i++) {
      accepted.add(randomValidEvent(random, i));
    }
    accepted.add(minimal().put("eventId", "a").put("learnerId", "b"));
    accepted.add(minimal().put("eventId", "x".repeat(128)).put("learnerId", "AZaz09._:@-".repeat(12).substring(0, 128)));
    accepted.add(minimal().put("eventId", "AZaz09._:-"));
    accepted.add(minimal().put("courseId", null).put("objectId", null).put("occurredAt", null).put("timezone", null)
        .put("score", null).put("difficulty", null).put("timeBonus", null));
    accepted.add(minimal().put("unknownExtra", new JsonObject().put("any", 1)).put("another", new JsonArray()));
    accepted.add(minimal().put("type", "quiz_completed").put("score", 0).put("difficulty", 1).put("timeBonus", false));
    accepted.add(minimal().put("type", "course_completed").put("score", 100).put("difficulty", 5).put("timeBonus", true));
    accepted.add(minimal().put("occurredAt", "2026-11-27T20:59:00+09:00").put("timezone", "Asia/Tokyo"));
    for (JsonObject body : accepted) {
      assertTrue(domainAccepts(body), () -> "the validator refuses a body meant to be valid: " + body.encode());
      assertTrue(eventSchema.validate(body).getValid(), () -> "the document refuses what the engine accepts: "
          + body.encode() + " " + eventSchema.validate(body).toJson().encode());
    }
  }

  @Test
  void everyEventTheDocumentRefusesTheValidatorRefuses() {
    List<Object> refused = new ArrayList<>();
    for (String field : List.of("eventId", "learnerId", "type")) {
      refused.add(minimal().putNull(field));
      JsonObject without = minimal();
      without.remove(field);
      refused.add(without);
      refused.add(minimal().put(field, 7));
      refused.add(minimal().put(field, new JsonArray().add("x")));
    }
    refused.add(minimal().put("eventId", ""));
    refused.add(minimal().put("eventId", "has space"));
    refused.add(minimal().put("eventId", "has@at"));
    refused.add(minimal().put("eventId", "x".repeat(129)));
    refused.add(minimal().put("learnerId", ""));
    refused.add(minimal().put("learnerId", "a/b"));
    refused.add(minimal().put("learnerId", "y".repeat(129)));
    for (String field : List.of("courseId", "objectId")) {
      refused.add(minimal().put(field, ""));
      refused.add(minimal().put(field, "bad id"));
      refused.add(minimal().put(field, "z".repeat(129)));
      refused.add(minimal().put(field, 12));
    }
    for (String field : List.of("occurredAt", "timezone")) {
      refused.add(minimal().put(field, 12));
      refused.add(minimal().put(field, true));
    }
    refused.add(minimal().put("type", "quiz_completed").put("score", -1));
    refused.add(minimal().put("type", "quiz_completed").put("score", 101));
    refused.add(minimal().put("type", "quiz_completed").put("score", "80"));
    refused.add(minimal().put("type", "quiz_completed").put("score", 80.5));
    refused.add(minimal().put("difficulty", 0));
    refused.add(minimal().put("difficulty", 6));
    refused.add(minimal().put("difficulty", "3"));
    refused.add(minimal().put("timeBonus", "true"));
    refused.add(minimal().put("timeBonus", 1));
    refused.add(new JsonArray().add(minimal()));
    refused.add("a string");
    refused.add(42);
    for (Object body : refused) {
      assertFalse(eventSchema.validate(body).getValid(), () -> "the document accepts a body meant to break it: " + body);
      assertFalse(body instanceof JsonObject json && domainAccepts(json),
          () -> "the document refuses a body the engine accepts: " + body);
    }
  }

  @Test
  void theBatchEnvelopeTheDocumentRefusesIsTheOneTheEngineRefuses() {
    // EventRoutes.postBatch refuses exactly what is not {"events": [...]}; items are judged one by one.
    assertTrue(batchSchema.validate(new JsonObject().put("events", new JsonArray().add(1).add("x").add(minimal())))
        .getValid());
    assertTrue(batchSchema.validate(new JsonObject().put("events", new JsonArray()).put("extra", 1)).getValid());
    for (Object body : List.of(new JsonObject(), new JsonObject().putNull("events"),
        new JsonObject().put("events", new JsonObject()), new JsonObject().put("events", "[]"),
        new JsonArray().add(minimal()), "x")) {
      assertFalse(batchSchema.validate(body).getValid(), () -> "the document accepts the batch body " + body);
      assertFalse(body instanceof JsonObject json && json.getValue("events") instanceof JsonArray,
          () -> "the engine accepts the batch body " + body);
    }
  }

  private boolean domainAccepts(JsonObject body) {
    try {
      validator.validate(body.getMap(), NOW);
      return true;
    } catch (InvalidInputException e) {
      return false;
    }
  }

  private static JsonObject minimal() {
    return new JsonObject().put("eventId", "e-1").put("learnerId", "ana").put("type", "lesson_completed");
  }

  private static final String EVENT_ALPHABET = "ABCXYZabcxyz0129._:-";
  private static final String ID_ALPHABET = EVENT_ALPHABET + "@";
  private static final List<String> TYPES = List.of("lesson_completed", "quiz_completed", "course_completed",
      "peer_helped", "daily_login");

  private static JsonObject randomValidEvent(Random random, int i) {
    String type = TYPES.get(random.nextInt(TYPES.size()));
    JsonObject event = new JsonObject().put("eventId", word(random, EVENT_ALPHABET) + i)
        .put("learnerId", word(random, ID_ALPHABET)).put("type", type);
    if (type.equals("quiz_completed") || type.equals("course_completed") || random.nextBoolean()) {
      event.put("score", random.nextInt(101));
    }
    if (random.nextBoolean()) {
      event.put("difficulty", 1 + random.nextInt(5));
    }
    if (random.nextBoolean()) {
      event.put("timeBonus", random.nextBoolean());
    }
    if (random.nextBoolean()) {
      event.put("courseId", word(random, ID_ALPHABET));
    }
    if (type.equals("peer_helped") || random.nextBoolean()) { // the peer is required
      event.put("objectId", word(random, ID_ALPHABET));
    }
    if (random.nextBoolean()) {
      event.put("occurredAt", NOW.minusSeconds(random.nextInt(86_400 * 20)).toString());
    }
    if (random.nextBoolean()) {
      event.put("timezone", List.of("UTC", "Asia/Tokyo", "America/New_York", "Europe/Paris").get(random.nextInt(4)));
    }
    return event;
  }

  private static String word(Random random, String alphabet) {
    StringBuilder text = new StringBuilder();
    int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 100 : 12);
    for (int k = 0; k < length; k++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
