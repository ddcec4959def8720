package io.learnquest.ingestion;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.JsonMapping;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.store.AppendResult;
import io.learnquest.store.EventLog;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Accepts validated events into the durable log (effectively once: an eventId is accepted a single
 * time) and hands each learner with new work to the rules verticles. An event is acknowledged only
 * after the log holds it, so nothing acknowledged is lost.
 */
public final class IngestionVerticle extends VerticleBase {
  private final EventLog log;

  public IngestionVerticle(EngineContext context) {
    this.log = context.stores().events();
  }

  @Override
  public Future<?> start() {
    return Future.all(
        Bus.serve(vertx, Addresses.INGESTION_SUBMIT, this::submit),
        Bus.serve(vertx, Addresses.INGESTION_OUTCOME, this::outcome),
        Bus.serve(vertx, Addresses.INGESTION_READY, request -> log.ping().map(v -> new JsonObject())));
  }

  /**
   * {@code {events: [...], replyTo}} to {@code {results: [{eventId, status, outcome?}]}} in input
   * order; {@code outcome} is present for a duplicate whose first delivery is already applied.
   */
  private Future<JsonObject> submit(JsonObject request) {
    List<LearningEvent> events = JsonMapping.fromJsonArray(request.getJsonArray("events"), LearningEvent.class);
    return log.append(events, request.getString("replyTo"))
        .recover(e -> Future.failedFuture(Failure.STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
            "the event log is unavailable; nothing was recorded, retry later", null)))
        .map(results -> {
          Set<String> nudge = new LinkedHashSet<>();
          JsonArray out = new JsonArray();
          for (int i = 0; i < results.size(); i++) {
            AppendResult r = results.get(i);
            JsonObject item = new JsonObject().put("eventId", r.eventId());
            if (r.accepted()) {
              item.put("status", "accepted");
              nudge.add(events.get(i).learnerId());
            } else {
              item.put("status", Outcome.DUPLICATE);
              if (r.existing().applied()) {
                item.put("outcome", JsonMapping.toJson(r.existing().outcome().withStatus(Outcome.DUPLICATE)));
              }
            }
            out.add(item);
          }
          nudge.forEach(learnerId -> vertx.eventBus().send(Addresses.RULES_LEARNER_PENDING,
              new JsonObject().put("learnerId", learnerId)));
          return new JsonObject().put("results", out);
        });
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
