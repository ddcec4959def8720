package io.learnquest.rules;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.Tenants;
import io.learnquest.EngineContext;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.learnquest.ingestion.EventAppender;
import io.learnquest.ingestion.EventInput;
import io.learnquest.ingestion.IngestionService.Result;
import io.learnquest.ingestion.IngestionService.Status;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.kafka.EventRecords;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.time.Clock;
import java.time.Duration;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules' input in Kafka mode: a consumer of the events topic in the rules' consumer group, so
 * each partition (and with it each learner) is worked by one consumer of the cluster at a time.
 * The events of a polled batch that external producers wrote straight to the topic are validated
 * and recorded in the event log by the same validation and append as a posted event
 * ({@link EventInput}, {@link EventAppender}; those the REST ingestion wrote are there already), its
 * learners are drained in parallel, and only then are the offsets committed. Up to
 * {@code kafka.batchesInFlight} full batches' worth of polled records ({@code kafka.maxPollRecords}
 * each) are worked at once, in as many batches as the polls returned (a learner's events still apply
 * in log order: the drain holds the learner's lock, and takes the events handed over only when
 * {@link PendingHints} can vouch for them), and a batch's offsets are
 * committed only once it and every batch polled before it are applied, at most every
 * {@code kafka.commitIntervalMs}. A batch that fails is read again, with every batch polled after
 * it, from their first offsets, so nothing polled is skipped; re-reading is harmless because
 * recording and applying are idempotent. Records that are not valid events, or reuse an eventId
 * for another event, go to the dead-letter topic and never hold a partition up.
 */
final class KafkaEventIntake {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaEventIntake.class);
  static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  static final long RETRY_DELAY_MS = 1_000;
  /** How long the recovery pass waits for Kafka to take a learner's events before applying them itself. */
  static final long HAND_BACK_TIMEOUT_MS = 2_000;

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final LearnerQueue queue;
  /** Each tenant's event input (its event types and fair-play age limit), made on first use. */
  private final Map<String, EventInput> inputs = new HashMap<>();
  private final java.util.function.Function<String, EventInput> inputOf;
  private final EventAppender appender;
  private final Clock clock;
  private final Function<Vertx, KafkaConsumer<String, String>> consumers;
  private final Runnable partitionsMoved;
  private final Function<Vertx, KafkaProducer<String, String>> producers;
  private final EventLog log;
  /**
   * When each learner was last handed back (System.nanoTime), so that the passes of the next
   * {@code kafka.recoverAfterMs} do not produce the learner's event again while the owner works.
   */
  private final Map<LearnerRef, Long> handedBack = new HashMap<>();
  private long lastHandBackPrune = System.nanoTime();
  private KafkaConsumer<String, String> consumer;
  /** Writes the dead letters, and the events the recovery pass hands back to the events topic. */
  private KafkaProducer<String, String> producer;
  private volatile boolean running;
  private final EngineMetrics metrics;
  /** Polled batches not yet committable, in poll order; all state below lives on the verticle's context. */
  private final ArrayDeque<Batch> inFlight = new ArrayDeque<>();
  /** The records of the batches in {@link #inFlight}. */
  private int recordsInFlight;
  /** Next offsets of the partitions whose polled records are all applied, not yet committed. */
  private final Map<TopicPartition, OffsetAndMetadata> committable = new HashMap<>();
  private boolean polling;
  private boolean committing;
  private boolean rewinding;
  private long commitTimer = -1;
  private long lastCommitMs;

  KafkaEventIntake(Vertx vertx, EngineContext context, LearnerQueue queue, Runnable partitionsMoved) {
    this(vertx, context, queue, partitionsMoved, v -> KafkaClients.eventConsumer(v, context.config().kafka()),
        v -> KafkaClients.producer(v, context.config().kafka()));
  }

  /**
   * {@code partitionsMoved}: run whenever partitions are assigned to or taken from this consumer,
   * before any record of an assigned partition is handled; {@code consumers}: makes the consumer of
   * the events topic; {@code producers}: makes the producer of dead letters and handed-back events.
   */
  KafkaEventIntake(Vertx vertx, EngineContext context, LearnerQueue queue, Runnable partitionsMoved,
                   Function<Vertx, KafkaConsumer<String, String>> consumers,
                   Function<Vertx, KafkaProducer<String, String>> producers) {
    this.vertx = vertx;
    this.partitionsMoved = partitionsMoved;
    this.log = context.stores().events();
    this.consumers = consumers;
    this.producers = producers;
    this.settings = context.config().kafka();
    this.queue = queue;
    this.inputOf = tenant -> new EventInput(context.config().eventValidator(tenant), context.config().maxEventBytes());
    this.appender = EventAppender.unbounded(context.stores().events());
    this.clock = context.clock();
    this.metrics = EngineMetrics.of(vertx);
  }

  Future<Void> start() {
    consumer = consumers.apply(vertx);
    producer = producers.apply(vertx);
    consumer.exceptionHandler(e -> LOG.warn("Kafka consumer: {}", e.toString()));
    // A partition that comes (back) here may have had events applied by another node meanwhile.
    consumer.partitionsAssignedHandler(partitions -> partitionsMoved.run());
    consumer.partitionsRevokedHandler(partitions -> partitionsMoved.run());
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
    if (commitTimer >= 0) {
      vertx.cancelTimer(commitTimer);
      commitTimer = -1;
    }
    // What is applied and waits for the commit interval is committed now, so the partitions' next
    // owner does not read it again.
    Future<?> flushed = consumer == null || committable.isEmpty() ? Future.succeededFuture()
        : consumer.commit(new HashMap<>(committable)).otherwiseEmpty();
    // Leaving the group at once hands this consumer's partitions to the others without waiting
    // for the session to time out.
    return flushed.transform(v -> Future.join(consumer == null ? Future.succeededFuture() : consumer.close(),
        producer == null ? Future.succeededFuture() : producer.close())).mapEmpty();
  }

  /**
   * The recovery pass's way in Kafka mode, for a learner with events that never reached the topic
   * (their node died first, or Kafka refused the send): produces the learner's oldest pending event
   * again, as ingestion would have, so that the consumer owning the learner's partition drains the
   * learner, as it does for every other event of theirs, and applies all they have pending. A
   * learner's events are so applied only where their partition is, and no node applies an event to
   * a learner it holds a stale copy of. A learner handed back is not handed back again for
   * {@code kafka.recoverAfterMs} (the owner applies in milliseconds; one stuck on a failing event
   * does not fill the topic). Fails when Kafka has not taken the record within
   * {@link #HAND_BACK_TIMEOUT_MS}: the caller then applies the events itself. A record Kafka takes
   * later, or one another node's pass produced too, only makes the owner read the learner's pending
   * events once more.
   */
  Future<Void> handBack(LearnerRef learner) {
    if (producer == null) {
      return Future.failedFuture(new IllegalStateException("the Kafka intake has not started"));
    }
    long now = System.nanoTime();
    long quiet = TimeUnit.MILLISECONDS.toNanos(settings.recoverAfterMs());
    Long last = handedBack.get(learner);
    if (last != null && now - last < quiet) {
      return Future.succeededFuture();
    }
    if (now - lastHandBackPrune >= quiet) {
      // once per quiet period, not per learner: a pass may hand back 10,000 learners
      handedBack.values().removeIf(at -> now - at >= quiet);
      lastHandBackPrune = now;
    }
    handedBack.put(learner, now);
    return log.pending(learner.tenant(), learner.learnerId(), 1)
        .compose(events -> events.isEmpty() ? Future.succeededFuture()
            : producer.send(EventRecords.recordedEvent(settings.eventsTopic(), events.get(0))))
        .timeout(HAND_BACK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        // so that the next pass tries Kafka again rather than leave the learner to this one's fallback
        .onFailure(e -> handedBack.remove(learner));
  }

  /**
   * Polls the next batch unless a poll is out, a failed batch is being rewound, or the batch it may
   * return would take the records in flight past {@code kafka.batchesInFlight} full batches. The next
   * poll goes out as soon as a batch is handed over, so polling overlaps applying. The bound counts
   * records, not batches: under a light load a poll returns a record or two, and four such batches
   * in flight held the next poll back while records waited in the topic (docs/benchmarks.md,
   * "Where Kafka's milliseconds go").
   */
  private void pollOnce() {
    if (!running || polling || rewinding
        || recordsInFlight > (settings.batchesInFlight() - 1) * settings.maxPollRecords()) {
      return;
    }
    polling = true;
    consumer.poll(POLL_TIMEOUT).onComplete(polled -> {
      polling = false;
      if (rewinding) {
        // Polled past a failed batch: not applied, so the rewind must read these again too (their
        // partitions may be in no batch of the rewind otherwise, and would be skipped).
        if (polled.succeeded() && !polled.result().isEmpty()) {
          Batch unread = new Batch(polled.result());
          unread.done = true;
          unread.failure = new IllegalStateException("polled while rewinding");
          inFlight.addLast(unread);
          recordsInFlight += unread.size;
        }
        rewindWhenSettled();
        return;
      }
      if (polled.failed()) {
        LOG.warn("Polling {} failed: {}", settings.eventsTopic(), polled.cause().toString());
        vertx.setTimer(RETRY_DELAY_MS, id -> pollOnce());
        return;
      }
      KafkaConsumerRecords<String, String> records = polled.result();
      if (!records.isEmpty()) {
        Batch batch = new Batch(records);
        inFlight.addLast(batch);
        recordsInFlight += batch.size;
        // Through compose, so that even an exception thrown while handling fails the batch (and the
        // loop goes on) instead of escaping and stopping the loop.
        Future.succeededFuture().compose(v -> handle(records)).onComplete(done -> settled(batch, done.cause()));
      }
      pollOnce();
    });
  }

  /** A batch is applied (or failed): what is applied in poll order becomes committable. */
  private void settled(Batch batch, Throwable failure) {
    batch.done = true;
    batch.failure = failure;
    if (failure != null && !rewinding) {
      LOG.warn("Applying {} polled events failed, reading them again: {}", batch.size, failure.toString());
      rewinding = true;
    }
    if (rewinding) {
      rewindWhenSettled();
      return;
    }
    takeApplied();
    commitWhenDue();
    pollOnce();
  }

  /** Moves the offsets of the applied batches at the head of the poll order to {@link #committable}. */
  private void takeApplied() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().done && inFlight.peekFirst().failure == null) {
      Batch applied = inFlight.removeFirst();
      recordsInFlight -= applied.size;
      applied.next.forEach((partition, offset) -> committable.put(partition, new OffsetAndMetadata(offset, null)));
    }
  }

  /**
   * Commits the applied offsets now, or once {@code kafka.commitIntervalMs} has passed since the
   * last commit. One commit is out at a time; the client runs it on the consumer's thread, between
   * polls. A commit refused after a rebalance only means the partition's new owner re-reads those
   * records.
   */
  private void commitWhenDue() {
    if (committing || committable.isEmpty() || commitTimer >= 0) {
      return;
    }
    long wait = lastCommitMs + settings.commitIntervalMs() - System.currentTimeMillis();
    if (wait > 0 && running) {
      commitTimer = vertx.setTimer(wait, id -> {
        commitTimer = -1;
        commitWhenDue();
      });
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(committable);
    committable.clear();
    committing = true;
    lastCommitMs = System.currentTimeMillis();
    consumer.commit(offsets)
        .onFailure(e -> LOG.info("Offsets not committed ({}); the partition's new owner re-reads them", e.toString()))
        .onComplete(done -> {
          committing = false;
          commitWhenDue();
        });
  }

  /**
   * Once no poll is out and every batch in flight has settled: commits what was applied before the
   * first failed batch, moves each partition back to the first offset not known applied, and polls
   * again after {@link #RETRY_DELAY_MS}.
   */
  private void rewindWhenSettled() {
    if (polling || inFlight.stream().anyMatch(batch -> !batch.done)) {
      return;
    }
    takeApplied();
    Map<TopicPartition, Long> first = new HashMap<>();
    inFlight.forEach(batch -> batch.first.forEach((partition, offset) -> first.merge(partition, offset, Math::min)));
    inFlight.clear();
    recordsInFlight = 0;
    commitWhenDue();
    Future.all(first.entrySet().stream().map(e -> consumer.seek(e.getKey(), e.getValue())).toList())
        .onFailure(e -> LOG.warn("Rewinding failed: {}", e.toString()))
        .onComplete(r -> vertx.setTimer(RETRY_DELAY_MS, id -> {
          rewinding = false;
          pollOnce();
        }));
  }

  /** A polled batch: where it starts and ends in each partition, and whether it is applied. */
  private static final class Batch {
    final int size;
    final Map<TopicPartition, Long> first = new HashMap<>();
    /** The offset after the batch's last record, in each partition: what committing it commits. */
    final Map<TopicPartition, Long> next = new HashMap<>();
    boolean done;
    Throwable failure;

    Batch(KafkaConsumerRecords<String, String> records) {
      size = records.size();
      for (int i = 0; i < records.size(); i++) {
        KafkaConsumerRecord<String, String> r = records.recordAt(i);
        TopicPartition partition = new TopicPartition(r.topic(), r.partition());
        first.merge(partition, r.offset(), Math::min);
        next.merge(partition, r.offset() + 1, Math::max);
      }
    }
  }

  /**
   * Records the valid events external producers wrote, dead-letters the invalid ones and those in
   * conflict with an event of the log, then applies the learners: the events of the batch are
   * handed to the queue as the log holds them (the engine's own records say so in their headers,
   * the intake's appends answer it), so that the learners' drains need not read them back; a
   * learner with a record that does not say (a duplicate, one the recovery pass handed back, one
   * of an older node) is read from the log.
   */
  private Future<Void> handle(KafkaConsumerRecords<String, String> records) {
    Map<String, TenantRecords> byTenant = new LinkedHashMap<>();
    Set<LearnerRef> learners = new LinkedHashSet<>();
    List<PendingEvent> handedOver = new ArrayList<>();
    Set<LearnerRef> readFromLog = new HashSet<>();
    List<Future<?>> refused = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      KafkaConsumerRecord<String, String> record = records.recordAt(i);
      if (EventRecords.hasHeaderWithoutValue(record.record().headers())) {
        // Vert.x cannot read such headers (it throws), which would fail the batch at every retry
        refused.add(deadLetter(record, new InvalidInputException(ErrorCodes.INVALID_VALUE,
            "a record header has no value", "headers")));
        continue;
      }
      String tenant = EventRecords.tenant(record.headers());
      if (EventRecords.recorded(record.headers())) {
        String learnerId = EventRecords.learnerOfKey(tenant, record.key());
        if (learnerId != null) {
          LearnerRef learner = new LearnerRef(tenant, learnerId);
          learners.add(learner);
          PendingEvent pending = EventRecords.pending(tenant, record.headers(), record.value());
          if (pending != null && pending.stored().event().learnerId().equals(learnerId)) {
            handedOver.add(pending);
          } else {
            readFromLog.add(learner);
          }
        }
        continue;
      }
      EventRecords.Parsed parsed = EventRecords.parse(tenant, record.key(), record.value(),
          Tenants.valid(tenant) ? inputs.computeIfAbsent(tenant, inputOf) : null, clock.instant());
      if (parsed.valid()) {
        TenantRecords of = byTenant.computeIfAbsent(tenant, t -> new TenantRecords());
        of.events.add(parsed.submitted());
        of.sources.add(record);
      } else {
        refused.add(deadLetter(record, parsed.refusal()));
      }
    }
    List<Future<?>> appends = new ArrayList<>();
    byTenant.forEach((tenant, of) -> appends.add(record(tenant, of.events, of.sources, learners, handedOver,
        readFromLog, refused)));
    return Future.all(appends).compose(v -> {
      metrics.events(EngineMetrics.REFUSED, refused.size());
      return Future.all(refused);
    }).compose(v -> {
      queue.handOver(handedOver, readFromLog);
      return Future.all(learners.stream().map(queue::drainHandedOver).toList());
    }).mapEmpty();
  }

  /** One tenant's valid records of a batch, and where each came from. */
  private static final class TenantRecords {
    final List<Submitted> events = new ArrayList<>();
    final List<KafkaConsumerRecord<String, String>> sources = new ArrayList<>();
  }

  /** Records one tenant's events of the batch; an eventId in conflict is dead-lettered. */
  private Future<?> record(String tenant, List<Submitted> events, List<KafkaConsumerRecord<String, String>> sources,
                           Set<LearnerRef> learners, List<PendingEvent> handedOver, Set<LearnerRef> readFromLog,
                           List<Future<?>> refused) {
    return appender.append(tenant, events, null)
        .compose(appended -> {
          handedOver.addAll(appended.pending());
          int accepted = 0;
          int duplicates = 0;
          for (int i = 0; i < appended.results().size(); i++) {
            Result result = appended.results().get(i);
            switch (result.status()) {
              case ACCEPTED -> accepted++;
              case DUPLICATE -> duplicates++;
              case CONFLICT -> refused.add(deadLetter(sources.get(i), new InvalidInputException(ErrorCodes.CONFLICT,
                  EventAppender.conflictMessage(result.eventId()), "eventId")));
            }
            if (result.status() != Status.CONFLICT) {
              LearnerRef learner = new LearnerRef(tenant, events.get(i).event().learnerId());
              learners.add(learner);
              if (result.status() == Status.DUPLICATE) {
                // redelivered after a crash, its event may still be pending: only the log knows
                readFromLog.add(learner);
              }
            }
          }
          metrics.events(EngineMetrics.ACCEPTED, accepted);
          metrics.events(EngineMetrics.DUPLICATE, duplicates);
          return Future.succeededFuture();
        });
  }

  private Future<?> deadLetter(KafkaConsumerRecord<String, String> record, InvalidInputException refusal) {
    LOG.warn("Dead-lettering {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
        refusal.getMessage());
    String letter = EventRecords.deadLetter(refusal, record.topic(), record.partition(), record.offset(),
        record.key(), record.value(), clock.instant()).encode();
    return producer.send(KafkaProducerRecord.create(settings.deadLetterTopic(), record.key(), letter));
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
}
