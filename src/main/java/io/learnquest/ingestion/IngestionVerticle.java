package io.learnquest.ingestion;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.bus.TurnBatch;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.kafka.EventRecords;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.kafka.RecordSender;
import io.learnquest.store.EventLog;
import io.learnquest.store.StoredEvent;
import io.learnquest.ingestion.IngestionService.Accepted;
import io.learnquest.ingestion.IngestionService.EventStatus;
import io.learnquest.ingestion.IngestionService.OutcomeQuery;
import io.learnquest.ingestion.IngestionService.Status;
import io.learnquest.ingestion.IngestionService.SubmitEvents;
import io.learnquest.rules.LearnersPending;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts validated events into the durable log (effectively once: an eventId is accepted a single
 * time) and hands each learner with new work to the rules verticles: by an event-bus nudge, or in
 * Kafka mode through the events topic. An event is acknowledged only after the log holds it, so
 * nothing acknowledged is lost.
 */
public final class IngestionVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(IngestionVerticle.class);
  static final long PRODUCE_WAIT_MS = 1_000;
  /**
   * Sends Kafka has not acknowledged yet past which a submission waits for its own (at most
   * {@link #PRODUCE_WAIT_MS}): what a slow or absent Kafka leaves queued in the producer stays bounded.
   */
  static final int MAX_UNACKNOWLEDGED_SENDS = 10_000;
  private final EventLog log;
  private final KafkaSettings kafka;
  private final EventAppender appender;
  private final Function<Vertx, KafkaProducer<String, String>> producers;
  private final long produceWaitMs;
  private KafkaProducer<String, String> producer;
  private RecordSender sender;
  private int unacknowledged;
  /** The events appended in this event-loop turn, handed to the rules (with their learners) once per turn. */
  private TurnBatch<List<PendingEvent>> nudges;

  public IngestionVerticle(EngineContext context) {
    this(context, vertx -> KafkaClients.producer(vertx, context.config().kafka()), PRODUCE_WAIT_MS);
  }

  /**
   * {@code producers}: makes the events topic's producer in Kafka mode; {@code produceWaitMs}: the
   * longest a submission waits for Kafka once {@link #MAX_UNACKNOWLEDGED_SENDS} are out.
   */
  IngestionVerticle(EngineContext context, Function<Vertx, KafkaProducer<String, String>> producers,
                    long produceWaitMs) {
    this.log = context.stores().events();
    this.kafka = context.config().kafka();
    this.appender = EventAppender.bounded(log, context.config().maxBacklog());
    this.producers = producers;
    this.produceWaitMs = produceWaitMs;
  }

  @Override
  public Future<?> stop() {
    return producer == null ? Future.succeededFuture() : producer.close();
  }

  @Override
  public Future<?> start() {
    IngestionService.registerCodecs(vertx);
    LearnersPending.registerCodec(vertx);
    if (kafka.enabled()) {
      producer = producers.apply(vertx);
      sender = new RecordSender(vertx, producer);
    }
    nudges = new TurnBatch<>(context, ArrayList::new, appended -> {
      Set<LearnerRef> learners = new LinkedHashSet<>();
      appended.forEach(p -> learners.add(p.stored().learner()));
      vertx.eventBus().send(Addresses.RULES_LEARNER_PENDING, new LearnersPending(List.copyOf(learners), appended));
    });
    return Future.all(
        RequestBatcher.serve(vertx, Addresses.INGESTION_SUBMIT, this::submit),
        Bus.answer(vertx, Addresses.INGESTION_OUTCOME, this::outcome),
        Bus.answer(vertx, Addresses.INGESTION_READY, (Void none) -> log.ping()));
  }

  /**
   * Records the events in the log through the one append path ({@link EventAppender}) and answers
   * each one's {@link Status} in input order; then hands the learners with new events to the rules.
   */
  private Future<Accepted> submit(SubmitEvents request) {
    String tenant = request.tenant();
    return appender.append(tenant, request.events(), request.replyTo()).compose(appended -> {
      Accepted reply = new Accepted(appended.results());
      if (producer != null) {
        // The log holds the events, which is what the answer says; Kafka's acknowledgement adds
        // nothing to it. Waiting for it held one of the web's few submissions in flight for a
        // round trip to the broker, and every event posted meanwhile queued behind it.
        Future<?> sent = produce(appended.pending());
        if (unacknowledged <= MAX_UNACKNOWLEDGED_SENDS) {
          return Future.succeededFuture(reply);
        }
        // Bounded: while Kafka is away an answer should not wait out the producer's whole delivery
        // timeout; the sends go on in the background and recovery covers those that never land.
        return Bus.within(vertx, sent, produceWaitMs).otherwiseEmpty().map(reply);
      }
      nudges.collect().addAll(appended.pending());
      return Future.succeededFuture(reply);
    });
  }

  /**
   * Hands accepted events to the rules through the events topic, keyed by tenant and learner
   * ({@link EventRecords#key}, the tenant in a header too), each as the log holds it
   * ({@link EventRecords#recorded}). They are durable
   * in the log already, so a send that fails (or is slow) does not fail the request: the recovery
   * pass hands what never reached the topic back to it once {@code kafka.recoverAfterMs} has passed. Completes
   * once Kafka has answered every send.
   */
  private Future<?> produce(List<PendingEvent> accepted) {
    List<KafkaProducerRecord<String, String>> records = new ArrayList<>(accepted.size());
    for (PendingEvent pending : accepted) {
      records.add(EventRecords.recorded(kafka.eventsTopic(), pending));
    }
    unacknowledged += records.size();
    return sender.send(records).onSuccess(sent -> {
      unacknowledged -= records.size();
      for (int i = 0; i < accepted.size(); i++) {
        Throwable error = sent.errors().get(i);
        if (error != null) {
          LOG.warn("Event {} did not reach {} ({}); the recovery pass hands it back later",
              accepted.get(i).stored().event().eventId(), kafka.eventsTopic(), error.toString());
        }
      }
    });
  }

  private Future<EventStatus> outcome(OutcomeQuery request) {
    return log.event(request.tenant(), request.eventId()).map(found -> new EventStatus(found.isPresent(),
        found.map(StoredEvent::applied).orElse(false),
        found.filter(StoredEvent::applied).map(stored -> stored.outcome().withStatus(Outcome.DUPLICATE)).orElse(null)));
  }
}
