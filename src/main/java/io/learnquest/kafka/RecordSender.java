package io.learnquest.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Sends records through a Kafka producer a batch at a time. Vert.x's {@link KafkaProducer#send}
 * costs each record a task on a worker thread (the producer may block there, waiting for metadata or
 * room in its buffer) and two tasks back on the caller's context. Here one worker task hands a
 * whole batch to the producer, in order, and one task on the caller's context completes the batch
 * once Kafka has answered every record of it.
 */
public final class RecordSender {
  private final Vertx vertx;
  private final Producer<String, String> producer;

  public RecordSender(Vertx vertx, KafkaProducer<String, String> producer) {
    this.vertx = vertx;
    this.producer = producer.unwrap();
  }

  /**
   * What Kafka answered for each record of a batch, in the batch's order: {@code null} for a record
   * it holds, the error for one it refused or never took.
   */
  public record Sent(List<Throwable> errors) {
    /** The first error of the batch, or {@code null} when Kafka holds every record. */
    public Throwable firstError() {
      for (Throwable error : errors) {
        if (error != null) {
          return error;
        }
      }
      return null;
    }
  }

  /**
   * Hands {@code records} to the producer, in order (batches sent from one context keep their
   * order too), and completes on the caller's context once Kafka has answered each of them. Never
   * fails: each record's error is in {@link Sent#errors()}.
   */
  public Future<Sent> send(List<KafkaProducerRecord<String, String>> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture(new Sent(List.of()));
    }
    Context context = vertx.getOrCreateContext();
    Promise<Sent> answered = Promise.promise();
    Throwable[] errors = new Throwable[records.size()];
    AtomicInteger unanswered = new AtomicInteger(records.size());
    // Written by the producer's I/O thread (or the worker); the count's last decrement publishes them.
    Runnable answeredOne = () -> {
      if (unanswered.decrementAndGet() == 0) {
        context.runOnContext(v -> answered.complete(new Sent(Arrays.asList(errors))));
      }
    };
    context.executeBlocking(() -> {
      for (int i = 0; i < records.size(); i++) {
        int index = i;
        try {
          producer.send(kafkaRecord(records.get(i)), (metadata, error) -> {
            errors[index] = error;
            answeredOne.run();
          });
        } catch (RuntimeException error) {
          // a closed producer, a record too large, a full buffer past max.block.ms: this record only
          errors[index] = error;
          answeredOne.run();
        }
      }
      return null;
    }, true);
    return answered.future();
  }

  /** Kafka's record of {@code record}: {@link KafkaProducerRecord#record()} without its stream over the headers. */
  static ProducerRecord<String, String> kafkaRecord(KafkaProducerRecord<String, String> record) {
    List<KafkaHeader> headers = record.headers();
    RecordHeaders kafkaHeaders = new RecordHeaders();
    for (int i = 0; i < headers.size(); i++) {
      KafkaHeader header = headers.get(i);
      kafkaHeaders.add(header.key(), header.value().getBytes());
    }
    return new ProducerRecord<>(record.topic(), record.partition(), record.timestamp(), record.key(), record.value(),
        kafkaHeaders);
  }
}
