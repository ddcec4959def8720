package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client properties every Kafka client of the engine shares, for each security setting. */
class KafkaClientsTest {
  private static EngineConfig.KafkaSettings settings(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("STORE", "postgres");
    all.put("KAFKA", "true");
    return ConfigLoader.load(Path.of("conf"), all).kafka();
  }

  private static Map<String, String> common(Map<String, String> env) {
    return KafkaClients.common(settings(env));
  }

  @Test
  void theLatencyKnobsReachTheClientsAndDurabilityStays() {
    Map<String, String> producer = KafkaClients.producerConfig(settings(Map.of("KAFKA_PRODUCER_LINGER_MS", "7")));
    assertEquals("7", producer.get("linger.ms"));
    assertEquals("all", producer.get("acks"));
    assertEquals("true", producer.get("enable.idempotence"));
    Map<String, String> consumer = KafkaClients.eventConsumerConfig(settings(Map.of("KAFKA_FETCH_MIN_BYTES", "1024",
        "KAFKA_FETCH_MAX_WAIT_MS", "25", "KAFKA_MAX_POLL_RECORDS", "64")));
    assertEquals("1024", consumer.get("fetch.min.bytes"));
    assertEquals("25", consumer.get("fetch.max.wait.ms"));
    assertEquals("64", consumer.get("max.poll.records"));
    assertEquals("false", consumer.get("enable.auto.commit"));
  }

  @Test
  void plaintextByDefault() {
    assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "PLAINTEXT"), common(Map.of()));
  }

  @Test
  void saslScramOverSslWithATrustStore() {
    Map<String, String> config = common(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_SASL_MECHANISM", "SCRAM-SHA-256", "KAFKA_SASL_USERNAME", "lq", "KAFKA_SASL_PASSWORD", "pa\"ss\\word",
        "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.pem"));
    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("SCRAM-SHA-256", config.get("sasl.mechanism"));
    assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"lq\" "
        + "password=\"pa\\\"ss\\\\word\";", config.get("sasl.jaas.config"));
    assertEquals("/etc/kafka/ca.pem", config.get("ssl.truststore.location"));
    assertEquals("PEM", config.get("ssl.truststore.type"));
    assertFalse(config.containsKey("ssl.truststore.password"));
  }

  @Test
  void saslPlainWithoutTls() {
    Map<String, String> config = common(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
        "KAFKA_SASL_USERNAME", "lq", "KAFKA_SASL_PASSWORD", "secret"));
    assertEquals("PLAIN", config.get("sasl.mechanism"));
    assertEquals("org.apache.kafka.common.security.plain.PlainLoginModule required username=\"lq\" "
        + "password=\"secret\";", config.get("sasl.jaas.config"));
    assertFalse(config.containsKey("ssl.truststore.location"));
  }

  @Test
  void sslWithAPasswordProtectedTrustStore() {
    Map<String, String> config = common(Map.of("KAFKA_SECURITY_PROTOCOL", "SSL",
        "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/truststore.p12", "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12",
        "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit"));
    assertEquals("SSL", config.get("security.protocol"));
    assertEquals("PKCS12", config.get("ssl.truststore.type"));
    assertEquals("changeit", config.get("ssl.truststore.password"));
    assertFalse(config.containsKey("sasl.jaas.config"));
  }
}
