package io.learnquest.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Failure;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.ingestion.IngestionService.Status;
import io.learnquest.ingestion.IngestionService.SubmitEvents;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.rules.LearnersPending;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoreFactory;
import io.learnquest.support.Polls;
import io.learnquest.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The ingestion verticle deployed alone, asked over the bus with its typed messages. */
@ExtendWith(VertxExtension.class)
class IngestionVerticleTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(AT, ZoneOffset.UTC);

  private static LearningEvent lesson(String eventId, String learnerId, String objectId) {
    return new LearningEvent(eventId, learnerId, "lesson_completed", AT, null, "java-101", objectId, null, 1, false);
  }

  /** Deploys ingestion alone on the embedded default; the nudges it sends to the rules land in {@code nudged}. */
  private static io.vertx.core.Future<IngestionService> deploy(Vertx vertx, Map<String, String> env,
                                                               List<String> nudged) {
    return deploy(vertx, env, nudged, new CopyOnWriteArrayList<>());
  }

  /** As above; the events handed over with the nudges land in {@code handedOver}. */
  private static io.vertx.core.Future<IngestionService> deploy(Vertx vertx, Map<String, String> env,
                                                               List<String> nudged, List<PendingEvent> handedOver) {
    var config = ConfigLoader.load(Path.of("conf"), env);
    LearnersPending.registerCodec(vertx);
    vertx.eventBus().<LearnersPending>consumer(Addresses.RULES_LEARNER_PENDING, m -> {
      m.body().learners().forEach(l -> nudged.add(l.learnerId()));
      handedOver.addAll(m.body().events());
    });
    return StoreFactory.create(vertx, config, CLOCK)
        .compose(stores -> vertx.deployVerticle(new IngestionVerticle(new EngineContext(config, stores, CLOCK))))
        .map(id -> new IngestionService(vertx));
  }

  @Test
  void recordsEachEventOnceAndNudgesTheRulesForItsLearner(Vertx vertx, VertxTestContext test) {
    List<String> nudged = new CopyOnWriteArrayList<>();
    deploy(vertx, Map.of(), nudged).compose(ingestion -> ingestion.submit(new SubmitEvents(io.learnquest.domain.Tenants.DEFAULT, List.of(
            new Submitted(lesson("e-1", "ana", "l-1"), true), new Submitted(lesson("e-2", "bo", "l-1"), true)), null))
        .compose(first -> {
          test.verify(() -> {
            assertEquals(List.of("e-1", "e-2"), first.results().stream().map(IngestionService.Result::eventId).toList());
            first.results().forEach(r -> assertEquals(Status.ACCEPTED, r.status()));
          });
          // the same event again, and another event under a used eventId
          return ingestion.submit(new SubmitEvents(io.learnquest.domain.Tenants.DEFAULT, List.of(new Submitted(lesson("e-1", "ana", "l-1"), true),
              new Submitted(lesson("e-2", "bo", "l-2"), true)), null));
        })
        .compose(second -> {
          test.verify(() -> {
            assertEquals(Status.DUPLICATE, second.results().get(0).status());
            assertNull(second.results().get(0).outcome(), "not applied yet: no outcome to tell");
            assertEquals(Status.CONFLICT, second.results().get(1).status());
          });
          return ingestion.outcome(io.learnquest.domain.Tenants.DEFAULT, "e-1").compose(known -> ingestion.outcome(io.learnquest.domain.Tenants.DEFAULT, "never-sent").map(unknown -> {
            test.verify(() -> {
              assertTrue(known.known());
              assertFalse(known.applied());
              assertNull(known.outcome());
              assertFalse(unknown.known());
            });
            return null;
          }));
        }))
        .onComplete(test.succeeding(v -> vertx.setTimer(50, t -> test.verify(() -> {
          // one nudge per learner with new events, none for a duplicate or a conflict
          assertEquals(List.of("ana", "bo"), new ArrayList<>(nudged));
          test.completeNow();
        }))));
  }

  /**
   * The nudge hands the rules the new events as the log holds them, each with its learner's event
   * pending before it, so that they need not be read back.
   */
  @Test
  void theNudgeCarriesTheNewEventsAsTheLogHoldsThem(Vertx vertx, VertxTestContext test) {
    List<PendingEvent> handedOver = new CopyOnWriteArrayList<>();
    deploy(vertx, Map.of(), new CopyOnWriteArrayList<>(), handedOver).compose(ingestion -> ingestion.submit(
            new SubmitEvents(io.learnquest.domain.Tenants.DEFAULT, List.of(new Submitted(lesson("e-1", "ana", "l-1"), true),
                new Submitted(lesson("e-2", "bo", "l-1"), true), new Submitted(lesson("e-3", "ana", "l-2"), true)),
                "web.outcomes.here"))
        .compose(first -> ingestion.submit(SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT,
            lesson("e-1", "ana", "l-1"), true, null))))
        .onComplete(test.succeeding(v -> vertx.setTimer(50, t -> test.verify(() -> {
          assertEquals(List.of("e-1", "e-2", "e-3"), handedOver.stream().map(p -> p.stored().event().eventId()).toList(),
              "the new events, not the duplicate");
          assertEquals(lesson("e-1", "ana", "l-1"), handedOver.get(0).stored().event());
          assertEquals("web.outcomes.here", handedOver.get(0).stored().replyTo());
          assertEquals(AT, handedOver.get(0).stored().acceptedAt());
          assertEquals(List.of(0L, 0L, handedOver.get(0).stored().seq()),
              handedOver.stream().map(PendingEvent::previousSeq).toList(), "ana's second follows her first");
          test.completeNow();
        }))));
  }

  @Test
  void anEventWhoseOccurredAtWasNotGivenIsADuplicateWhateverItsDefault(Vertx vertx, VertxTestContext test) {
    LearningEvent first = lesson("e-9", "ana", "l-1");
    LearningEvent resent = new LearningEvent("e-9", "ana", "lesson_completed", AT.plusSeconds(30), null, "java-101",
        "l-1", null, 1, false);
    deploy(vertx, Map.of(), new CopyOnWriteArrayList<>())
        .compose(ingestion -> ingestion.submit(SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, first, false, null))
            .compose(v -> ingestion.submit(SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, resent, false, null)))
            .compose(notGiven -> ingestion.submit(SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, resent, true, null)).map(given -> List.of(notGiven, given))))
        .onComplete(test.succeeding(replies -> test.verify(() -> {
          assertEquals(Status.DUPLICATE, replies.get(0).results().get(0).status());
          assertEquals(Status.CONFLICT, replies.get(1).results().get(0).status());
          test.completeNow();
        })));
  }

  @Test
  void aFullBacklogRefusesTheWholeSubmissionWithTheOverloadedCode(Vertx vertx, VertxTestContext test) {
    deploy(vertx, Map.of("INGESTION_MAX_BACKLOG", "2"), new CopyOnWriteArrayList<>())
        .compose(ingestion -> ingestion.submit(new SubmitEvents(io.learnquest.domain.Tenants.DEFAULT, List.of(new Submitted(lesson("o-1", "ana", "l-1"), true),
                new Submitted(lesson("o-2", "ana", "l-2"), true)), null))
            // the backlog is counted at most every 100 ms: wait for the count that sees both
            .compose(v -> vertx.timer(2 * Backlog.RECOUNT_MS))
            .compose(v -> ingestion.submit(SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, lesson("o-3", "ana", "l-3"), true, null))))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertEquals(Failure.OVERLOADED, ((Failure.EngineException) e).failure());
          assertEquals("overloaded", ((Failure.EngineException) e).body().getString("error"));
          test.completeNow();
        })));
  }

  @Test
  void inKafkaModeAnEventIsAnsweredOnceRecordedWithoutWaitingForKafkasAcknowledgement(Vertx vertx,
                                                                                     VertxTestContext test) {
    // A producer whose sends Kafka never acknowledges, and a wait for it longer than the test: the
    // answer can only come from the log's.
    MockProducer<String, String> kafka = new MockProducer<>(false, new StringSerializer(), new StringSerializer());
    Map<String, String> env = TestStores.postgresEnv();
    env.put("KAFKA", "true");
    var config = ConfigLoader.load(Path.of("conf"), env);
    String eventId = "k-" + java.util.UUID.randomUUID();
    LearnersPending.registerCodec(vertx);
    StoreFactory.create(vertx, config, CLOCK)
        .compose(stores -> vertx.deployVerticle(new IngestionVerticle(new EngineContext(config, stores, CLOCK),
            v -> KafkaProducer.create(v, kafka), 60_000)))
        .compose(id -> new IngestionService(vertx).submit(
            SubmitEvents.of(io.learnquest.domain.Tenants.DEFAULT, lesson(eventId, "ana", "l-1"), true, null)))
        .onComplete(test.succeeding(reply -> test.verify(() -> {
          assertEquals(Status.ACCEPTED, reply.results().get(0).status());
          // Vert.x hands the record to the producer on a worker thread, so the answer can come
          // before the send is made; the send must still come (the test's timeout bounds the wait).
          Polls.until(vertx, () -> !kafka.history().isEmpty()).onComplete(test.succeeding(sent -> test.verify(() -> {
            assertEquals(1, kafka.history().size(), "sent to the events topic once");
            assertEquals(config.kafka().eventsTopic(), kafka.history().get(0).topic());
            test.completeNow();
          })));
        })));
  }

  @Test
  void answersReadyWithNothingOnceTheLogAnswers(Vertx vertx, VertxTestContext test) {
    deploy(vertx, Map.of(), new CopyOnWriteArrayList<>()).compose(IngestionService::ready)
        .onComplete(test.succeeding(ready -> test.verify(() -> {
          assertNull(ready);
          test.completeNow();
        })));
  }
}
