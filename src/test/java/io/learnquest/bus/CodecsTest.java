package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.notification.Notification;
import io.learnquest.ingestion.IngestionService;
import io.learnquest.ingestion.IngestionService.SubmitEvents;
import io.learnquest.json.JsonMapping;
import io.learnquest.rules.LearnersPending;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The codecs of bus messages: on one node a message is the sender's own object; between nodes it
 * is encoded once and read back equal, batches with their items of several types and failures.
 */
@ExtendWith(VertxExtension.class)
class CodecsTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:15:30.123456789Z");

  record Probe(String text, List<String> items, Map<String, Long> scores) {
    Probe {
      items = List.copyOf(items);
      scores = Map.copyOf(scores);
    }
  }

  private static LearningEvent quiz() {
    return new LearningEvent("e-1", "ana", "quiz_completed", AT, "Asia/Tokyo", "java-101", "q-1", 100, 4, true);
  }

  private static Outcome outcome() {
    return new Outcome("e-1", Outcome.PROCESSED, "ana",
        List.of(new Outcome.Grant("quiz_perfect", 200, 125, 250)), 302, 2, true, List.of("perfect_quiz"),
        List.of(new Outcome.Step("ONBOARDING", "ACTIVE", "first_event")), new Outcome.Streak(1, 1, 2, true, false),
        false);
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(Vertx vertx, T value) {
    MessageCodec<T, T> codec = Codecs.codec((Class<T>) value.getClass());
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, value);
    // as the receiving node reads it: from inside a larger buffer
    Buffer framed = Buffer.buffer("xyz").appendBuffer(wire);
    return codec.decodeFromWire(3, framed);
  }

  @Test
  void onOneNodeTheReceiverGetsTheSendersOwnObject(Vertx vertx, VertxTestContext test) {
    IngestionService.registerCodecs(vertx);
    SubmitEvents sent = SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, quiz(), true, "web.outcomes.x");
    vertx.eventBus().<SubmitEvents>consumer("probe", m -> test.verify(() -> {
      assertSame(sent, m.body());
      m.reply(new IngestionService.Outcomes(List.of(new IngestionService.Applied(io.learnquest.domain.Tenants.DEFAULT,
          outcome().eventId(), JsonMapping.encode(outcome())))));
    }));
    Bus.<IngestionService.Outcomes>ask(vertx, "probe", sent).onComplete(test.succeeding(reply -> test.verify(() -> {
      assertEquals(JsonMapping.encode(outcome()), reply.outcomes().get(0).outcomeJson());
      test.completeNow();
    })));
  }

  @Test
  void betweenNodesAMessageIsReadBackEqual(Vertx vertx) {
    Codecs.register(vertx, Probe.class, Notification.class);
    IngestionService.registerCodecs(vertx);
    SubmitEvents submit = SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, quiz(), false, null);
    SubmitEvents back = roundTrip(vertx, submit);
    assertEquals(submit, back);
    assertNotSame(submit, back);
    assertEquals(AT, back.events().get(0).event().occurredAt());

    IngestionService.Accepted accepted = new IngestionService.Accepted(List.of(
        new IngestionService.Result("e-1", IngestionService.Status.DUPLICATE, outcome()),
        new IngestionService.Result("e-2", IngestionService.Status.ACCEPTED, null)));
    assertEquals(accepted, roundTrip(vertx, accepted));

    Map<String, Object> data = new LinkedHashMap<>();
    data.put("xp", 250L);
    data.put("badgeId", "perfect_quiz");
    data.put("nested", Map.of("a", List.of("b")));
    Notification note = new Notification(7, Notification.XP_GRANTED, "ana", "e-1", AT, data);
    Notification read = roundTrip(vertx, note);
    assertEquals(note.seq(), read.seq());
    assertEquals(note.at(), read.at());
    assertEquals("perfect_quiz", read.data().get("badgeId"));
    assertEquals(250, ((Number) read.data().get("xp")).intValue());
    assertEquals(Map.of("a", List.of("b")), read.data().get("nested"));

    Probe probe = new Probe("t", List.of("a", "b"), Map.of("global:all-time", 12L));
    assertEquals(probe, roundTrip(vertx, probe));

    LearnersPending.registerCodec(vertx);
    LearnersPending pending = new LearnersPending(List.of(new LearnerRef("t1", "ana")), List.of(new PendingEvent(
        new StoredEvent(12, "t1", quiz(), AT, "web.outcomes.x", null), 9)));
    assertEquals(pending, roundTrip(vertx, pending));
  }

  @Test
  void aBatchCarriesItemsOfSeveralTypesAndEachItemsFailure(Vertx vertx) {
    Codecs.register(vertx, Probe.class);
    IngestionService.registerCodecs(vertx);
    Batch batch = new Batch(List.of(SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, quiz(), true, null), new Probe("p", List.of(), Map.of())));
    Batch back = roundTrip(vertx, batch);
    assertEquals(batch, back);

    Batch.Failed failed = Batch.Failed.of(Failure.NOT_FOUND.exception("not_found", "no such learner", "learnerId"));
    Batch.Results results = new Batch.Results(Arrays.asList(new Probe("ok", List.of(), Map.of()), null, failed));
    Batch.Results read = roundTrip(vertx, results);
    assertEquals(results, read);
    Failure.EngineException e = ((Batch.Failed) read.results().get(2)).exception();
    assertEquals(Failure.NOT_FOUND, e.failure());
    assertEquals("learnerId", e.body().getString("field"));
  }

  @Test
  void registeringAgainIsHarmlessAndOnlyRecordsAreMessages(Vertx vertx) {
    Codecs.register(vertx, Probe.class);
    Codecs.register(vertx, Probe.class);
    assertThrows(IllegalArgumentException.class, () -> Codecs.register(vertx, String.class));
    List<Object> items = new ArrayList<>();
    items.add("x");
    assertEquals(List.of("x"), new Batch(items).items());
  }

  @Test
  void aBatchedRequestFailsAloneAndTheOthersGetTheirReplies(Vertx vertx, VertxTestContext test) {
    Codecs.register(vertx, Probe.class);
    RequestBatcher.<Probe, Probe>serve(vertx, "probe.batched", p -> p.text().equals("bad")
            ? Future.failedFuture(Failure.INVALID_INPUT.exception("invalid_value", "bad probe", "text"))
            : Future.succeededFuture(new Probe(p.text() + "!", p.items(), p.scores())))
        .onComplete(test.succeeding(v -> vertx.runOnContext(x -> {
          RequestBatcher<Probe, Probe> batcher = new RequestBatcher<>(vertx, "probe.batched", 10, 1);
          Future<Probe> good = batcher.request(new Probe("a", List.of(), Map.of()));
          Future<Probe> bad = batcher.request(new Probe("bad", List.of(), Map.of()));
          Future.join(good, bad).onComplete(done -> test.verify(() -> {
            assertEquals("a!", good.result().text());
            assertEquals(Failure.INVALID_INPUT, ((Failure.EngineException) bad.cause()).failure());
            test.completeNow();
          }));
        })));
  }
}
