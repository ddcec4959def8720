package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A node's verticles share one Kafka producer (one network thread, one request for every topic
 * bound for a broker), which stays open until the last of them closes its handle; another node
 * (another Vert.x) has its own. Against the broker the tests use.
 */
class SharedProducerTest {
  private static EngineConfig.KafkaSettings settings(TestKafka kafka) {
    Map<String, String> env = new java.util.HashMap<>(kafka.env(1));
    env.put("STORE", "postgres");
    return ConfigLoader.load(Path.of("conf"), env).kafka();
  }

  @Test
  void theVerticlesOfANodeShareOneProducerUntilTheLastClosesIt() {
    TestKafka kafka = TestKafka.fresh();
    EngineConfig.KafkaSettings settings = settings(kafka);
    Vertx node = Vertx.vertx();
    Vertx otherNode = Vertx.vertx();
    try {
      KafkaProducer<String, String> ingestion = KafkaClients.producer(node, settings);
      KafkaProducer<String, String> notifications = KafkaClients.producer(node, settings);
      KafkaProducer<String, String> elsewhere = KafkaClients.producer(otherNode, settings);
      assertSame(ingestion.unwrap(), notifications.unwrap(), "one producer for the node");
      assertNotSame(ingestion.unwrap(), elsewhere.unwrap(), "each node its own");

      TestEngine.await(ingestion.close());
      // the other handle still sends: the producer is the node's, not the first closer's
      assertEquals(kafka.achievements, TestEngine.await(notifications.send(
          KafkaProducerRecord.create(kafka.achievements, "k", "v"))).getTopic());

      TestEngine.await(notifications.close());
      assertThrows(IllegalStateException.class,
          () -> notifications.unwrap().send(new ProducerRecord<>(kafka.achievements, "k", "v")),
          "closed once its last handle closed");
      TestEngine.await(elsewhere.close());
    } finally {
      TestEngine.await(node.close());
      TestEngine.await(otherNode.close());
    }
  }
}
