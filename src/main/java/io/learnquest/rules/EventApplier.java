package io.learnquest.rules;

import io.learnquest.EngineContext;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.TurnBatch;
import io.learnquest.ingestion.IngestionService;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.notifications.NotificationsService;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LearnerRules;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.learner.Replay;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.learnquest.json.JsonMapping;
import io.learnquest.logging.LogFields;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one accepted event: loads the learner (and whether the event's object earned activity
 * XP before), computes every effect in process with the pure {@link LearnerRules#apply}, commits
 * them at once, then updates the leaderboard projection, pushes notifications and answers a
 * waiting request. The caller guarantees one event of a learner at a time.
 */
final class EventApplier {
  private static final Logger LOG = LoggerFactory.getLogger(EventApplier.class);
  /**
   * How long a learner's next event waits for the leaderboard write and the live push of this one.
   * Past it they are left to the projection's self-repair and to replay, so a hung Redis or
   * notifications verticle slows nobody down for long.
   */
  static final long PROJECTION_TIMEOUT_MS = 1_000;
  /** How long a commit that failed without a known outcome waits for the log to say whether it went through. */
  static final long UNCERTAIN_WAIT_MS = 30_000;
  static final long UNCERTAIN_ASK_MS = 250;

  private final Vertx vertx;
  private final LearnerStore learners;
  private final EventLog log;
  /** Kafka mode: achievements are also published to the achievements topic. */
  private final boolean achievementsTopic;
  private final RuleSets rules;
  private final LearnerCache cache;
  static final int CACHE_CAPACITY = 100_000;
  /** The projections, told after each commit; their requests of one turn travel as one message each. */
  private final LeaderboardsService boards;
  private final NotificationsService pushes;
  /** Outcomes for waiting web instances, by their address, sent once per event-loop turn. */
  private final TurnBatch<Map<String, List<IngestionService.Applied>>> outcomes;
  private final EngineMetrics metrics;
  private final Clock clock;

  EventApplier(Vertx vertx, EngineContext context, RuleSets rules) {
    this.cache = context.shared("rules.learnerCache", () -> new LearnerCache(CACHE_CAPACITY));
    this.vertx = vertx;
    this.metrics = EngineMetrics.of(vertx);
    this.clock = context.clock();
    this.learners = context.stores().learners();
    this.log = context.stores().events();
    this.achievementsTopic = context.config().kafka().enabled();
    this.rules = rules;
    this.boards = new LeaderboardsService(vertx);
    this.pushes = new NotificationsService(vertx);
    this.outcomes = new TurnBatch<>(vertx.getOrCreateContext(), LinkedHashMap::new, byAddress ->
        byAddress.forEach((address, list) -> vertx.eventBus().send(address, new IngestionService.Outcomes(list))));
  }

  /**
   * Applies one event. A conflict at commit (a stale cached learner) is retried once from a fresh
   * read; any other failure leaves the event pending for the recovery pass.
   */
  Future<Outcome> apply(StoredEvent stored) {
    return applyOnce(stored, true).recover(error -> {
      cache.evict(stored.tenant(), stored.event().learnerId());
      if (Failure.from(error).failure() != Failure.CONFLICT) {
        return Future.failedFuture(error);
      }
      // The event is done, with the outcome recorded: another worker got there first (after a Kafka
      // rebalance, or a recovery pass meeting a consumer), or an earlier commit of this node went
      // through and its answer was lost with the store's connection. Then nothing set the boards
      // from that commit, nor answered the waiting request: both are done here.
      return log.event(stored.tenant(), stored.event().eventId()).compose(now -> {
        if (now.isEmpty() || !now.get().applied()) {
          return applyOnce(stored, false);
        }
        Outcome outcome = now.get().outcome();
        return doneAlready(List.of(stored), Collections.singletonList(outcome)).map(v -> outcome);
      });
    });
  }

  /**
   * What a commit that went through does after it, for {@code events} (one learner's) whose
   * commit's answer this node did not get: the boards set from the durable totals, and each waiting
   * request answered with its event's {@code outcomes} (as recorded; null: none to give).
   */
  private Future<Void> doneAlready(List<StoredEvent> events, List<Outcome> outcomes) {
    return projectAgain(events).map(v -> {
      for (int i = 0; i < events.size(); i++) {
        if (outcomes.get(i) != null) {
          reply(events.get(i), JsonMapping.encode(outcomes.get(i)));
        }
      }
      return null;
    });
  }

  /**
   * Sets the learner's scores on the boards of {@code events} (one learner's) from the durable
   * totals, as their commit would have: absolute values, so setting them again when they were set
   * changes nothing. A failure leaves the boards as they are, as a failed projection does.
   */
  private Future<Void> projectAgain(List<StoredEvent> events) {
    StoredEvent last = events.get(events.size() - 1);
    String learnerId = last.event().learnerId();
    String eventId = last.event().eventId();
    Set<String> boards = new LinkedHashSet<>();
    events.forEach(e -> boards.addAll(Board.keysFor(e.event().courseId(), e.event().occurredAt())));
    return learners.boardTotalsOf(last.tenant(), learnerId, List.copyOf(boards))
        .compose(totals -> project(last.tenant(), learnerId, eventId, totals, List.of()))
        .otherwise(error -> {
          LogFields.withEventId(eventId, () -> LOG.warn(
              "Leaderboard totals of {} not read again; the boards follow the learner's next event: {}",
              eventId, error.getMessage()));
          return null;
        });
  }

  /**
   * Kafka mode, when this node's consumers gain or lose partitions: the learners cached here may
   * have had events applied by another node while their partition was away, and an event applied
   * to a stale learner would publish its achievements (computed on that learner) before its commit
   * is refused. From a fresh read they are right.
   */
  void forgetCachedLearners() {
    cache.clear();
  }

  /**
   * The learner an application starts from (null: none yet) and what is known of the objects they
   * earned activity XP for: {@code exact} all of them, read with the learner (a cache miss), or
   * {@code marks} (from the cache, or made from {@code exact}); either null when there are too many
   * to keep, and then the store answers for each object.
   */
  private record Start(Learner learner, EarnedMarks marks, Set<EventApplication.EarnedObject> exact) {
  }

  /**
   * From the cache, or read: the learner and their earned objects together, so that applying their
   * next events needs no read of the store for either.
   */
  private Future<Start> load(String tenant, String learnerId, boolean cached) {
    LearnerCache.Entry hit = cached ? cache.get(tenant, learnerId) : null;
    if (hit != null) {
      return Future.succeededFuture(new Start(hit.learner(), hit.earned(), null));
    }
    Future<Optional<Learner>> learner = learners.learner(tenant, learnerId);
    Future<Optional<List<EventApplication.EarnedObject>>> earned = learners.earnedObjects(tenant, learnerId,
        EarnedMarks.MAX);
    return Future.all(learner, earned).map(both -> new Start(learner.result().orElse(null),
        earned.result().map(EarnedMarks::of).orElse(null), earned.result().map(Set::copyOf).orElse(null)));
  }

  /** Whether the event's object earned activity XP before: the one fact of history apply needs. */
  private Future<Boolean> earnedBefore(String tenant, Start start, LearningEvent event, RuleSet ruleSet) {
    EventApplication.EarnedObject key = LearnerRules.repeatKey(event, ruleSet);
    if (key == null) {
      return Future.succeededFuture(false);
    }
    if (start.exact() != null) {
      return Future.succeededFuture(start.exact().contains(key));
    }
    if (start.marks() != null && !start.marks().mayHave(key)) {
      return Future.succeededFuture(false);
    }
    return learners.hasEarned(tenant, event.learnerId(), key.type(), key.objectId());
  }

  /** The marks after {@code applications} committed: the start's and the objects they earned. */
  private static EarnedMarks marksAfter(Start start, List<EventApplication> applications) {
    EarnedMarks marks = start.marks();
    for (EventApplication app : applications) {
      if (marks != null && app.earnedObject() != null) {
        marks = marks.with(app.earnedObject());
      }
    }
    return marks;
  }

  private Future<Outcome> applyOnce(StoredEvent stored, boolean useCache) {
    LearningEvent event = stored.event();
    String tenant = stored.tenant();
    return rules.current(tenant).compose(ruleSet -> load(tenant, event.learnerId(), useCache).compose(start ->
        earnedBefore(tenant, start, event, ruleSet).compose(earned -> {
          Learner before = start.learner() != null ? start.learner() : ruleSet.fresh(event.learnerId());
          EventApplication application = LearnerRules.apply(before, event, ruleSet, earned);
          return commit(stored, application, marksAfter(start, List.of(application)));
        })));
  }

  /**
   * Applies consecutive pending events of one learner, in order, and commits them in one atomic
   * step: each is applied to the learner the one before it left, an object earned by an earlier
   * one of them counts as earned for the later ones. Nothing is committed when this fails; the
   * caller then applies them one at a time, which tells which one failed and why.
   */
  Future<Void> applyChain(List<StoredEvent> chain) {
    String tenant = chain.get(0).tenant();
    String learnerId = chain.get(0).event().learnerId();
    return rules.current(tenant).compose(ruleSet -> load(tenant, learnerId, true).compose(start -> {
      List<Future<Boolean>> earned = new ArrayList<>(chain.size());
      chain.forEach(stored -> earned.add(earnedBefore(tenant, start, stored.event(), ruleSet)));
      return Future.all(earned).compose(answered -> {
        Learner first = start.learner() != null ? start.learner() : ruleSet.fresh(learnerId);
        // The objects the store says earned before; the replay adds those the chain itself earns.
        Set<EventApplication.EarnedObject> earnedInStore = new HashSet<>();
        for (int i = 0; i < chain.size(); i++) {
          if (earned.get(i).result()) {
            earnedInStore.add(LearnerRules.repeatKey(chain.get(i).event(), ruleSet));
          }
        }
        Replay replay = Replay.from(first, ruleSet, earnedInStore);
        chain.forEach(stored -> replay.apply(stored.event()));
        return commitChain(tenant, chain, replay.applications(), marksAfter(start, replay.applications()));
      });
    })).recover(error -> {
      cache.evict(tenant, learnerId);
      return Future.failedFuture(error);
    });
  }

  private Future<Void> commitChain(String tenant, List<StoredEvent> chain, List<EventApplication> applications,
                                   EarnedMarks earnedAfter) {
    Learner after = applications.get(applications.size() - 1).after();
    List<Notification> notifications = new ArrayList<>();
    applications.forEach(a -> notifications.addAll(a.notifications()));
    String lastEventId = applications.get(applications.size() - 1).eventId();
    List<String> outcomesJson = encodedOutcomes(applications);
    return publishAchievements(tenant, lastEventId, notifications)
        .compose(v -> learners.commitChain(tenant, applications, outcomesJson))
        .onSuccess(v -> {
          cache.put(tenant, after, earnedAfter);
          Instant now = clock.instant();
          chain.forEach(stored -> metrics.applied(Duration.between(stored.acceptedAt(), now)));
        })
        .compose(v -> project(tenant, after.learnerId(), lastEventId, EventApplication.boardTotalsAfter(applications),
            notifications))
        .<Void>map(v -> {
          for (int i = 0; i < chain.size(); i++) {
            reply(chain.get(i), outcomesJson.get(i));
          }
          return null;
        })
        .recover(error -> committedAfterAll(chain, error).mapEmpty());
  }

  private Future<Outcome> commit(StoredEvent stored, EventApplication application, EarnedMarks earnedAfter) {
    String tenant = stored.tenant();
    Learner after = application.after();
    List<Notification> notifications = application.notifications();
    List<String> outcomeJson = encodedOutcomes(List.of(application));
    return publishAchievements(tenant, application.eventId(), notifications)
        .compose(v -> learners.commitChain(tenant, List.of(application), outcomeJson))
        .onSuccess(v -> {
          cache.put(tenant, after, earnedAfter);
          // on the engine's clock, the one acceptedAt was taken from
          metrics.applied(Duration.between(stored.acceptedAt(), clock.instant()));
        })
        .compose(v -> project(tenant, after.learnerId(), application.eventId(), application.boardTotals(),
            notifications))
        .map(v -> {
          reply(stored, outcomeJson.get(0));
          return application.outcome();
        })
        .recover(error -> committedAfterAll(List.of(stored), error).map(outcomes -> outcomes.get(0)));
  }

  /**
   * After a commit failed for a reason another try may cure (the store went away), whether it
   * went through anyway: the connection may have dropped after the COMMIT reached the store, and
   * then the events are applied but nothing set their boards or answered their waiting requests,
   * and the recovery pass, which looks for pending events, would never come back to them. So the
   * log is asked (all of a commit or none of it is applied: its last event tells), every
   * {@link #UNCERTAIN_ASK_MS} until the store answers, for up to {@link #UNCERTAIN_WAIT_MS}: applied,
   * the boards are set from the durable totals and the requests get the outcomes recorded; not
   * applied (or no answer in time), the commit's own failure stands.
   */
  private Future<List<Outcome>> committedAfterAll(List<StoredEvent> events, Throwable error) {
    if (FailureKinds.permanent(error) || Failure.from(error).failure() == Failure.CONFLICT) {
      return Future.failedFuture(error);
    }
    StoredEvent last = events.get(events.size() - 1);
    long deadline = System.nanoTime() + UNCERTAIN_WAIT_MS * 1_000_000;
    return askUntilAnswered(last, deadline).compose(found -> {
      if (found.isEmpty() || !found.get().applied()) {
        return Future.<List<Outcome>>failedFuture(error);
      }
      cache.evict(last.tenant(), last.event().learnerId());
      LOG.info("A commit reported as failed ({}) had gone through: its events are done", error.getMessage());
      Instant now = clock.instant();
      events.forEach(e -> metrics.applied(Duration.between(e.acceptedAt(), now)));
      // the last event's record is the one just read; the others' outcomes are read too
      List<Future<Optional<StoredEvent>>> recorded = new ArrayList<>(events.size());
      events.subList(0, events.size() - 1).forEach(e -> recorded.add(log.event(e.tenant(), e.event().eventId())));
      recorded.add(Future.succeededFuture(found));
      return Future.all(recorded).compose(all -> {
        List<Outcome> outcomes = new ArrayList<>(events.size());
        for (Future<Optional<StoredEvent>> r : recorded) {
          outcomes.add(r.result().map(StoredEvent::outcome).orElse(null));
        }
        return doneAlready(events, outcomes).map(v -> outcomes);
      });
    }, unanswered -> Future.failedFuture(error));
  }

  /** The log's record of {@code stored}, asked again while the store does not answer, until {@code deadline}. */
  private Future<Optional<StoredEvent>> askUntilAnswered(StoredEvent stored, long deadline) {
    return log.event(stored.tenant(), stored.event().eventId()).recover(error -> {
      if (System.nanoTime() - deadline >= 0) {
        return Future.failedFuture(error);
      }
      return vertx.timer(UNCERTAIN_ASK_MS, TimeUnit.MILLISECONDS).compose(v -> askUntilAnswered(stored, deadline));
    });
  }

  /**
   * Kafka mode: the achievements among {@code notifications} go to the outbound topic before the
   * commit, so an event that commits has published them (a retry may publish them twice, with the
   * same ids). Analytics must not hold the game up: past the projection timeout the event goes on
   * and the achievements stay in the notification history only.
   */
  private Future<Void> publishAchievements(String tenant, String eventId, List<Notification> notifications) {
    if (!achievementsTopic) {
      return Future.succeededFuture();
    }
    List<Notification> achievements = notifications.stream().filter(Notification::achievement).toList();
    if (achievements.isEmpty()) {
      return Future.succeededFuture();
    }
    return Bus.within(vertx, pushes.outbound(new NotificationsService.Achievements(tenant, achievements)),
            PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LogFields.withEventId(eventId,
            () -> LOG.warn("Achievements of {} not published to Kafka: {}", eventId, err.getMessage())))
        .otherwiseEmpty()
        .mapEmpty();
  }

  /**
   * Effects outside the durable store. Both are rebuildable (leaderboards from totals, missed
   * notifications by replay), so a failure here is logged and does not undo the commit.
   */
  Future<Void> project(String tenant, String learnerId, String eventId, Map<String, Long> totals,
                       List<Notification> notifications) {
    Future<?> boardsWritten = totals.isEmpty() ? Future.succeededFuture()
        : Bus.within(vertx, boardsUpdate(eventId, boards.update(new LeaderboardsService.ScoresUpdate(tenant, learnerId,
            totals))), PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LogFields.withEventId(eventId,
            () -> LOG.debug("Leaderboard update for {} not answered in time; the next event goes on: {}", eventId,
                err.getMessage())));
    Future<?> pushed = notifications.isEmpty() ? Future.succeededFuture()
        : Bus.within(vertx, pushes.publish(new NotificationsService.Publish(tenant, notifications)),
            PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LogFields.withEventId(eventId,
            () -> LOG.warn("Live push for {} failed; clients can replay it: {}", eventId, err.getMessage())));
    return Future.join(boardsWritten, pushed).otherwiseEmpty().mapEmpty();
  }

  /**
   * The leaderboard write of an event, marking the boards for a rebuild when it failed. Only a write
   * that failed does: one merely slower than {@link #PROJECTION_TIMEOUT_MS} still lands (the event
   * stops waiting for it, the write goes on), and taking the wait's end for a failure made a slow
   * moment of Redis rebuild every board each recovery interval, which slowed Redis further: under
   * load every write then ran past the wait, and the node rebuilt without end.
   */
  Future<Void> boardsUpdate(String eventId, Future<Void> write) {
    return write.onFailure(err -> {
      LogFields.withEventId(eventId,
          () -> LOG.warn("Leaderboard update for {} failed; the boards rebuild: {}", eventId, err.getMessage()));
      boards.markDirty(eventId);
    });
  }

  /**
   * The applications' outcomes as JSON, encoded once here: the store keeps these texts and the
   * waiting requests are answered with them.
   */
  private static List<String> encodedOutcomes(List<EventApplication> applications) {
    List<String> encoded = new ArrayList<>(applications.size());
    applications.forEach(a -> encoded.add(JsonMapping.encode(a.outcome())));
    return encoded;
  }

  /** To the waiting web instance, if any: {@link IngestionService.Outcomes}, one message per turn. */
  private void reply(StoredEvent stored, String outcomeJson) {
    if (stored.replyTo() != null) {
      outcomes.collect().computeIfAbsent(stored.replyTo(), a -> new ArrayList<>())
          .add(new IngestionService.Applied(stored.tenant(), stored.event().eventId(), outcomeJson));
    }
  }

  /** Drops what this node holds of the tenant's learners (their data was erased). */
  void forget(String tenant) {
    cache.evictTenant(tenant);
  }

  /** Fires the inactivity transitions due at {@code now} for one learner; empty when none are due. */
  Future<List<Transition>> sweep(String tenant, String learnerId, Instant now) {
    return learners.learner(tenant, learnerId).compose(found -> {
      EventApplication application = found.flatMap(before ->
          LearnerRules.sweep(before, now, rules.configured(tenant))).orElse(null);
      if (application == null) {
        return Future.succeededFuture(List.of());
      }
      List<Notification> notifications = application.notifications();
      return publishAchievements(tenant, null, notifications)
          .compose(v -> learners.commit(tenant, application))
          .andThen(ar -> {
            if (ar.succeeded()) {
              cache.putEarningNothing(tenant, application.expectedVersion(), application.after());
            } else {
              cache.evict(tenant, learnerId);
            }
          })
          .compose(v -> project(tenant, learnerId, null, Map.of(), notifications))
          .map(v -> application.transitions());
    });
  }
}
