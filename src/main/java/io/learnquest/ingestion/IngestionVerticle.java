package io.learnquest.ingestion;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.JsonMapping;
import io.learnquest.bus.TurnBatch;
import io.learnquest.config.EngineConfig.KafkaSettings;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.kafka.EventRecords;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.store.AppendResult;
import io.learnquest.store.EventLog;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
  private final EventLog log;
  private final KafkaSettings kafka;
  private final Backlog backlog;
  private KafkaProducer<String, String> producer;
  /** Learners with new events, told to the rules once per event-loop turn. */
  private TurnBatch<Set<String>> nudges;

  public IngestionVerticle(EngineContext context) {
    this.log = context.stores().events();
    this.kafka = context.config().kafka();
    this.backlog = new Backlog(log, context.config().maxBacklog());
  }

  @Override
  public Future<?> stop() {
    return producer == null ? Future.succeededFuture() : producer.close();
  }

  @Override
  public Future<?> start() {
    if (kafka.enabled()) {
      producer = KafkaClients.producer(vertx, kafka);
    }
    nudges = new TurnBatch<>(context, LinkedHashSet::new, learnerIds -> vertx.eventBus().send(
        Addresses.RULES_LEARNER_PENDING,
        new JsonObject().put("learnerIds", new JsonArray(new ArrayList<>(learnerIds)))));
    return Future.all(
        BatchedRequests.serve(vertx, Addresses.INGESTION_SUBMIT, this::submit),
        Bus.serve(vertx, Addresses.INGESTION_OUTCOME, this::outcome),
        Bus.serve(vertx, Addresses.INGESTION_READY, request -> log.ping().map(v -> new JsonObject())));
  }

  /**
   * {@code {events: [...], replyTo}} to {@code {results: [{eventId, status, outcome?}]}} in input
   * order; {@code outcome} is present for a duplicate whose first delivery is already applied. The
   * status is {@code accepted}, {@code duplicate}, or {@code conflict} for an eventId already used
   * by an event that says something else.
   */
  private Future<JsonObject> submit(JsonObject request) {
    List<LearningEvent> events = JsonMapping.fromJsonArray(request.getJsonArray("events"), LearningEvent.class);
    if (backlog.full()) {
      // A batch is refused whole: the client retries one request, not the holes of one.
      return Future.failedFuture(Failure.OVERLOADED.exception(ErrorCodes.OVERLOADED,
          "the engine holds " + backlog.max() + " or more accepted events not applied yet; nothing was recorded, "
              + "retry after the delay in Retry-After", null));
    }
    return log.append(events, request.getString("replyTo"))
        .recover(e -> Future.failedFuture(refusedOrFull(e) ? e
            : Failure.STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
                "the event log is unavailable; nothing was recorded, retry later", null)))
        .compose(results -> {
          Set<String> nudge = new LinkedHashSet<>();
          List<LearningEvent> accepted = new ArrayList<>();
          JsonArray out = new JsonArray();
          for (int i = 0; i < results.size(); i++) {
            AppendResult r = results.get(i);
            JsonObject item = new JsonObject().put("eventId", r.eventId());
            if (r.accepted()) {
              item.put("status", "accepted");
              nudge.add(events.get(i).learnerId());
              accepted.add(events.get(i));
            } else if (!r.existing().event().sameAs(events.get(i), occurredAtGiven(request, i))) {
              item.put("status", ErrorCodes.CONFLICT);
            } else {
              item.put("status", Outcome.DUPLICATE);
              if (r.existing().applied()) {
                item.put("outcome", JsonMapping.toJson(r.existing().outcome().withStatus(Outcome.DUPLICATE)));
              }
            }
            out.add(item);
          }
          backlog.accepted(accepted.size());
          JsonObject reply = new JsonObject().put("results", out);
          if (producer != null) {
            return produce(accepted).map(reply);
          }
          if (!nudge.isEmpty()) {
            nudges.collect().addAll(nudge);
          }
          return Future.succeededFuture(reply);
        });
  }

  /** A refusal retrying cannot cure: said as it is, rather than as "unavailable, retry later". */
  private static boolean refusedOrFull(Throwable e) {
    return e instanceof Failure.EngineException ee
        && (ee.failure() == Failure.STORE_FULL || ee.failure() == Failure.STORE_REFUSED);
  }

  /**
   * Whether the sender of the {@code i}th event gave its occurredAt (web marks each event with
   * {@code occurredAtGiven}; without the mark, as from the Kafka intake, it counts as given).
   */
  private static boolean occurredAtGiven(JsonObject request, int i) {
    return !Boolean.FALSE.equals(request.getJsonArray("events").getJsonObject(i).getBoolean("occurredAtGiven"));
  }

  /**
   * Hands accepted events to the rules through the events topic, keyed by learner. They are durable
   * in the log already, so a send that fails (or is slow) does not fail the request: the recovery
   * pass applies what never reached the topic once {@code kafka.recoverAfterMs} has passed.
   */
  private Future<Void> produce(List<LearningEvent> accepted) {
    List<Future<?>> sends = new ArrayList<>(accepted.size());
    for (LearningEvent event : accepted) {
      sends.add(producer.send(KafkaProducerRecord.create(kafka.eventsTopic(), event.learnerId(),
              JsonMapping.toJson(event).encode()).addHeader(EventRecords.RECORDED_HEADER, "1"))
          .onFailure(e -> LOG.warn("Event {} did not reach {} ({}); recovery applies it later", event.eventId(),
              kafka.eventsTopic(), e.toString())));
    }
    // Bounded: while Kafka is away an answer should not wait out the producer's whole delivery
    // timeout; the sends go on in the background and recovery covers those that never land.
    return Bus.within(vertx, Future.join(sends), PRODUCE_WAIT_MS).otherwiseEmpty().mapEmpty();
  }

  /** {@code {eventId}} to {@code {known, applied, outcome?}}. */
  private Future<JsonObject> outcome(JsonObject request) {
    return log.event(request.getString("eventId")).map(found -> {
      JsonObject reply = new JsonObject().put("known", found.isPresent())
          .put("applied", found.map(StoredEvent::applied).orElse(false));
      found.filter(StoredEvent::applied)
          .ifPresent(s -> reply.put("outcome", JsonMapping.toJson(s.outcome().withStatus(Outcome.DUPLICATE))));
      return reply;
    });
  }
}
