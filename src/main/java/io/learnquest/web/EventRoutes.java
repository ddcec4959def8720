package io.learnquest.web;

import io.learnquest.domain.Tenants;
import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.JsonMapping;
import io.learnquest.bus.StrictJson;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.logging.LogFields;
import io.learnquest.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code POST /api/v1/events} (with {@code ?wait=true}) and {@code POST /api/v1/events/batch}:
 * validation here, durable acceptance by the ingestion verticle, and waiting for outcomes.
 */
final class EventRoutes {
  static final long POLL_MS = 25;
  /**
   * Polls back off to this: an engine too busy to answer within the push grace would otherwise be
   * asked 40 times a second by every waiting request, more load exactly when it has too much.
   */
  static final long MAX_POLL_MS = 250;
  static final long PUSH_GRACE_MS = 500;

  private final Vertx vertx;
  private final EventValidator validator;
  private final Clock clock;
  private final int maxBatch;
  private final int maxEventBytes;
  private final long waitTimeoutMs;
  /** Where the rules verticle sends outcomes of events this instance waits for. */
  final String outcomeAddress = Addresses.WEB_OUTCOMES_PREFIX + UUID.randomUUID();
  private final Map<String, List<Promise<JsonObject>>> waiters = new HashMap<>();
  /** Submissions of one event-loop turn travel to the ingestion verticle as one message. */
  private final BatchedRequests ingestion;
  private final EngineMetrics metrics;
  static final int SUBMIT_BATCH = 500;
  static final int SUBMITS_IN_FLIGHT = 2;

  EventRoutes(Vertx vertx, EngineContext context) {
    this.vertx = vertx;
    this.validator = context.config().eventValidator(Tenants.DEFAULT);
    this.clock = context.clock();
    this.maxBatch = context.config().maxBatch();
    this.maxEventBytes = context.config().maxEventBytes();
    this.waitTimeoutMs = context.config().waitTimeoutMs();
    this.ingestion = new BatchedRequests(vertx, Addresses.INGESTION_SUBMIT, SUBMIT_BATCH, SUBMITS_IN_FLIGHT);
    this.metrics = EngineMetrics.of(vertx);
  }

  Future<Void> listenForOutcomes() {
    return vertx.eventBus().<JsonObject>consumer(outcomeAddress, m -> {
      JsonArray outcomes = m.body().getJsonArray("outcomes");
      for (int i = 0; i < outcomes.size(); i++) {
        JsonObject outcome = outcomes.getJsonObject(i);
        List<Promise<JsonObject>> waiting = waiters.remove(outcome.getString("eventId"));
        if (waiting != null) {
          waiting.forEach(p -> p.tryComplete(outcome));
        }
      }
    }).completion();
  }

  void postEvent(RoutingContext ctx) {
    LearningEvent event;
    JsonObject body;
    try {
      Object decoded = decode(ctx.body().buffer());
      if (!(decoded instanceof JsonObject json)) {
        throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "the body must be a JSON object", null);
      }
      body = json;
      // No schema check of the body after this: the validator refuses everything the document's
      // LearningEvent refuses (LearningEventSchemaTest), and vertx-json-schema would add about
      // 150 us of CPU to every event.
      event = validator.validate(json.getMap(), clock.instant());
    } catch (InvalidInputException e) {
      metrics.events(EngineMetrics.REFUSED, 1);
      HttpErrors.fail(ctx, e);
      return;
    }
    LogFields.put(LogFields.EVENT_ID, event.eventId());
    ctx.put(LogFields.EVENT_ID, event.eventId());
    boolean wait = "true".equals(ctx.request().getParam("wait"));
    Promise<JsonObject> waiter = wait ? register(event.eventId()) : null;
    JsonObject request = new JsonObject()
        .put("events", new JsonArray().add(submitted(event, body)))
        .put("replyTo", wait ? outcomeAddress : null);
    ingestion.request(request).onComplete(ar -> {
      if (ar.failed()) {
        unregister(event.eventId(), waiter);
        metrics.events(EngineMetrics.REFUSED, 1);
        HttpErrors.fail(ctx, ar.cause());
        return;
      }
      JsonObject result = ar.result().getJsonArray("results").getJsonObject(0);
      if (ErrorCodes.CONFLICT.equals(result.getString("status"))) {
        unregister(event.eventId(), waiter);
        metrics.events(EngineMetrics.REFUSED, 1);
        HttpErrors.fail(ctx, conflict(event.eventId()));
        return;
      }
      boolean accepted = "accepted".equals(result.getString("status"));
      metrics.events(accepted ? EngineMetrics.ACCEPTED : EngineMetrics.DUPLICATE, 1);
      if (!wait) {
        HttpErrors.json(ctx, accepted ? 202 : 200, status(event.eventId(), result.getString("status")));
      } else if (accepted) {
        awaitOutcome(ctx, event.eventId(), waiter);
      } else {
        unregister(event.eventId(), waiter);
        JsonObject outcome = result.getJsonObject("outcome");
        if (outcome != null) {
          HttpErrors.json(ctx, 200, outcome);
        } else {
          pollDuplicate(ctx, event.eventId(), System.nanoTime() + waitTimeoutMs * 1_000_000);
        }
      }
    });
  }

  void postBatch(RoutingContext ctx) {
    JsonArray items;
    int refusedWhole = 1;
    try {
      Object body = decode(ctx.body().buffer());
      if (!(body instanceof JsonObject json) || !(json.getValue("events") instanceof JsonArray array)) {
        throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "the body must be {\"events\": [...]}", "events");
      }
      refusedWhole = array.size();
      if (array.size() > maxBatch) {
        throw new InvalidInputException(ErrorCodes.BATCH_TOO_LARGE,
            "a batch holds at most " + maxBatch + " events, this one has " + array.size(), "events");
      }
      items = array;
    } catch (InvalidInputException e) {
      // a batch refused whole: each of its events is refused (one when the body is not even a list)
      metrics.events(EngineMetrics.REFUSED, refusedWhole);
      HttpErrors.fail(ctx, e);
      return;
    }
    JsonObject[] results = new JsonObject[items.size()];
    List<Integer> validIndexes = new ArrayList<>();
    JsonArray valid = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.getValue(i);
      Object id = item instanceof JsonObject o ? o.getValue("eventId") : null;
      try {
        if (!(item instanceof JsonObject json)) {
          throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "each event must be a JSON object", null);
        }
        if (json.toBuffer().length() > maxEventBytes) {
          throw new InvalidInputException(ErrorCodes.PAYLOAD_TOO_LARGE,
              "an event may be at most " + maxEventBytes + " bytes", null);
        }
        valid.add(submitted(validator.validate(json.getMap(), clock.instant()), json));
        validIndexes.add(i);
      } catch (InvalidInputException e) {
        results[i] = new JsonObject().put("eventId", id instanceof String s ? s : null)
            .put("error", Failure.body(e.code(), e.getMessage(), e.field()));
      }
    }
    metrics.events(EngineMetrics.REFUSED, items.size() - valid.size());
    Future<JsonArray> accepted = valid.isEmpty() ? Future.succeededFuture(new JsonArray())
        : ingestion.request(new JsonObject().put("events", valid))
            .map(reply -> reply.getJsonArray("results"));
    accepted.onComplete(ar -> {
      if (ar.failed()) {
        metrics.events(EngineMetrics.REFUSED, valid.size());
        HttpErrors.fail(ctx, ar.cause());
        return;
      }
      for (int k = 0; k < validIndexes.size(); k++) {
        JsonObject r = ar.result().getJsonObject(k);
        String outcome = r.getString("status");
        metrics.events("accepted".equals(outcome) ? EngineMetrics.ACCEPTED
            : ErrorCodes.CONFLICT.equals(outcome) ? EngineMetrics.REFUSED : EngineMetrics.DUPLICATE, 1);
        results[validIndexes.get(k)] = ErrorCodes.CONFLICT.equals(outcome)
            ? new JsonObject().put("eventId", r.getString("eventId")).put("error", conflict(r.getString("eventId")).body())
            : status(r.getString("eventId"), outcome);
      }
      HttpErrors.json(ctx, 200, new JsonObject().put("results", new JsonArray(List.of(results))));
    });
  }

  private static Object decode(Buffer body) {
    return StrictJson.decode(body);
  }

  /** The event as ingestion takes it, marked with whether its sender gave the occurredAt. */
  private static JsonObject submitted(LearningEvent event, JsonObject body) {
    return JsonMapping.toJson(event).put("occurredAtGiven", body.getValue("occurredAt") != null);
  }

  private static Failure.EngineException conflict(String eventId) {
    return Failure.CONFLICT.exception(ErrorCodes.CONFLICT, "eventId " + eventId
        + " was already used for a different event; a retry must send the same event, a new event needs a new eventId",
        "eventId");
  }

  private static JsonObject status(String eventId, String status) {
    return new JsonObject().put("eventId", eventId).put("status", status);
  }

  private Promise<JsonObject> register(String eventId) {
    Promise<JsonObject> promise = Promise.promise();
    waiters.computeIfAbsent(eventId, k -> new ArrayList<>()).add(promise);
    return promise;
  }

  private void unregister(String eventId, Promise<JsonObject> promise) {
    List<Promise<JsonObject>> list = waiters.get(eventId);
    if (list != null && list.remove(promise) && list.isEmpty()) {
      waiters.remove(eventId);
    }
  }

  /**
   * Waits for the outcome pushed by the rules verticle; from {@link #PUSH_GRACE_MS} on it also asks
   * the log, because in a cluster a push can be lost while a new instance's address propagates.
   */
  private void awaitOutcome(RoutingContext ctx, String eventId, Promise<JsonObject> waiter) {
    long deadline = System.nanoTime() + waitTimeoutMs * 1_000_000;
    long timer = vertx.setTimer(waitTimeoutMs, t -> {
      unregister(eventId, waiter);
      // Still durably accepted: it will be applied, just not within the wait.
      HttpErrors.json(ctx, 202, status(eventId, "accepted"));
    });
    vertx.setTimer(PUSH_GRACE_MS, t -> pollOutcome(eventId, deadline, POLL_MS, () -> !waiter.future().isComplete(),
        outcome -> waiter.tryComplete(outcome.copy().put("status", Outcome.PROCESSED)), () -> {
        }));
    waiter.future().onSuccess(outcome -> {
      vertx.cancelTimer(timer);
      unregister(eventId, waiter);
      HttpErrors.json(ctx, 200, outcome);
    });
  }

  /**
   * The first delivery of this eventId is not applied yet: look again until it is, or time runs out.
   * The deadline is on the monotonic clock: the engine clock may be a test's fixed one.
   */
  private void pollDuplicate(RoutingContext ctx, String eventId, long deadline) {
    pollOutcome(eventId, deadline, POLL_MS, () -> true, outcome -> HttpErrors.json(ctx, 200, outcome),
        () -> HttpErrors.json(ctx, 200, status(eventId, Outcome.DUPLICATE)));
  }

  /**
   * Asks the log whether the event is applied, until it is or time is up: first after
   * {@link #POLL_MS}, then twice as long each time, up to {@link #MAX_POLL_MS}.
   */
  private void pollOutcome(String eventId, long deadline, long interval, BooleanSupplier waiting,
                           Consumer<JsonObject> applied, Runnable timedOut) {
    if (!waiting.getAsBoolean()) {
      return;
    }
    vertx.setTimer(interval, t -> Bus.request(vertx, Addresses.INGESTION_OUTCOME,
        new JsonObject().put("eventId", eventId), eventId).onComplete(ar -> {
          if (ar.succeeded() && ar.result().getBoolean("applied")) {
            applied.accept(ar.result().getJsonObject("outcome"));
          } else if (System.nanoTime() - deadline >= 0) {
            timedOut.run();
          } else {
            pollOutcome(eventId, deadline, Math.min(2 * interval, MAX_POLL_MS), waiting, applied, timedOut);
          }
        }));
  }
}
