package io.learnquest.kafka;

import io.learnquest.config.EngineConfig.KafkaSecurity;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Producers, consumers and topics of the engine, configured from {@link KafkaSettings}. */
public final class KafkaClients {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaClients.class);

  private KafkaClients() {
  }

  /** What every client of the engine shares: the brokers, and how to authenticate and encrypt. */
  static Map<String, String> common(KafkaSettings settings) {
    Map<String, String> config = new HashMap<>();
    config.put("bootstrap.servers", settings.bootstrapServers());
    KafkaSecurity security = settings.security();
    config.put("security.protocol", security.protocol());
    if (security.sasl()) {
      config.put("sasl.mechanism", security.saslMechanism());
      String module = security.saslMechanism().equals("PLAIN")
          ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      config.put("sasl.jaas.config", module + " required username=" + jaasQuoted(security.saslUsername())
          + " password=" + jaasQuoted(security.saslPassword()) + ";");
    }
    if (security.ssl() && !security.truststoreLocation().isEmpty()) {
      config.put("ssl.truststore.location", security.truststoreLocation());
      config.put("ssl.truststore.type", security.truststoreType());
      if (!security.truststorePassword().isEmpty()) {
        config.put("ssl.truststore.password", security.truststorePassword());
      }
    }
    return config;
  }

  /** A JAAS option value: quoted, with quotes and backslashes in it escaped. */
  static String jaasQuoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The name under which a node's verticles share one producer. */
  static final String SHARED_PRODUCER = "learnquest";

  /**
   * The node's producer: one Kafka producer shared by every verticle of the node (ingestion's
   * events, the achievements, the rules' dead letters), closed when the last of them closes its
   * handle. One producer sends the records of every topic bound for a broker in one request, and
   * runs one network thread: two producers each sent their own (docs/benchmarks.md). It keeps each
   * partition's order through retries (idempotence) and counts a record as sent only once every
   * in-sync replica has it.
   */
  public static KafkaProducer<String, String> producer(Vertx vertx, KafkaSettings settings) {
    return KafkaProducer.createShared(vertx, SHARED_PRODUCER, producerConfig(settings));
  }

  static Map<String, String> producerConfig(KafkaSettings settings) {
    Map<String, String> config = common(settings);
    config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    config.put("acks", "all");
    config.put("enable.idempotence", "true");
    // Lingering batches concurrent sends into one request; each millisecond of it is a millisecond
    // on every event's way to the rules (docs/benchmarks.md, "Kafka's latency knobs").
    config.put("linger.ms", Integer.toString(settings.producerLingerMs()));
    config.put("delivery.timeout.ms", "10000");
    config.put("request.timeout.ms", "5000");
    return config;
  }

  /** A consumer of the events topic in the rules' group; offsets are committed by hand, after applying. */
  public static KafkaConsumer<String, String> eventConsumer(Vertx vertx, KafkaSettings settings) {
    return KafkaConsumer.create(vertx, eventConsumerConfig(settings));
  }

  static Map<String, String> eventConsumerConfig(KafkaSettings settings) {
    Map<String, String> config = common(settings);
    config.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    config.put("group.id", settings.groupId());
    config.put("enable.auto.commit", "false");
    config.put("auto.offset.reset", "earliest");
    config.put("max.poll.records", Integer.toString(settings.maxPollRecords()));
    // The broker answers a fetch once it has fetch.min.bytes for it, or after fetch.max.wait.ms.
    config.put("fetch.min.bytes", Integer.toString(settings.fetchMinBytes()));
    config.put("fetch.max.wait.ms", Integer.toString(settings.fetchMaxWaitMs()));
    // A member that died is noticed in seconds, so its partitions move on quickly.
    config.put("session.timeout.ms", "10000");
    config.put("heartbeat.interval.ms", "1000");
    return config;
  }

  /** Creates the engine's topics that do not exist yet, with the configured partitions and replicas. */
  public static Future<Void> ensureTopics(Vertx vertx, KafkaSettings settings) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, common(settings));
    List<String> names = List.of(settings.eventsTopic(), settings.deadLetterTopic(), settings.achievementsTopic());
    return admin.listTopics().compose(existing -> {
      List<NewTopic> missing = names.stream().filter(name -> !existing.contains(name))
          .map(name -> new NewTopic(name, settings.partitions(), (short) settings.replicationFactor()))
          .toList();
      if (missing.isEmpty()) {
        return Future.<Void>succeededFuture();
      }
      LOG.info("Creating Kafka topics {}", missing.stream().map(NewTopic::getName).toList());
      // Another node may create them at the same moment: that is as good as creating them here.
      return admin.createTopics(missing)
          .recover(e -> e instanceof TopicExistsException || e.getCause() instanceof TopicExistsException
              ? Future.succeededFuture() : Future.failedFuture(e));
    }).eventually(() -> admin.close());
  }
}
