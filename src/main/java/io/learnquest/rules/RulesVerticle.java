package io.learnquest.rules;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.store.QuarantinedEvent;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.progression.ProgressionMachine;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.domain.streak.StreakView;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of the game: applies each learner's accepted events in order through the pipeline,
 * runs the progression state machine, fires inactivity transitions on its own (one sweeper at a
 * time, through a shared lock), finishes anything accepted but not applied (recovery), and serves
 * profiles and transition histories.
 */
public final class RulesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(RulesVerticle.class);
  /**
   * The sweeper's lease: taken by one rules instance of the whole cluster and kept while it runs.
   * The cluster manager frees the locks of a member that leaves or dies, so another takes over.
   */
  static final String SWEEPER_LEASE = "rules.inactivity.sweeper";
  public static final String SWEEPER_FLAG = "rules.inactivity.sweeper.held";
  static final int SWEEP_BATCH = 1000;
  /** How far a retry looks for the event it sent back to the quarantine, to tell why. */
  static final int QUARANTINE_SCAN = 10_000;

  private final EngineContext context;
  private final EventLog log;
  private final LearnerStore learners;
  private final LevelCurve curve;
  private final Clock clock;
  private EventApplier applier;
  private LearnerQueue queue;
  private KafkaEventIntake intake;
  private Lock sweeperLease;
  private boolean sweeping;
  private final AtomicBoolean sweeperHere;

  public RulesVerticle(EngineContext context) {
    this.context = context;
    this.log = context.stores().events();
    this.learners = context.stores().learners();
    this.curve = context.config().levelCurve();
    this.clock = context.clock();
    this.sweeperHere = context.shared(SWEEPER_FLAG, AtomicBoolean::new);
  }

  @Override
  public Future<?> stop() {
    if (sweeperLease != null) {
      sweeperLease.release();
      sweeperHere.set(false);
    }
    return intake == null ? Future.succeededFuture() : intake.stop();
  }

  @Override
  public Future<?> start() {
    boolean kafka = context.config().kafka().enabled();
    applier = new EventApplier(vertx, context);
    queue = new LearnerQueue(vertx, log, applier::apply, !kafka, context.config().quarantineMaxAttempts());
    vertx.setPeriodic(context.config().sweepIntervalMs(), id -> sweepOnce());
    vertx.setPeriodic(context.config().recoveryIntervalMs(), id -> recover());
    if (kafka) {
      intake = new KafkaEventIntake(vertx, context, queue);
    }
    return Future.all(List.of(
        intake == null ? Future.succeededFuture() : intake.start(),
        vertx.eventBus().<JsonObject>consumer(Addresses.RULES_LEARNER_PENDING,
            m -> m.body().getJsonArray("learnerIds").forEach(id -> queue.nudge((String) id))).completion(),
        Bus.serve(vertx, Addresses.RULES_INACTIVITY_SWEEP, request -> sweepOnce()),
        Bus.serve(vertx, Addresses.RULES_PROFILE, this::profile),
        Bus.serve(vertx, Addresses.RULES_TRANSITIONS, this::transitions),
        Bus.serve(vertx, Addresses.RULES_QUARANTINE_LIST, this::quarantined),
        Bus.serve(vertx, Addresses.RULES_QUARANTINE_COUNT,
            request -> log.quarantinedCount().map(n -> new JsonObject().put("count", n))),
        Bus.serve(vertx, Addresses.RULES_QUARANTINE_RETRY, this::retryQuarantined),
        Bus.serve(vertx, Addresses.RULES_QUARANTINE_DISCARD, this::discardQuarantined),
        Bus.serve(vertx, Addresses.RULES_FLAGS, this::flags),
        Bus.serve(vertx, Addresses.RULES_ALL_FLAGS, this::allFlags),
        Bus.serve(vertx, Addresses.RULES_READY,
            request -> Future.all(log.ping(), learners.ping()).map(v -> new JsonObject()))))
        .onSuccess(v -> {
          recover();
          // Taken now rather than at the first sweep, so /health names the sweeper from the start.
          holdLease();
        });
  }

  /**
   * Nudges every learner with accepted but unapplied events, e.g. after a crash. With Kafka the
   * consumers do that, so only events waiting longer than {@code kafka.recoverAfterMs} are taken:
   * those accepted by a node that died before they reached the topic.
   */
  private void recover() {
    var kafka = context.config().kafka();
    log.learnersWithPending(kafka.enabled() ? clock.instant().minusMillis(kafka.recoverAfterMs()) : null, 10_000)
        .onSuccess(ids -> ids.forEach(queue::recover))
        .onFailure(e -> LOG.warn("Recovery pass failed: {}", e.toString()));
  }

  /**
   * One inactivity sweep, run only by the holder of the sweeper lease; an instance without it tries
   * to take it (without waiting) and otherwise answers {@code swept: false}. A learner's own lock
   * keeps the sweep out of the way of their events.
   */
  private Future<JsonObject> sweepOnce() {
    if (sweeping) {
      return Future.succeededFuture(new JsonObject().put("swept", false).put("transitions", 0));
    }
    return holdLease().compose(held -> {
      if (!held || sweeping) {
        return Future.succeededFuture(new JsonObject().put("swept", false).put("transitions", 0));
      }
      sweeping = true;
      Instant now = clock.instant();
      return learners.idleLearners(now.minus(ProgressionMachine.AT_RISK_AFTER),
              now.minus(ProgressionMachine.DORMANT_AFTER), SWEEP_BATCH)
          .compose(ids -> sweepLearners(ids, 0, now, 0))
          .map(count -> new JsonObject().put("swept", true).put("transitions", count))
          .andThen(done -> sweeping = false);
    });
  }

  private Future<Boolean> holdLease() {
    if (sweeperLease != null) {
      return Future.succeededFuture(true);
    }
    return vertx.sharedData().getLockWithTimeout(SWEEPER_LEASE, 10).map(lock -> {
      sweeperLease = lock;
      sweeperHere.set(true);
      LOG.info("This node is now the inactivity sweeper");
      return true;
    }).otherwise(false);
  }

  private Future<Integer> sweepLearners(List<String> ids, int index, Instant now, int fired) {
    if (index == ids.size()) {
      return Future.succeededFuture(fired);
    }
    String learnerId = ids.get(index);
    return queue.withLearnerLock(learnerId, () -> applier.sweep(learnerId, now))
        .map(List::size)
        .otherwise(e -> {
          LOG.warn("Inactivity sweep of {} failed: {}", learnerId, e.toString());
          return 0;
        })
        .compose(n -> sweepLearners(ids, index + 1, now, fired + n));
  }

  private Future<JsonObject> profile(JsonObject request) {
    String learnerId = request.getString("learnerId");
    return learners.known(learnerId).compose(learner -> learners.badges(learnerId).map(badges -> {
      String zone = learner.timezone() != null ? learner.timezone() : EventApplier.DEFAULT_ZONE;
      StreakView streak = StreakRules.view(learner.streak(),
          StreakRules.localDay(clock.instant(), ZoneId.of(zone)));
      JsonArray badgeList = new JsonArray();
      badges.forEach(b -> badgeList.add(new JsonObject().put("badgeId", b.badgeId()).put("name", b.name())
          .put("tier", b.tier()).put("awardedAt", b.awardedAt().toString())));
      var c = learner.counters();
      return new JsonObject()
          .put("learnerId", learnerId)
          .put("state", learner.state().name())
          .put("xp", learner.xp())
          .put("level", learner.level())
          .put("nextLevelXp", curve.nextLevelXp(learner.level()))
          .put("timezone", zone)
          .put("streak", new JsonObject()
              .put("current", streak.current())
              .put("longest", streak.longest())
              .put("freezesLeft", streak.freezesLeft())
              .put("lastStudyDate", streak.lastStudyDate() == null ? null : streak.lastStudyDate().toString())
              .put("atRisk", streak.atRisk()))
          .put("counters", new JsonObject()
              .put("lessonsCompleted", c.lessonsCompleted())
              .put("quizzesPassed", c.quizzesPassed())
              .put("perfectQuizzes", c.perfectQuizzes())
              .put("coursesCompleted", c.coursesCompleted())
              .put("peersHelped", c.peersHelped()))
          .put("badges", badgeList);
    }));
  }

  /** {@code {limit}} to {@code {count, events: [{eventId, learnerId, reason, attempts, at}]}}. */
  private Future<JsonObject> quarantined(JsonObject request) {
    return Future.all(log.quarantined(request.getInteger("limit")), log.quarantinedCount()).map(both -> {
      JsonArray rows = new JsonArray();
      both.<List<QuarantinedEvent>>resultAt(0).forEach(q -> rows.add(quarantinedJson(q)));
      return new JsonObject().put("count", both.<Long>resultAt(1)).put("events", rows);
    });
  }

  private static JsonObject quarantinedJson(QuarantinedEvent q) {
    return new JsonObject().put("eventId", q.eventId()).put("learnerId", q.learnerId()).put("reason", q.reason())
        .put("attempts", q.attempts()).put("at", q.at().toString());
  }

  /**
   * {@code {eventId}}: back into its learner's pending events, then that learner is drained now.
   * Answers {@code applied} (with the outcome; it left the quarantine), {@code quarantined} (it
   * failed again for good and is back in the quarantine, with the new reason) or {@code pending}
   * (a failure a retry may cure: it waits in line like any other event).
   */
  private Future<JsonObject> retryQuarantined(JsonObject request) {
    String eventId = request.getString("eventId");
    return log.requeue(eventId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(notQuarantined(eventId));
      }
      String learnerId = found.get().learnerId();
      return queue.drainNow(learnerId).map(true).otherwise(false)
          .compose(drained -> log.event(eventId).compose(stored -> {
            JsonObject answer = new JsonObject().put("eventId", eventId).put("learnerId", learnerId);
            if (stored.isPresent() && stored.get().applied()) {
              return Future.succeededFuture(answer.put("status", "applied")
                  .put("outcome", io.learnquest.bus.JsonMapping.toJson(stored.get().outcome())));
            }
            if (!drained) {
              return Future.succeededFuture(answer.put("status", "pending"));
            }
            return log.quarantined(QUARANTINE_SCAN).map(list -> list.stream()
                .filter(q -> q.eventId().equals(eventId)).findFirst()
                .map(q -> answer.put("status", "quarantined").put("reason", q.reason()).put("attempts", q.attempts()))
                .orElseGet(() -> answer.put("status", "pending")));
          }));
    });
  }

  /** {@code {eventId}}: voided, never applied; its eventId stays taken. */
  private Future<JsonObject> discardQuarantined(JsonObject request) {
    String eventId = request.getString("eventId");
    return log.discard(eventId).compose(found -> found
        .map(q -> {
          LOG.info("Quarantined event {} of learner {} discarded", eventId, q.learnerId());
          return Future.succeededFuture(quarantinedJson(q).put("status", "discarded"));
        })
        .orElseGet(() -> Future.failedFuture(notQuarantined(eventId))));
  }

  private static Failure.EngineException notQuarantined(String eventId) {
    return Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND, "event " + eventId + " is not in the quarantine",
        "eventId");
  }

  private Future<JsonObject> transitions(JsonObject request) {
    String learnerId = request.getString("learnerId");
    return learners.known(learnerId).compose(learner -> learners.transitions(learnerId)).map(list -> {
      JsonArray rows = new JsonArray();
      list.forEach(t -> rows.add(new JsonObject().put("from", t.from().name()).put("to", t.to().name())
          .put("event", t.event()).put("eventId", t.eventId()).put("at", t.at().toString())));
      return new JsonObject().put("transitions", rows);
    });
  }

  /** {@code {learnerId, limit}} to {@code {flags: [...]}}, newest first; unknown learner: not found. */
  private Future<JsonObject> flags(JsonObject request) {
    String learnerId = request.getString("learnerId");
    return learners.known(learnerId).compose(learner -> learners.flags(learnerId, request.getInteger("limit")))
        .map(list -> new JsonObject().put("flags", flagRows(list)));
  }

  /** {@code {after, limit}} to {@code {flags: [...], next}}, oldest first; next is null at the end. */
  private Future<JsonObject> allFlags(JsonObject request) {
    int limit = request.getInteger("limit");
    return learners.flagsAfter(request.getLong("after"), limit).map(list -> new JsonObject()
        .put("flags", flagRows(list))
        .put("next", list.size() < limit ? null : String.valueOf(list.get(list.size() - 1).flagId())));
  }

  private static JsonArray flagRows(List<FlagEntry> list) {
    JsonArray rows = new JsonArray();
    list.forEach(f -> rows.add(new JsonObject().put("flagId", String.valueOf(f.flagId()))
        .put("learnerId", f.learnerId()).put("eventId", f.eventId()).put("rule", f.rule())
        .put("detail", f.detail()).put("at", f.at().toString())));
    return rows;
  }
}
