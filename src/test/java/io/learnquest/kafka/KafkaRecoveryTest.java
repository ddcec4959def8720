package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.Tenants;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * With Kafka, an event the log holds but the topic never got (its node died after recording it, or
 * Kafka refused the send) is produced to the topic by the recovery pass, so the consumer that owns
 * its learner's partition applies it, as it applies every other event of that learner.
 */
class KafkaRecoveryTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void anEventRecordedButNeverProducedIsHandedToTheTopicAndAppliedOnce() throws Exception {
    TestKafka kafka = TestKafka.fresh();
    TestStores.emptyTestDatabase();
    Map<String, String> env = new HashMap<>(kafka.env(2));
    env.put("LOG_LEVEL", "WARN");
    env.put("RECOVERY_INTERVAL_MS", "300");
    env.put("KAFKA_RECOVER_AFTER_MS", "1000");
    try (TestEngine engine = TestEngine.startDurable(env)) {
      // Recorded as a node's ingestion records it, and never produced: that node died right after.
      LearningEvent orphan = new LearningEvent("orphan-1", "orphan-ana", "lesson_completed",
          TestEngine.START.minus(Duration.ofHours(1)), null, "java-101", "l-1", null, 1, false);
      engine.engine.context().stores().events().append(Tenants.DEFAULT, List.of(orphan), null)
          .await(10, TimeUnit.SECONDS);
      // past kafka.recoverAfterMs on the engine's clock, which the log's acceptance time is taken from
      engine.clock.advance(Duration.ofSeconds(5));

      List<ConsumerRecord<String, String>> records = kafka.read(kafka.events,
          r -> r.key().equals("default/orphan-ana"), 1, WAIT);
      assertEquals("orphan-1", new JsonObject(records.get(0).value()).getString("eventId"),
          "the recovery pass produced the event, as ingestion would have");
      assertEquals("1", new String(records.get(0).headers().lastHeader(EventRecords.RECORDED_HEADER).value()));
      TestEngine.eventually(WAIT, () -> engine.get("/api/v1/learners/orphan-ana").status() == 200);
      assertEquals(1, engine.get("/api/v1/learners/orphan-ana/xp").json().getJsonArray("entries").size(),
          "applied once");
    }
  }
}
