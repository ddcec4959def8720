package io.learnquest.web;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.ingestion.EventAppender;
import io.learnquest.ingestion.EventInput;
import io.learnquest.ingestion.IngestionService;
import io.learnquest.ingestion.IngestionService.Status;
import io.learnquest.ingestion.IngestionService.SubmitEvents;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.json.JsonMapping;
import io.learnquest.json.StrictJson;
import io.learnquest.logging.LogFields;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.store.EventRef;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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

  private final Vertx vertx;
  /** Each tenant's event input (its event types and fair-play age limit), made on first use. */
  private final Map<String, EventInput> inputs = new java.util.concurrent.ConcurrentHashMap<>();
  private final EngineContext context;
  private final Clock clock;
  private final int maxBatch;
  private final long waitTimeoutMs;
  /** Where the rules verticle sends outcomes of events this instance waits for. */
  final String outcomeAddress = Addresses.WEB_OUTCOMES_PREFIX + UUID.randomUUID();
  /** Requests waiting for an outcome, by tenant and eventId. */
  private final Map<EventRef, List<Promise<String>>> waiters = new HashMap<>();
  /**
   * Whether a waiting request also asks the log after {@link #grace}: only when the outcome
   * can come from another node (a clustered node, or one without rules instances), whose push can
   * be lost while this instance's address propagates. On one node the rules instances push every
   * outcome to a consumer registered before the first request, and under load (past the grace)
   * the asks cost about a tenth of the node's CPU for nothing.
   */
  private final boolean asksTheLog;
  /** How long a waiting request trusts the push before it asks the log, from the pushes seen. */
  private final PushGrace grace;
  /** Submissions of one event-loop turn travel to the ingestion verticle as one message. */
  private final IngestionService ingestion;
  private final EngineMetrics metrics;

  private final RateLimiter limiter;

  EventRoutes(Vertx vertx, EngineContext context, RateLimiter limiter) {
    this.vertx = vertx;
    this.limiter = limiter;
    this.context = context;
    this.clock = context.clock();
    this.maxBatch = context.config().maxBatch();
    this.waitTimeoutMs = context.config().waitTimeoutMs();
    this.asksTheLog = vertx.isClustered() || context.config().instancesOf("rules") == 0;
    this.grace = new PushGrace(waitTimeoutMs);
    this.ingestion = new IngestionService(vertx);
    this.metrics = EngineMetrics.of(vertx);
  }

  Future<Void> listenForOutcomes() {
    return vertx.eventBus().<IngestionService.Outcomes>consumer(outcomeAddress, m -> {
      for (IngestionService.Applied applied : m.body().outcomes()) {
        List<Promise<String>> waiting = waiters.remove(new EventRef(applied.tenant(), applied.eventId()));
        if (waiting != null) {
          waiting.forEach(p -> p.tryComplete(applied.outcomeJson()));
        }
      }
    }).completion();
  }

  private EventInput input(String tenant) {
    return inputs.computeIfAbsent(tenant,
        t -> new EventInput(context.config().eventValidator(t), context.config().maxEventBytes()));
  }

  void postEvent(RoutingContext ctx) {
    Submitted submitted;
    try {
      submitted = input(RequestTenant.of(ctx)).read(ctx.body().buffer(), clock.instant());
    } catch (InvalidInputException e) {
      refuse(ctx, e, 1);
      return;
    }
    LearningEvent event = submitted.event();
    LogFields.put(LogFields.EVENT_ID, event.eventId());
    ctx.put(LogFields.EVENT_ID, event.eventId());
    limiter.events(ctx.get(Security.CALLER), RequestTenant.of(ctx), Map.of(event.learnerId(), 1)).onComplete(ar -> {
      if (ar.failed()) {
        metrics.events(EngineMetrics.REFUSED, 1);
        HttpErrors.fail(ctx, ar.cause());
      } else if (ar.result().requestLimited() != null) {
        metrics.events(EngineMetrics.RATE_LIMITED, 1);
        Security.tooMany(ctx, ar.result().requestLimited());
      } else if (ar.result().granted().get(event.learnerId()) < 1) {
        // refused before the log: nothing is appended, and the eventId stays free
        metrics.events(EngineMetrics.RATE_LIMITED, 1);
        Security.tooMany(ctx, learnerLimited(ar.result()));
      } else {
        submit(ctx, submitted);
      }
    });
  }

  /**
   * A request refused as invalid still spends its caller's request budget (or a client could send
   * invalid events without limit): past it, 429 instead of the refusal.
   */
  private void refuse(RoutingContext ctx, InvalidInputException e, int events) {
    limiter.request(ctx.get(Security.CALLER)).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof RateLimiter.Limited limited) {
        metrics.events(EngineMetrics.RATE_LIMITED, events);
        Security.tooMany(ctx, limited);
      } else {
        metrics.events(EngineMetrics.REFUSED, events);
        HttpErrors.fail(ctx, e);
      }
    });
  }

  private static RateLimiter.Limited learnerLimited(RateLimiter.Admitted admitted) {
    return new RateLimiter.Limited("more than " + admitted.limit() + " events per minute for this learner; "
        + "retry after the Retry-After seconds", admitted.retryAfterMicros());
  }

  private void submit(RoutingContext ctx, Submitted submitted) {
    String tenant = RequestTenant.of(ctx);
    LearningEvent event = submitted.event();
    boolean wait = "true".equals(ctx.request().getParam("wait"));
    Promise<String> waiter = wait ? register(tenant, event.eventId()) : null;
    ingestion.submit(new SubmitEvents(tenant, List.of(submitted), wait ? outcomeAddress : null))
        .onComplete(ar -> {
      if (ar.failed()) {
        unregister(tenant, event.eventId(), waiter);
        metrics.events(EngineMetrics.REFUSED, 1);
        HttpErrors.fail(ctx, ar.cause());
        return;
      }
      IngestionService.Result result = ar.result().results().get(0);
      if (result.status() == Status.CONFLICT) {
        unregister(tenant, event.eventId(), waiter);
        metrics.events(EngineMetrics.REFUSED, 1);
        HttpErrors.fail(ctx, conflict(event.eventId()));
        return;
      }
      boolean accepted = result.status() == Status.ACCEPTED;
      metrics.events(accepted ? EngineMetrics.ACCEPTED : EngineMetrics.DUPLICATE, 1);
      if (!wait) {
        HttpErrors.json(ctx, accepted ? 202 : 200, status(event.eventId(), result.status()));
      } else if (accepted) {
        awaitOutcome(ctx, tenant, event.eventId(), waiter);
      } else {
        unregister(tenant, event.eventId(), waiter);
        Outcome outcome = result.outcome();
        if (outcome != null) {
          HttpErrors.json(ctx, 200, outcome);
        } else {
          pollDuplicate(ctx, tenant, event.eventId(), System.nanoTime() + waitTimeoutMs * 1_000_000);
        }
      }
    });
  }

  void postBatch(RoutingContext ctx) {
    JsonArray items;
    int refusedWhole = 1;
    try {
      Object body = StrictJson.decode(ctx.body().buffer());
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
      refuse(ctx, e, refusedWhole);
      return;
    }
    JsonObject[] results = new JsonObject[items.size()];
    List<Integer> validIndexes = new ArrayList<>();
    List<Submitted> valid = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Object item = items.getValue(i);
      Object id = item instanceof JsonObject o ? o.getValue("eventId") : null;
      try {
        valid.add(input(RequestTenant.of(ctx)).batchItem(item, clock.instant()));
        validIndexes.add(i);
      } catch (InvalidInputException e) {
        results[i] = new JsonObject().put("eventId", id instanceof String s ? s : null)
            .put("error", Failure.body(e.code(), e.getMessage(), e.field()));
      }
    }
    Map<String, Integer> perLearner = new java.util.LinkedHashMap<>();
    for (Submitted submitted : valid) {
      perLearner.merge(submitted.event().learnerId(), 1, Integer::sum);
    }
    limiter.events(ctx.get(Security.CALLER), RequestTenant.of(ctx), perLearner).onComplete(ar -> {
      if (ar.failed()) {
        metrics.events(EngineMetrics.REFUSED, valid.size());
        HttpErrors.fail(ctx, ar.cause());
        return;
      }
      if (ar.result().requestLimited() != null) {
        // the whole batch, its invalid items too: nothing recorded
        metrics.events(EngineMetrics.RATE_LIMITED, items.size());
        Security.tooMany(ctx, ar.result().requestLimited());
        return;
      }
      metrics.events(EngineMetrics.REFUSED, items.size() - valid.size());
      // each learner's first events that fit go on; the rest are refused, each on its own
      Map<String, Long> left = new HashMap<>(ar.result().granted());
      List<Submitted> admitted = new ArrayList<>();
      List<Integer> admittedIndexes = new ArrayList<>();
      for (int k = 0; k < valid.size(); k++) {
        Submitted submitted = valid.get(k);
        if (left.merge(submitted.event().learnerId(), -1L, Long::sum) >= 0) {
          admitted.add(submitted);
          admittedIndexes.add(validIndexes.get(k));
        } else {
          results[validIndexes.get(k)] = new JsonObject().put("eventId", submitted.event().eventId())
              .put("error", Failure.body(ErrorCodes.RATE_LIMITED, learnerLimited(ar.result()).getMessage(), null));
        }
      }
      int limited = valid.size() - admitted.size();
      if (limited > 0) {
        metrics.events(EngineMetrics.RATE_LIMITED, limited);
        ctx.response().putHeader(io.vertx.core.http.HttpHeaders.RETRY_AFTER,
            Long.toString(RateLimiter.seconds(ar.result().retryAfterMicros())));
      }
      submitBatch(ctx, results, admitted, admittedIndexes);
    });
  }

  private void submitBatch(RoutingContext ctx, JsonObject[] results, List<Submitted> valid,
                           List<Integer> validIndexes) {
    Future<List<IngestionService.Result>> accepted = valid.isEmpty() ? Future.succeededFuture(List.of())
        : ingestion.submit(new SubmitEvents(RequestTenant.of(ctx), valid, null)).map(IngestionService.Accepted::results);
    accepted.onComplete(ar -> {
      if (ar.failed()) {
        metrics.events(EngineMetrics.REFUSED, valid.size());
        HttpErrors.fail(ctx, ar.cause());
        return;
      }
      for (int k = 0; k < validIndexes.size(); k++) {
        IngestionService.Result r = ar.result().get(k);
        metrics.events(r.status() == Status.ACCEPTED ? EngineMetrics.ACCEPTED
            : r.status() == Status.CONFLICT ? EngineMetrics.REFUSED : EngineMetrics.DUPLICATE, 1);
        results[validIndexes.get(k)] = r.status() == Status.CONFLICT
            ? new JsonObject().put("eventId", r.eventId()).put("error", conflict(r.eventId()).body())
            : status(r.eventId(), r.status());
      }
      HttpErrors.json(ctx, 200, new JsonObject().put("results", new JsonArray(List.of(results))));
    });
  }

  private static Failure.EngineException conflict(String eventId) {
    return Failure.CONFLICT.exception(ErrorCodes.CONFLICT, EventAppender.conflictMessage(eventId), "eventId");
  }

  private static JsonObject status(String eventId, Status status) {
    return status(eventId, status.name().toLowerCase(java.util.Locale.ROOT));
  }

  private static JsonObject status(String eventId, String status) {
    return new JsonObject().put("eventId", eventId).put("status", status);
  }

  /** A waiting request: completed with its answer, the outcome's JSON text. */
  private Promise<String> register(String tenant, String eventId) {
    Promise<String> promise = Promise.promise();
    waiters.computeIfAbsent(new EventRef(tenant, eventId), k -> new ArrayList<>()).add(promise);
    return promise;
  }

  private void unregister(String tenant, String eventId, Promise<String> promise) {
    EventRef key = new EventRef(tenant, eventId);
    List<Promise<String>> list = waiters.get(key);
    if (list != null && list.remove(promise) && list.isEmpty()) {
      waiters.remove(key);
    }
  }

  /** No timer id: Vert.x numbers its timers from 0. */
  private static final long NO_TIMER = -1;

  /**
   * Waits for the outcome pushed by the rules verticle; after the {@link #grace} it also asks the
   * log when {@link #asksTheLog}, because in a cluster a push can be lost while a new instance's
   * address propagates.
   */
  private void awaitOutcome(RoutingContext ctx, String tenant, String eventId, Promise<String> waiter) {
    long since = System.nanoTime();
    long deadline = since + waitTimeoutMs * 1_000_000;
    // Every wait is bounded by the shared deadlines of its event loop (Bus.within): a timer of its
    // own, set and cancelled for every request, was about 1.5 % of a node's CPU. A waiter is only
    // ever completed, so the bound fails only by expiring.
    Bus.within(vertx, waiter.future(), waitTimeoutMs).onFailure(expired -> {
      unregister(tenant, eventId, waiter);
      // Still durably accepted: it will be applied, just not within the wait.
      HttpErrors.json(ctx, 202, status(eventId, "accepted"));
    });
    boolean[] fromLog = new boolean[1];
    long graceMs = grace.graceMs();
    // The grace's timer is a request's own (its length is the instance's measure of its pushes), and
    // is cancelled when the push comes first, as most do.
    long graceTimer = asksTheLog && graceMs < waitTimeoutMs
        ? vertx.setTimer(graceMs, t -> pollOutcome(tenant, eventId, deadline, POLL_MS,
            () -> !waiter.future().isComplete(), outcome -> {
              fromLog[0] = true;
              waiter.tryComplete(JsonMapping.encode(outcome.withStatus(Outcome.PROCESSED)));
            }, () -> {
            }))
        : NO_TIMER;
    waiter.future().onSuccess(outcomeJson -> {
      if (graceTimer != NO_TIMER) {
        vertx.cancelTimer(graceTimer);
      }
      if (!fromLog[0]) {
        grace.pushed(System.nanoTime() - since);
      }
      unregister(tenant, eventId, waiter);
      HttpErrors.jsonText(ctx, 200, outcomeJson);
    });
  }

  /**
   * The first delivery of this eventId is not applied yet: look again until it is, or time runs out.
   * The deadline is on the monotonic clock: the engine clock may be a test's fixed one.
   */
  private void pollDuplicate(RoutingContext ctx, String tenant, String eventId, long deadline) {
    pollOutcome(tenant, eventId, deadline, POLL_MS, () -> true, outcome -> HttpErrors.json(ctx, 200, outcome),
        () -> HttpErrors.json(ctx, 200, status(eventId, Outcome.DUPLICATE)));
  }

  /**
   * Asks the log whether the event is applied, until it is or time is up: first after
   * {@link #POLL_MS}, then twice as long each time, up to {@link #MAX_POLL_MS}.
   */
  private void pollOutcome(String tenant, String eventId, long deadline, long interval, BooleanSupplier waiting,
                           Consumer<Outcome> applied, Runnable timedOut) {
    if (!waiting.getAsBoolean()) {
      return;
    }
    vertx.setTimer(interval, t -> ingestion.outcome(tenant, eventId).onComplete(ar -> {
          if (ar.succeeded() && ar.result().applied()) {
            applied.accept(ar.result().outcome());
          } else if (System.nanoTime() - deadline >= 0) {
            timedOut.run();
          } else {
            pollOutcome(tenant, eventId, deadline, Math.min(2 * interval, MAX_POLL_MS), waiting, applied, timedOut);
          }
        }));
  }
}
