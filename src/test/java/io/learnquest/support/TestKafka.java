package io.learnquest.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The Kafka broker the tests use ({@code scripts/test} starts one with {@code scripts/kafka}), and
 * topic names of a test's own so tests never read each other's records.
 */
public final class TestKafka {
  public static final String BOOTSTRAP = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

  public final String events;
  public final String deadLetters;
  public final String achievements;
  public final String group;

  private TestKafka(String id) {
    this.events = "test." + id + ".events";
    this.deadLetters = "test." + id + ".dead-letter";
    this.achievements = "test." + id + ".achievements";
    this.group = "test-" + id;
  }

  /** Fresh topic names; fails with how to start the broker when none is listening. */
  public static TestKafka fresh() {
    String[] hostPort = BOOTSTRAP.split(",")[0].split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
    } catch (IOException e) {
      throw new AssertionError("no Kafka broker at " + BOOTSTRAP + ": run scripts/test, or scripts/kafka start first");
    }
    return new TestKafka(UUID.randomUUID().toString().substring(0, 8));
  }

  /** The environment that puts an engine on these topics (with {@code partitions} partitions). */
  public Map<String, String> env(int partitions) {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA", "true");
    env.put("KAFKA_BOOTSTRAP_SERVERS", BOOTSTRAP);
    env.put("KAFKA_EVENTS_TOPIC", events);
    env.put("KAFKA_DEAD_LETTER_TOPIC", deadLetters);
    env.put("KAFKA_ACHIEVEMENTS_TOPIC", achievements);
    env.put("KAFKA_GROUP_ID", group);
    env.put("KAFKA_PARTITIONS", Integer.toString(partitions));
    return env;
  }

  /** Writes records straight to a topic, as an external producer would, and waits for the broker. */
  public void produce(String topic, String key, String value) {
    Properties props = new Properties();
    props.put("bootstrap.servers", BOOTSTRAP);
    props.put("acks", "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (Exception e) {
      throw new AssertionError("cannot produce to " + topic, e);
    }
  }

  /** As {@link #produce(String, String, String)}, with these headers on the record. */
  public void produce(String topic, String key, String value, Map<String, String> headers) {
    Properties props = new Properties();
    props.put("bootstrap.servers", BOOTSTRAP);
    props.put("acks", "all");
    try (KafkaProducer<String, String> producer =
             new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
      headers.forEach((name, v) -> record.headers().add(name, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      producer.send(record).get();
    } catch (Exception e) {
      throw new AssertionError("cannot produce to " + topic, e);
    }
  }

  /** Reads a topic from the beginning until {@code count} records are seen or the timeout passes. */
  public List<ConsumerRecord<String, String>> read(String topic, int count, Duration timeout) {
    return read(topic, any -> true, count, timeout);
  }

  /** As {@link #read(String, int, Duration)}, counting only the records {@code which} keeps. */
  public List<ConsumerRecord<String, String>> read(String topic, Predicate<ConsumerRecord<String, String>> which,
                                                   int count, Duration timeout) {
    Properties props = new Properties();
    props.put("bootstrap.servers", BOOTSTRAP);
    props.put("group.id", "reader-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (which.test(r)) {
            records.add(r);
          }
        });
      }
    }
    return records;
  }

  /** How far the engine's group has committed on the events topic, summed over partitions, and the end. */
  public long[] committedAndEnd() {
    Properties props = new Properties();
    props.put("bootstrap.servers", BOOTSTRAP);
    props.put("group.id", group);
    props.put("enable.auto.commit", "false");
    try (KafkaConsumer<String, String> consumer =
             new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      var partitions = consumer.partitionsFor(events).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(events, p.partition()))
          .collect(java.util.stream.Collectors.toSet());
      long committed = consumer.committed(partitions).values().stream()
          .mapToLong(o -> o == null ? 0 : o.offset()).sum();
      long end = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
      return new long[] {committed, end};
    }
  }
}
