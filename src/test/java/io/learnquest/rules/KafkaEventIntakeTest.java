package io.learnquest.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.EngineContext;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.Tenants;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.kafka.EventRecords;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.StoredEvent;
import io.learnquest.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The rules' Kafka consumer loop against a scripted consumer: what it polls while batches are applied. */
@ExtendWith(VertxExtension.class)
class KafkaEventIntakeTest {
  private static final Instant AT = Instant.now();

  @Test
  void pollsOnWhileSmallBatchesAreAppliedUpToTheirFullBatchesWorthOfRecords(Vertx vertx, VertxTestContext test)
      throws Exception {
    Map<String, String> env = TestStores.postgresEnv();
    env.put("KAFKA", "true");
    env.put("KAFKA_BATCHES_IN_FLIGHT", "2");
    var config = ConfigLoader.load(Path.of("conf"), env);
    String run = UUID.randomUUID().toString();
    // Each learner's event comes in a poll of its own; the first two are held in their apply.
    List<String> learners = List.of("held-a-" + run, "held-c-" + run, "free-b-" + run);
    TopicPartition partition = new TopicPartition(config.kafka().eventsTopic(), 0);
    MockConsumer<String, String> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    kafka.updateBeginningOffsets(Map.of(partition, 0L));
    kafka.schedulePollTask(() -> {
      kafka.rebalance(List.of(partition));
      kafka.addRecord(record(partition, 0, learners.get(0)));
    });
    kafka.schedulePollTask(() -> kafka.addRecord(record(partition, 1, learners.get(1))));
    kafka.schedulePollTask(() -> kafka.addRecord(record(partition, 2, learners.get(2))));

    Promise<String> freeApplied = Promise.promise();
    Function<StoredEvent, Future<?>> applier = stored -> {
      if (stored.event().learnerId().startsWith("held-")) {
        return Promise.promise().future();
      }
      freeApplied.tryComplete(stored.event().eventId());
      return Future.succeededFuture();
    };
    var stores = TestStores.create(vertx, config);
    EngineContext engine = new EngineContext(config, stores, Clock.systemUTC());
    Future.all(learners.stream().map(learner -> stores.events().append(Tenants.DEFAULT,
            List.of(lesson("ev-" + learner, learner)), null)).toList())
        .compose(appended -> vertx.deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            LearnerQueue queue = new LearnerQueue(vertx, stores.events(), applier, false, 3);
            return new KafkaEventIntake(vertx, engine, queue, () -> { }, v -> KafkaConsumer.create(v, kafka),
                v -> KafkaProducer.create(v, new MockProducer<>(true, new StringSerializer(), new StringSerializer()))).start();
          }
        }))
        .compose(id -> freeApplied.future())
        .onComplete(test.succeeding(eventId -> test.verify(() -> {
          // Two batches of one record each are in flight, far from two full batches' worth (500
          // records each): the third poll goes out, and its learner does not wait for the others.
          assertEquals("ev-" + learners.get(2), eventId);
          test.completeNow();
        })));
    test.awaitCompletion(20, TimeUnit.SECONDS);
  }

  /**
   * A partition assigned here is announced before its first record is handled, and one taken away
   * is announced too: the rules forget the learners they cached then (another node may have applied
   * events of theirs), so no event is applied, and no achievement published, from a stale learner.
   */
  @Test
  void partitionsMovingAreAnnouncedBeforeTheRecordsOfAnAssignedPartitionAreHandled(Vertx vertx,
                                                                                  VertxTestContext test)
      throws Exception {
    var config = kafkaConfig();
    String learner = "moved-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(config.kafka().eventsTopic(), 0);
    MockConsumer<String, String> kafka = consumerFrom(partition);
    kafka.schedulePollTask(() -> {
      kafka.rebalance(List.of(partition));
      kafka.addRecord(record(partition, 0, learner));
    });
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    // What was seen up to the revocation's announcement, taken then: the consumer goes on polling
    // meanwhile, and a later announcement (harmless: the rules forget their cache once more) could
    // otherwise land between the revocation and the assertion, as it did once in CI.
    Promise<List<String>> revoked = Promise.promise();
    Function<StoredEvent, Future<?>> applier = stored -> {
      seen.add("applied " + stored.event().eventId());
      // once the record is applied, the partition goes to another consumer
      kafka.schedulePollTask(() -> kafka.rebalance(List.of()));
      return Future.succeededFuture();
    };
    Runnable moved = () -> {
      seen.add("moved");
      if (seen.size() == 3) {
        revoked.tryComplete(List.copyOf(seen));
      }
    };
    deployIntake(vertx, config, lesson("ev-" + learner, learner), applier, moved, kafka,
        new MockProducer<>(true, new StringSerializer(), new StringSerializer()))
        .compose(id -> revoked.future())
        .onComplete(test.succeeding(untilRevoked -> test.verify(() -> {
          assertEquals(List.of("moved", "applied ev-" + learner, "moved"), untilRevoked);
          test.completeNow();
        })));
    test.awaitCompletion(20, TimeUnit.SECONDS);
  }

  /**
   * The recovery pass's hand-back: a learner's oldest pending event goes to the events topic as
   * ingestion writes it (keyed by learner, marked recorded), for the consumer that owns the
   * partition; the learner is not handed back again while the owner works on it; a hand-back Kafka
   * does not acknowledge in time fails (the recovery pass then applies the events itself), and the
   * next pass tries Kafka again.
   */
  @Test
  void aHandBackProducesTheLearnersPendingEventsAndFailsWhenKafkaDoesNotTakeThem(Vertx vertx, VertxTestContext test)
      throws Exception {
    Map<String, String> env = TestStores.postgresEnv();
    env.put("KAFKA", "true");
    var config = ConfigLoader.load(Path.of("conf"), env);
    String learner = "back-" + UUID.randomUUID();
    MockConsumer<String, String> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    MockProducer<String, String> taken = new MockProducer<>(true, new StringSerializer(), new StringSerializer());
    MockProducer<String, String> stalled = new MockProducer<>(false, new StringSerializer(), new StringSerializer());
    var stores = TestStores.create(vertx, config);
    EngineContext engine = new EngineContext(config, stores, Clock.systemUTC());
    LearnerRef ref = new LearnerRef(Tenants.DEFAULT, learner);
    KafkaEventIntake[] intakes = new KafkaEventIntake[2];
    stores.events().append(Tenants.DEFAULT, List.of(lesson("back-1-" + learner, learner),
            lesson("back-2-" + learner, learner)), null)
        .compose(appended -> vertx.deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            LearnerQueue queue = new LearnerQueue(vertx, stores.events(), stored -> Future.succeededFuture(), false, 3);
            intakes[0] = new KafkaEventIntake(vertx, engine, queue, () -> { }, v -> KafkaConsumer.create(v, kafka),
                v -> KafkaProducer.create(v, taken));
            intakes[1] = new KafkaEventIntake(vertx, engine, queue, () -> { },
                v -> KafkaConsumer.create(v, new MockConsumer<>(OffsetResetStrategy.EARLIEST)),
                v -> KafkaProducer.create(v, stalled));
            return Future.all(intakes[0].start(), intakes[1].start())
                .compose(started -> intakes[0].handBack(ref))
                .compose(handed -> intakes[0].handBack(ref))
                .compose(handed -> {
                  test.verify(() -> {
                    assertEquals(List.of("back-1-" + learner), taken.history().stream()
                        .map(r -> new io.vertx.core.json.JsonObject(r.value()).getString("eventId")).toList(),
                        "the oldest pending event, once for two passes");
                    taken.history().forEach(r -> {
                      assertEquals(EventRecords.key(Tenants.DEFAULT, learner), r.key());
                      assertEquals("1", new String(r.headers().lastHeader(EventRecords.RECORDED_HEADER).value(),
                          StandardCharsets.UTF_8));
                      assertEquals(config.kafka().eventsTopic(), r.topic());
                    });
                  });
                  Future<Void> first = intakes[1].handBack(ref);
                  Future<Void> overlapping = intakes[1].handBack(ref);
                  test.verify(() -> {
                    assertEquals(true, overlapping.succeeded(), "a pass while the hand-back is out adds nothing");
                  });
                  return first.transform(ar -> {
                    test.verify(() -> {
                      assertEquals(true, ar.failed(), "Kafka never acknowledged");
                      assertEquals(1, stalled.history().size(), "produced once, not by the overlapping pass");
                    });
                    return intakes[1].handBack(ref).transform(again -> {
                      test.verify(() -> assertEquals(2, stalled.history().size(), "after a failure, tried again"));
                      return Future.succeededFuture();
                    });
                  });
                });
          }
        }))
        .onComplete(test.succeedingThenComplete());
    test.awaitCompletion(20, TimeUnit.SECONDS);
  }

  /**
   * A record with a header that has no value (Kafka allows it) is dead-lettered, and the records
   * polled with it are applied: it does not fail its batch at every retry and hold the partition up.
   */
  @Test
  void aRecordWithAHeaderWithoutValueIsDeadLetteredAndTheOthersAreApplied(Vertx vertx, VertxTestContext test)
      throws Exception {
    var config = kafkaConfig();
    String learner = "after-null-header-" + UUID.randomUUID();
    TopicPartition partition = new TopicPartition(config.kafka().eventsTopic(), 0);
    MockConsumer<String, String> kafka = consumerFrom(partition);
    ConsumerRecord<String, String> valueless = record(partition, 0, "valueless-" + learner);
    valueless.headers().add("note", null);
    kafka.schedulePollTask(() -> {
      kafka.rebalance(List.of(partition));
      kafka.addRecord(valueless);
      kafka.addRecord(record(partition, 1, learner));
    });
    MockProducer<String, String> producer = new MockProducer<>(true, new StringSerializer(), new StringSerializer());
    Promise<String> applied = Promise.promise();
    Function<StoredEvent, Future<?>> applier = stored -> {
      applied.tryComplete(stored.event().eventId());
      return Future.succeededFuture();
    };
    deployIntake(vertx, config, lesson("ev-" + learner, learner), applier, () -> { }, kafka, producer)
        .compose(id -> applied.future())
        .onComplete(test.succeeding(eventId -> test.verify(() -> {
          assertEquals("ev-" + learner, eventId);
          assertEquals(1, producer.history().size());
          assertEquals(config.kafka().deadLetterTopic(), producer.history().get(0).topic());
          assertEquals("invalid_value", new io.vertx.core.json.JsonObject(producer.history().get(0).value())
              .getJsonObject("error").getString("code"));
          test.completeNow();
        })));
    test.awaitCompletion(20, TimeUnit.SECONDS);
  }

  /** The configuration of a node in Kafka mode over the test database. */
  private static io.learnquest.config.EngineConfig kafkaConfig() {
    Map<String, String> env = TestStores.postgresEnv();
    env.put("KAFKA", "true");
    return ConfigLoader.load(Path.of("conf"), env);
  }

  /** A scripted consumer that reads {@code partition} from its start once it is assigned. */
  private static MockConsumer<String, String> consumerFrom(TopicPartition partition) {
    MockConsumer<String, String> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
    kafka.updateBeginningOffsets(Map.of(partition, 0L));
    return kafka;
  }

  /**
   * Appends {@code event} to the log, then deploys an intake over {@code kafka} and
   * {@code producer} whose queue applies with {@code applier}.
   */
  private static Future<String> deployIntake(Vertx vertx, io.learnquest.config.EngineConfig config,
                                             LearningEvent event, Function<StoredEvent, Future<?>> applier,
                                             Runnable moved, MockConsumer<String, String> kafka,
                                             MockProducer<String, String> producer) {
    var stores = TestStores.create(vertx, config);
    EngineContext engine = new EngineContext(config, stores, Clock.systemUTC());
    return stores.events().append(Tenants.DEFAULT, List.of(event), null)
        .compose(appended -> vertx.deployVerticle(new VerticleBase() {
          @Override
          public Future<?> start() {
            LearnerQueue queue = new LearnerQueue(vertx, stores.events(), applier, false, 3);
            return new KafkaEventIntake(vertx, engine, queue, moved, v -> KafkaConsumer.create(v, kafka),
                v -> KafkaProducer.create(v, producer)).start();
          }
        }));
  }

  private static LearningEvent lesson(String eventId, String learnerId) {
    return new LearningEvent(eventId, learnerId, "lesson_completed", AT, null, "java-101", "l-1", null, 1, false);
  }

  /** A record as the REST ingestion writes it: in the log already, keyed by tenant and learner. */
  private static ConsumerRecord<String, String> record(TopicPartition partition, long offset, String learnerId) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(EventRecords.RECORDED_HEADER, "1".getBytes(StandardCharsets.UTF_8));
    headers.add(EventRecords.TENANT_HEADER, Tenants.DEFAULT.getBytes(StandardCharsets.UTF_8));
    return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, 0L, TimestampType.CREATE_TIME, 0, 0,
        EventRecords.key(Tenants.DEFAULT, learnerId), "{}", headers, Optional.empty());
  }
}
