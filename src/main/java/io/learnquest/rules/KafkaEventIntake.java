package io.learnquest.rules;

import io.learnquest.domain.Tenants;
import io.learnquest.EngineContext;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.kafka.EventRecords;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.store.AppendResult;
import io.learnquest.store.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules' input in Kafka mode: a consumer of the events topic in the rules' consumer group, so
 * each partition (and with it each learner) is worked by one consumer of the cluster at a time.
 * The events of a polled batch that external producers wrote straight to the topic are validated
 * and recorded in the event log (those the REST ingestion wrote are there already), its learners are
 * drained in parallel, and only then are the offsets committed. A batch that fails is read again
 * from its first offsets, so nothing polled is skipped; re-reading is harmless because recording
 * and applying are idempotent. Records that are not valid events go to the dead-letter topic and
 * never hold a partition up.
 */
final class KafkaEventIntake {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventIntake.class);
  static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  static final long RETRY_DELAY_MS = 1_000;

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final EventLog log;
  private final LearnerQueue queue;
  private final EventValidator validator;
  private final int maxEventBytes;
  private final Clock clock;
  private KafkaConsumer<String, String> consumer;
  private KafkaProducer<String, String> deadLetters;
  private volatile boolean running;
  private final EngineMetrics metrics;

  KafkaEventIntake(Vertx vertx, EngineContext context, LearnerQueue queue) {
    this.vertx = vertx;
    this.settings = context.config().kafka();
    this.log = context.stores().events();
    this.queue = queue;
    this.validator = context.config().eventValidator(Tenants.DEFAULT);
    this.maxEventBytes = context.config().maxEventBytes();
    this.clock = context.clock();
    this.metrics = EngineMetrics.of(vertx);
  }

  Future<Void> start() {
    consumer = KafkaClients.eventConsumer(vertx, settings);
    deadLetters = KafkaClients.producer(vertx, settings);
    consumer.exceptionHandler(e -> LOG.warn("Kafka consumer: {}", e.toString()));
    metrics.kafkaLagSource(consumer.unwrap(), KafkaEventIntake::recordsLag);
    return consumer.subscribe(settings.eventsTopic()).onSuccess(v -> {
      running = true;
      pollOnce();
    });
  }

  Future<Void> stop() {
    running = false;
    if (consumer != null) {
      metrics.removeKafkaLagSource(consumer.unwrap());
    }
    // Leaving the group at once hands this consumer's partitions to the others without waiting
    // for the session to time out.
    return Future.join(consumer == null ? Future.succeededFuture() : consumer.close(),
        deadLetters == null ? Future.succeededFuture() : deadLetters.close()).mapEmpty();
  }

  private void pollOnce() {
    if (!running) {
      return;
    }
    consumer.poll(POLL_TIMEOUT).onComplete(polled -> {
      if (polled.failed()) {
        LOG.warn("Polling {} failed: {}", settings.eventsTopic(), polled.cause().toString());
        vertx.setTimer(RETRY_DELAY_MS, id -> pollOnce());
        return;
      }
      KafkaConsumerRecords<String, String> records = polled.result();
      if (records.isEmpty()) {
        pollOnce();
        return;
      }
      // Through compose, so that even an exception thrown while handling fails the batch (and the
      // loop goes on) instead of escaping and stopping the loop.
      Future.succeededFuture().compose(v -> handle(records))
          .compose(v -> consumer.commit()
              // A commit refused after a rebalance only means the new owner reads these again.
              .onFailure(e -> LOG.info("Offsets not committed ({}); the partition's new owner re-reads them",
                  e.toString()))
              .otherwiseEmpty())
          .onComplete(done -> {
            if (done.succeeded()) {
              pollOnce();
            } else {
              LOG.warn("Applying {} polled events failed, reading them again: {}", records.size(),
                  done.cause().toString());
              rewind(records).onComplete(r -> vertx.setTimer(RETRY_DELAY_MS, id -> pollOnce()));
            }
          });
    });
  }

  /** Records the valid events external producers wrote, dead-letters the invalid ones, then applies the learners. */
  private Future<Void> handle(KafkaConsumerRecords<String, String> records) {
    List<LearningEvent> events = new ArrayList<>(records.size());
    Set<String> learners = new LinkedHashSet<>();
    List<Future<?>> refused = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      if (record.key() != null && EventRecords.recorded(record.headers())) {
        learners.add(record.key());
        continue;
      }
      EventRecords.Parsed parsed = EventRecords.parse(record.key(), record.value(), validator, maxEventBytes,
          clock.instant());
      if (parsed.valid()) {
        events.add(parsed.event());
        learners.add(parsed.event().learnerId());
      } else {
        refused.add(deadLetter(record, parsed));
      }
    }
    metrics.events(EngineMetrics.REFUSED, refused.size());
    Future<?> recorded = events.isEmpty() ? Future.succeededFuture() : log.append(events, null).onSuccess(results -> {
      long accepted = results.stream().filter(AppendResult::accepted).count();
      metrics.events(EngineMetrics.ACCEPTED, (int) accepted);
      metrics.events(EngineMetrics.DUPLICATE, results.size() - (int) accepted);
    });
    return Future.all(refused).compose(v -> recorded)
        .compose(v -> Future.all(learners.stream().map(queue::drainNow).toList()))
        .mapEmpty();
  }

  private Future<?> deadLetter(KafkaConsumerRecord<String, String> record, EventRecords.Parsed parsed) {
    LOG.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
        parsed.refusal().getMessage());
    String letter = EventRecords.deadLetter(parsed.refusal(), record.topic(), record.partition(), record.offset(),
        record.key(), record.value(), clock.instant()).encode();
    return deadLetters.send(KafkaProducerRecord.create(settings.deadLetterTopic(), record.key(), letter));
  }

  /**
   * The records this consumer has yet to read, summed over its partitions: the client's own
   * {@code records-lag} of each (NaN before a partition's first fetch). The client's metrics may
   * be read from any thread.
   */
  static double recordsLag(org.apache.kafka.clients.consumer.Consumer<?, ?> consumer) {
    double sum = 0;
    for (var e : consumer.metrics().entrySet()) {
      if ("records-lag".equals(e.getKey().name()) && "consumer-fetch-manager-metrics".equals(e.getKey().group())
          && e.getValue().metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
        sum += n.doubleValue();
      }
    }
    return sum;
  }

  /** Moves each partition of a failed batch back to the batch's first offset there. */
  private Future<Void> rewind(KafkaConsumerRecords<String, String> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> r = records.recordAt(i);
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    return Future.all(first.entrySet().stream().map(e -> consumer.seek(e.getKey(), e.getValue())).toList())
        .onFailure(e -> LOG.warn("Rewinding failed: {}", e.toString()))
        .mapEmpty();
  }
}
