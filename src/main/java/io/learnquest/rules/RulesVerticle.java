package io.learnquest.rules;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Tenancy;
import io.learnquest.bus.Failure;
import io.learnquest.rules.RulesService.Discarded;
import io.learnquest.rules.RulesService.Flag;
import io.learnquest.rules.RulesService.FlagPage;
import io.learnquest.rules.RulesService.FlagPageQuery;
import io.learnquest.rules.RulesService.FlagsQuery;
import io.learnquest.rules.RulesService.LearnerFlags;
import io.learnquest.rules.RulesService.LearnerQuery;
import io.learnquest.rules.RulesService.Profile;
import io.learnquest.rules.RulesService.Quarantine;
import io.learnquest.rules.RulesService.QuarantineQuery;
import io.learnquest.rules.RulesService.Quarantined;
import io.learnquest.rules.RulesService.QuarantinedRef;
import io.learnquest.rules.RulesService.Retried;
import io.learnquest.rules.RulesService.Sweep;
import io.learnquest.rules.RulesService.SweepQuery;
import io.learnquest.rules.RulesService.Transitions;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.ingestion.IngestionService;
import io.learnquest.store.QuarantinedEvent;
import io.learnquest.domain.learner.LearnerRules;
import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.ProgressionMachine;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.shareddata.Lock;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
   * Its holder also runs the periodic recovery pass.
   */
  static final String SWEEPER_LEASE = "rules.inactivity.sweeper";
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
  /** Set while an instance of this node asks the cluster for the lease (shared by the node's instances). */
  private final AtomicBoolean leaseAsked;
  /** The node's backlog at start-up as a job; this instance stops it when it claimed it. */
  private final RecoveryProgress recovery;
  private boolean recoveryHere;

  public RulesVerticle(EngineContext context) {
    this.context = context;
    this.log = context.stores().events();
    this.learners = context.stores().learners();
    this.curve = context.config().levelCurve();
    this.clock = context.clock();
    this.sweeperHere = context.inactivitySweeperHeld();
    this.leaseAsked = context.shared("rules.inactivity.sweeper.asked", AtomicBoolean::new);
    this.recovery = context.shared(RecoveryProgress.SHARED_KEY, () -> new RecoveryProgress(clock.instant()));
  }

  @Override
  public Future<?> stop() {
    if (recoveryHere) {
      recovery.stop();
    }
    if (sweeperLease != null) {
      sweeperLease.release();
      sweeperHere.set(false);
    }
    return intake == null ? Future.succeededFuture() : intake.stop();
  }

  @Override
  public Future<?> start() {
    boolean kafka = context.config().kafka().enabled();
    LearnersPending.registerCodec(vertx);
    IngestionService.registerCodecs(vertx);
    RulesService.registerCodecs(vertx);
    RuleSets rules = new RuleSets(vertx, context.config());
    applier = new EventApplier(vertx, context, rules);
    queue = new LearnerQueue(vertx, log, stored -> applier.apply(stored).onSuccess(outcome -> recovery.applied(stored)),
        chain -> applier.applyChain(chain).onSuccess(done -> chain.forEach(recovery::applied)),
        context.shared("rules.pendingHints", kafka ? PendingHints::forKafka : PendingHints::new), !kafka,
        context.config().quarantineMaxAttempts(), LearnerQueue.MAX_DRAINING);
    vertx.setPeriodic(context.config().sweepIntervalMs(), id -> sweepOnce(null));
    vertx.setPeriodic(context.config().recoveryIntervalMs(), id -> recoverIfLeaseHolder());
    if (kafka) {
      intake = new KafkaEventIntake(vertx, context, queue, () -> {
        applier.forgetCachedLearners();
        queue.forgetPendingEvents();
      });
    }
    // The catalog is loaded before any event is taken (an event would wait for it anyway).
    return rules.start().compose(loaded -> Future.all(List.of(
        intake == null ? Future.succeededFuture() : intake.start(),
        vertx.eventBus().<LearnersPending>consumer(Addresses.RULES_LEARNER_PENDING,
            m -> queue.appended(m.body())).completion(),
        Bus.answer(vertx, Addresses.RULES_INACTIVITY_SWEEP, (SweepQuery request) -> sweepOnce(request.tenant())),
        Bus.answer(vertx, Addresses.RULES_PROFILE, this::profile),
        Bus.answer(vertx, Addresses.RULES_TRANSITIONS, this::transitions),
        Bus.answer(vertx, Addresses.RULES_QUARANTINE_LIST, this::quarantined),
        Bus.answer(vertx, Addresses.RULES_QUARANTINE_RETRY, this::retryQuarantined),
        Bus.answer(vertx, Addresses.RULES_QUARANTINE_DISCARD, this::discardQuarantined),
        Bus.answer(vertx, Addresses.RULES_VOID, new Voids(vertx, context, queue, rules)::voidEvent),
        Bus.answer(vertx, Addresses.RULES_FLAGS, this::flags),
        Bus.answer(vertx, Addresses.RULES_ALL_FLAGS, this::allFlags),
        Bus.answer(vertx, Addresses.RULES_TENANT_ERASE, this::eraseTenant),
        Bus.answer(vertx, Addresses.RULES_READY, (Void none) -> Future.all(log.ping(), learners.ping()).<Void>mapEmpty()))))
        .compose(v -> {
          recoveryHere = recovery.start(vertx, log);
          // Taken now rather than at the first sweep, so /health names the sweeper from the start.
          holdLease();
          // Started once the first pass knows the backlog: every event accepted after that reaches
          // this instance by its nudge (or record), never by a pass that began before it.
          return recover();
        });
  }

  /**
   * The periodic recovery pass, run only by the holder of the sweeper lease: one pass for the whole
   * cluster every interval, where every rules instance of every node ran its own (six a pass for
   * three nodes of two instances, each a scan of all pending events, the costliest statement of a
   * loaded cluster: docs/benchmarks.md). Any instance may apply what one pass finds, and the lease
   * moves within seconds when its holder dies. Each instance still runs one pass as it starts.
   */
  private void recoverIfLeaseHolder() {
    holdLease().onSuccess(held -> {
      if (held) {
        recover();
      }
    });
  }

  /**
   * Nudges every learner with accepted but unapplied events, e.g. after a crash. With Kafka the
   * consumers do that, so only events waiting longer than {@code kafka.recoverAfterMs} are taken:
   * those that never reached the topic (their node died first, or Kafka refused them). They are
   * produced to the topic again, for the consumer that owns their learner's partition; only those
   * Kafka does not take are applied here.
   */
  private Future<Void> recover() {
    var kafka = context.config().kafka();
    return log.learnersWithPending(kafka.enabled() ? clock.instant().minusMillis(kafka.recoverAfterMs()) : null, 10_000)
        .onSuccess(ids -> {
          if (intake == null) {
            ids.forEach(queue::recover);
          } else {
            handBack(ids);
          }
        })
        .onFailure(e -> LOG.warn("Recovery pass failed: {}", e.toString()))
        .<Void>mapEmpty()
        .otherwiseEmpty();
  }

  /** Kafka mode: hands each learner's events back to the topic, and applies here those Kafka does not take. */
  private void handBack(List<LearnerRef> learners) {
    List<Future<Void>> handed = new ArrayList<>(learners.size());
    for (LearnerRef learner : learners) {
      handed.add(intake.handBack(learner).onFailure(e -> queue.recover(learner)));
    }
    Future.join(handed).onFailure(e -> {
      long refused = handed.stream().filter(Future::failed).count();
      LOG.warn("Recovery: the pending events of {} of {} learners were not handed to Kafka ({}); applied here",
          refused, learners.size(), e.toString());
    });
  }

  /**
   * One inactivity sweep, run only by the holder of the sweeper lease; an instance without it tries
   * to take it (without waiting) and otherwise answers {@code swept: false}. A learner's own lock
   * keeps the sweep out of the way of their events. The periodic sweep takes every tenant
   * ({@code tenant} null); a tenant's admin asking for one sweeps that tenant's learners only.
   */
  private Future<Sweep> sweepOnce(String tenant) {
    if (sweeping) {
      return Future.succeededFuture(new Sweep(false, 0));
    }
    return holdLease().compose(held -> {
      if (!held || sweeping) {
        return Future.succeededFuture(new Sweep(false, 0));
      }
      sweeping = true;
      Instant now = clock.instant();
      return learners.idleLearners(tenant, now.minus(ProgressionMachine.AT_RISK_AFTER),
              now.minus(ProgressionMachine.DORMANT_AFTER), SWEEP_BATCH)
          .compose(ids -> sweepLearners(ids, 0, now, 0))
          .map(count -> new Sweep(true, count))
          .andThen(done -> sweeping = false);
    });
  }

  /**
   * True when this instance holds the lease, taking it if it is free. Only one instance of a node
   * asks the cluster at a time, and none while another instance of the node holds it: Hazelcast
   * lets a second instance of the member that holds the lock take it too, and then both of that
   * node's instances swept and ran the recovery pass.
   */
  private Future<Boolean> holdLease() {
    if (sweeperLease != null) {
      return Future.succeededFuture(true);
    }
    if (sweeperHere.get() || !leaseAsked.compareAndSet(false, true)) {
      return Future.succeededFuture(false);
    }
    return vertx.sharedData().getLockWithTimeout(SWEEPER_LEASE, 10).map(lock -> {
      sweeperLease = lock;
      sweeperHere.set(true);
      LOG.info("This node is now the inactivity sweeper");
      return true;
    }).otherwise(false).andThen(asked -> leaseAsked.set(false));
  }

  private Future<Integer> sweepLearners(List<LearnerRef> ids, int index, Instant now, int fired) {
    if (index == ids.size()) {
      return Future.succeededFuture(fired);
    }
    LearnerRef learner = ids.get(index);
    return queue.withLearnerLock(learner, () -> applier.sweep(learner.tenant(), learner.learnerId(), now))
        .map(List::size)
        .otherwise(e -> {
          LOG.warn("Inactivity sweep of {} of tenant {} failed: {}", learner.learnerId(), learner.tenant(),
              e.toString());
          return 0;
        })
        .compose(n -> sweepLearners(ids, index + 1, now, fired + n));
  }

  /**
   * The learner's part of the profile: progression state, XP, level, the XP of the next level, zone
   * and counters; not found for an unknown learner. (The streak and the badges of the profile come
   * from the streaks and badges verticles.)
   */
  private Future<Profile> profile(LearnerQuery request) {
    return learners.known(request.tenant(), request.learnerId()).map(learner -> {
      Map<String, Long> counters = new LinkedHashMap<>();
      for (Counter c : Counter.values()) {
        counters.put(c.field(), learner.counters().get(c));
      }
      return new Profile(learner.learnerId(), learner.state().name(), learner.xp(), learner.level(),
          curve.nextLevelXp(learner.level()),
          learner.timezone() != null ? learner.timezone() : LearnerRules.DEFAULT_ZONE, counters);
    });
  }

  /** The tenant's quarantined events, oldest first, at most {@code limit}, and how many there are. */
  private Future<Quarantine> quarantined(QuarantineQuery request) {
    String tenant = request.tenant();
    return Future.all(log.quarantined(tenant, request.limit()), log.quarantinedCount(tenant)).map(both ->
        new Quarantine(both.<Long>resultAt(1),
            both.<List<QuarantinedEvent>>resultAt(0).stream().map(Quarantined::of).toList()));
  }

  /**
   * Back into its learner's pending events, then that learner is drained now. Answers
   * {@code applied} (with the outcome; it left the quarantine), {@code quarantined} (it failed again
   * for good and is back in the quarantine, with the new reason) or {@code pending} (a failure a
   * retry may cure: it waits in line like any other event).
   */
  private Future<Retried> retryQuarantined(QuarantinedRef request) {
    String tenant = request.tenant();
    String eventId = request.eventId();
    return log.requeue(tenant, eventId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(notQuarantined(eventId));
      }
      String learnerId = found.get().learnerId();
      Retried pending = new Retried(eventId, learnerId, "pending", null, null, null);
      return queue.drainNow(new LearnerRef(tenant, learnerId)).map(true).otherwise(false)
          .compose(drained -> log.event(tenant, eventId).compose(stored -> {
            if (stored.isPresent() && stored.get().applied()) {
              return Future.succeededFuture(new Retried(eventId, learnerId, "applied", stored.get().outcome(), null,
                  null));
            }
            if (!drained) {
              return Future.succeededFuture(pending);
            }
            return log.quarantined(tenant, QUARANTINE_SCAN).map(list -> list.stream()
                .filter(q -> q.eventId().equals(eventId)).findFirst()
                .map(q -> new Retried(eventId, learnerId, "quarantined", null, q.reason(), q.attempts()))
                .orElse(pending));
          }));
    });
  }

  /** Voided, never applied; its eventId stays taken. */
  private Future<Discarded> discardQuarantined(QuarantinedRef request) {
    String eventId = request.eventId();
    return log.discard(request.tenant(), eventId).compose(found -> found
        .map(q -> {
          LOG.info("Quarantined event {} of learner {} discarded", eventId, q.learnerId());
          return Future.succeededFuture(Discarded.of(q));
        })
        .orElseGet(() -> Future.failedFuture(notQuarantined(eventId))));
  }

  private static Failure.EngineException notQuarantined(String eventId) {
    return Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND, "event " + eventId + " is not in the quarantine",
        "eventId");
  }

  /** The learner's transitions; not found for an unknown learner. */
  private Future<Transitions> transitions(LearnerQuery request) {
    String tenant = request.tenant();
    String learnerId = request.learnerId();
    return learners.known(tenant, learnerId).compose(learner -> learners.transitions(tenant, learnerId))
        .map(Transitions::new);
  }

  /** The learner's newest flags, at most {@code limit}; not found for an unknown learner. */
  private Future<LearnerFlags> flags(FlagsQuery request) {
    String tenant = request.tenant();
    String learnerId = request.learnerId();
    return learners.known(tenant, learnerId)
        .compose(learner -> learners.flags(tenant, learnerId, request.limit()))
        .map(list -> new LearnerFlags(list.stream().map(Flag::of).toList()));
  }

  /** Every learner's flags after the cursor, oldest first; {@code next} is null at the end. */
  private Future<FlagPage> allFlags(FlagPageQuery request) {
    int limit = request.limit();
    return learners.flagsAfter(request.tenant(), request.after(), limit).map(list -> new FlagPage(
        list.stream().map(Flag::of).toList(),
        list.size() < limit ? null : String.valueOf(list.get(list.size() - 1).flagId())));
  }

  /** The tenant's events and all recorded about its learners go, in the log and the learner store. */
  private Future<Void> eraseTenant(Tenancy.Erase request) {
    String tenant = request.tenant();
    return log.eraseTenant(tenant).compose(v -> learners.eraseTenant(tenant)).map(v -> {
      applier.forget(tenant);
      queue.forgetTenant(tenant);
      LOG.info("Erased the events and learners of tenant {}", tenant);
      return null;
    });
  }
}
