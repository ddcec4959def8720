package io.learnquest.rules;

import io.learnquest.domain.Tenants;
import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.JsonMapping;
import io.learnquest.bus.NotificationFrames;
import io.learnquest.bus.TurnBatch;
import io.learnquest.config.EngineConfig;
import io.learnquest.domain.badge.LearnerFacts;
import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.xp.XpRules;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.notification.Notifications;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionMachine;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.domain.xp.XpDecision;
import io.learnquest.logging.LogFields;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.domain.xp.XpGrant;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one accepted event: asks the streaks, xp and badges verticles for their decisions, runs
 * the progression state machine itself, commits every effect at once, then updates the leaderboard
 * projection and pushes notifications. The caller guarantees one event of a learner at a time.
 */
final class EventApplier {
  private static final Logger LOG = LoggerFactory.getLogger(EventApplier.class);
  static final String DEFAULT_ZONE = "UTC";
  /**
   * How long a learner's next event waits for the leaderboard write and the live push of this one.
   * Past it they are left to the projection's self-repair and to replay, so a hung Redis or
   * notifications verticle slows nobody down for long.
   */
  static final long PROJECTION_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final LearnerStore learners;
  private final EventLog log;
  /** Kafka mode: achievements are also published to the achievements topic. */
  private final boolean achievementsTopic;
  private final EventTypes types;
  private final StreakRules streakRules;
  private final ProgressionMachine machine;
  private final int passMark;
  private final EngineConfig.FairPlaySettings fairPlay;
  private final LearnerCache cache;
  static final int CACHE_CAPACITY = 100_000;
  /** Requests to the other verticles go in batches: one message per stage for many events. */
  static final int STAGE_BATCH = 500;
  static final int STAGE_IN_FLIGHT = 2;
  private final BatchedRequests streaks;
  private final BatchedRequests xp;
  private final BatchedRequests badges;
  private final BatchedRequests boards;
  private final BatchedRequests pushes;
  private final BatchedRequests outbound;
  /** Outcomes for waiting web instances, by their address, sent once per event-loop turn. */
  private final TurnBatch<Map<String, JsonArray>> outcomes;
  private final EngineMetrics metrics;
  private final Clock clock;

  EventApplier(Vertx vertx, EngineContext context) {
    this.cache = context.shared("rules.learnerCache", () -> new LearnerCache(CACHE_CAPACITY));
    this.vertx = vertx;
    this.metrics = EngineMetrics.of(vertx);
    this.clock = context.clock();
    this.learners = context.stores().learners();
    this.log = context.stores().events();
    this.achievementsTopic = context.config().kafka().enabled();
    this.types = context.config().eventTypes();
    this.streakRules = context.streakRules();
    this.machine = context.progression();
    this.passMark = context.config().rewards().passMark();
    this.fairPlay = context.config().fairPlay();
    this.streaks = stage(Addresses.STREAKS_APPLY);
    this.xp = stage(Addresses.XP_DECIDE);
    this.badges = stage(Addresses.BADGES_EVALUATE);
    this.boards = stage(Addresses.LEADERBOARDS_UPDATE);
    this.pushes = stage(Addresses.NOTIFICATIONS_PUBLISH);
    this.outbound = stage(Addresses.NOTIFICATIONS_OUTBOUND);
    this.outcomes = new TurnBatch<>(vertx.getOrCreateContext(), LinkedHashMap::new, byAddress ->
        byAddress.forEach((address, list) -> vertx.eventBus().send(address, new JsonObject().put("outcomes", list))));
  }

  private BatchedRequests stage(String address) {
    return new BatchedRequests(vertx, address, STAGE_BATCH, STAGE_IN_FLIGHT);
  }

  /** One event's journey; the fields fill in as the decisions come back. */
  private final class Work {
    final StoredEvent stored;
    final LearningEvent event;
    Learner before;
    String zone;
    final List<Transition> transitions = new ArrayList<>();
    StreakOutcome streak;
    XpDecision xp;
    Counters counters;
    List<BadgeAward> awards;
    /** A fair-play rule holding the event back: it then moves nothing and earns nothing. */
    Flag flag;

    Work(StoredEvent stored) {
      this.stored = stored;
      this.event = stored.event();
    }

    String eventId() {
      return event.eventId();
    }

    ProgressionState state() {
      return ProgressionMachine.finalState(before.state(), transitions);
    }
  }

  /**
   * Applies one event. A conflict at commit (a stale cached learner) is retried once from a fresh
   * read; any other failure leaves the event pending for the recovery pass.
   */
  Future<Outcome> apply(StoredEvent stored) {
    return applyOnce(stored, true).recover(error -> {
      cache.evict(stored.event().learnerId());
      if (Failure.from(error).failure() != Failure.CONFLICT) {
        return Future.failedFuture(error);
      }
      // Another worker got there first (after a Kafka rebalance, or a recovery pass meeting a
      // consumer): the event is done, with the outcome that worker recorded.
      return log.event(stored.event().eventId()).compose(now -> now.isPresent() && now.get().applied()
          ? Future.succeededFuture(now.get().outcome())
          : applyOnce(stored, false));
    });
  }

  private Future<Learner> load(String learnerId, boolean cached) {
    Learner hit = cached ? cache.get(learnerId) : null;
    return hit != null ? Future.succeededFuture(hit)
        : learners.learner(learnerId).map(found -> found.orElse(null));
  }

  private Future<Outcome> applyOnce(StoredEvent stored, boolean useCache) {
    Work w = new Work(stored);
    return load(w.event.learnerId(), useCache)
        .compose(found -> {
          w.before = found != null ? found : Learner.fresh(w.event.learnerId(), streakRules.initial());
          w.zone = w.event.timezone() != null ? w.event.timezone()
              : w.before.timezone() != null ? w.before.timezone() : DEFAULT_ZONE;
          // Inactivity the sweep has not fired yet is due as of this event, so the outcome does not
          // depend on when the sweep last ran.
          w.transitions.addAll(machine.inactivity(w.before.state(), w.before.lastActivityAt(), w.event.occurredAt()));
          return decideStreak(w);
        })
        .compose(v -> decideXp(w))
        .compose(v -> {
          w.flag = fairPlay.of(Tenants.DEFAULT).judge(w.event, w.before.pace(), w.xp.xpGranted() > 0);
          if (w.flag != null) {
            withhold(w);
            return Future.succeededFuture();
          }
          w.counters = w.xp.repeat() ? w.before.counters() : w.before.counters().after(w.event, passMark);
          w.transitions.addAll(machine.onEvent(w.state(), w.event, w.counters));
          return decideBadges(w);
        })
        .compose(v -> commit(w));
  }

  private Future<Void> decideStreak(Work w) {
    JsonObject request = new JsonObject()
        .put("streak", JsonMapping.toJson(w.before.streak()))
        .put("occurredAt", w.event.occurredAt().toString())
        .put("timezone", w.zone)
        .put("study", types.isStudy(w.event.type()));
    return streaks.request(request)
        .map(reply -> {
          w.streak = JsonMapping.fromJson(reply, StreakOutcome.class);
          return null;
        });
  }

  private Future<Void> decideXp(Work w) {
    JsonObject request = new JsonObject()
        .put("event", JsonMapping.toJson(w.event))
        .put("streakDays", w.streak.state().current())
        .put("streakExtended", w.streak.extended())
        .put("xpBefore", w.before.xp());
    return xp.request(request)
        .map(reply -> {
          w.xp = JsonMapping.fromJson(reply, XpDecision.class);
          return null;
        });
  }

  private Future<Void> decideBadges(Work w) {
    LearnerFacts facts = new LearnerFacts(w.event.type(), w.event.score(), w.event.courseId(),
        LearnerFacts.metricsOf(w.xp.totalXp(), w.xp.level(), w.streak.state().current(),
            w.streak.state().longest(), w.counters),
        w.counters);
    JsonObject request = new JsonObject()
        .put("eventId", w.eventId())
        .put("at", w.event.occurredAt().toString())
        .put("facts", JsonMapping.toJson(facts))
        .put("owned", new JsonArray(new ArrayList<>(w.before.badges())));
    return badges.request(request)
        .map(reply -> {
          w.awards = JsonMapping.fromJsonArray(reply.getJsonArray("awards"), BadgeAward.class);
          return null;
        });
  }

  /**
   * A flagged event earns nothing and moves nothing: the streak, counters and badges stay, no
   * progression step is taken for it, and the ledger shows what it would have earned as 0-XP lines
   * with the rule as their reason. Inactivity already due still fires, as for any event.
   */
  private void withhold(Work w) {
    w.streak = new StreakOutcome(w.before.streak(), false, false);
    List<XpGrant> held = w.xp.grants().stream().filter(g -> g.xp() > 0).map(g -> g.withheld(w.flag.rule())).toList();
    w.xp = new XpDecision(held, false, false, w.before.xp(), w.before.level(), false);
    w.counters = w.before.counters();
    w.awards = List.of();
  }

  private Future<Outcome> commit(Work w) {
    LearningEvent e = w.event;
    Learner before = w.before;
    List<LedgerEntry> ledger = w.xp.grants().stream()
        .map(g -> new LedgerEntry(e.eventId(), g.activity(), g.baseXp(), g.multiplierPct(), g.xp(), g.reason(),
            e.occurredAt()))
        .toList();
    Notifications notes = new Notifications(before, e.eventId(), e.occurredAt())
        .streak(w.streak, w.streak.changed(before.streak()))
        .xp(w.xp.grants(), w.xp.totalXp())
        .level(before.level(), w.xp.level())
        .transitions(w.transitions)
        .badges(w.awards);
    Set<String> badges = new HashSet<>(before.badges());
    w.awards.forEach(a -> badges.add(a.badgeId()));
    Instant lastActivity = w.flag != null || (before.lastActivityAt() != null
        && !e.occurredAt().isAfter(before.lastActivityAt())) ? before.lastActivityAt() : e.occurredAt();
    Pace pace = w.flag == null && w.xp.xpGranted() > 0 ? before.pace().with(e.type(), e.occurredAt()) : before.pace();
    Learner after = new Learner(before.learnerId(), w.state(), w.xp.totalXp(), w.xp.level(),
        e.timezone() != null ? e.timezone() : before.timezone(), w.streak.state(), w.counters, lastActivity,
        badges, before.version() + 1, notes.lastSeq(), pace);
    Map<String, Long> increments = new LinkedHashMap<>();
    long gained = w.xp.xpGranted();
    if (gained > 0) {
      Board.boardsFor(e.courseId(), e.occurredAt()).forEach(b -> increments.put(b.key(), gained));
    }
    Outcome outcome = outcome(w);
    List<Notification> notifications = notes.build();
    EventApplication application = new EventApplication(e.eventId(), before.version(), after, ledger,
        w.xp.earnedActivity() ? new EventApplication.EarnedObject(e.type(), XpRules.repeatObject(e)) : null,
        w.awards, List.copyOf(w.transitions), notifications, increments, outcome,
        w.flag == null ? List.of() : List.of(w.flag));
    return publishAchievements(e.eventId(), notifications)
        .compose(v -> learners.commit(application))
        .onSuccess(totals -> {
          cache.put(after);
          // on the engine's clock, the one acceptedAt was taken from
          metrics.applied(Duration.between(w.stored.acceptedAt(), clock.instant()));
        })
        .compose(totals -> project(after.learnerId(), e.eventId(), totals, notifications))
        .map(v -> {
          reply(w.stored, outcome);
          return outcome;
        });
  }

  /**
   * Kafka mode: the achievements among {@code notifications} go to the outbound topic before the
   * commit, so an event that commits has published them (a retry may publish them twice, with the
   * same ids). Analytics must not hold the game up: past the projection timeout the event goes on
   * and the achievements stay in the notification history only.
   */
  private Future<Void> publishAchievements(String eventId, List<Notification> notifications) {
    if (!achievementsTopic) {
      return Future.succeededFuture();
    }
    List<Notification> achievements = notifications.stream().filter(Notification::achievement).toList();
    if (achievements.isEmpty()) {
      return Future.succeededFuture();
    }
    return Bus.within(vertx, outbound.request(new JsonObject().put("frames", NotificationFrames.frames(achievements))),
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
  Future<Void> project(String learnerId, String eventId, Map<String, Long> totals, List<Notification> notifications) {
    Future<?> boardsWritten = totals.isEmpty() ? Future.succeededFuture()
        : Bus.within(vertx, boards.request(
            new JsonObject().put("learnerId", learnerId).put("scores", new JsonObject(new LinkedHashMap<>(totals)))),
            PROJECTION_TIMEOUT_MS)
        .onFailure(err -> {
          LogFields.withEventId(eventId,
              () -> LOG.warn("Leaderboard update for {} failed; the boards rebuild: {}", eventId, err.getMessage()));
          vertx.eventBus().publish(Addresses.LEADERBOARDS_DIRTY, new JsonObject().put("eventId", eventId));
        });
    Future<?> pushed = notifications.isEmpty() ? Future.succeededFuture()
        : Bus.within(vertx, pushes.request(new JsonObject().put("frames", NotificationFrames.frames(notifications))),
            PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LogFields.withEventId(eventId,
            () -> LOG.warn("Live push for {} failed; clients can replay it: {}", eventId, err.getMessage())));
    return Future.join(boardsWritten, pushed).otherwiseEmpty().mapEmpty();
  }

  /** To the waiting web instance, if any: {@code {outcomes: [...]}}, one message per turn. */
  private void reply(StoredEvent stored, Outcome outcome) {
    if (stored.replyTo() != null) {
      outcomes.collect().computeIfAbsent(stored.replyTo(), a -> new JsonArray()).add(JsonMapping.toJson(outcome));
    }
  }

  private static Outcome outcome(Work w) {
    List<Outcome.Grant> grants = w.xp.grants().stream()
        .filter(XpGrant::earns)
        .map(g -> new Outcome.Grant(g.activity(), g.baseXp(), g.multiplierPct(), g.xp()))
        .toList();
    List<Outcome.Step> steps = w.transitions.stream()
        .map(t -> new Outcome.Step(t.from().name(), t.to().name(), t.event()))
        .toList();
    var s = w.streak.state();
    return new Outcome(w.eventId(), Outcome.PROCESSED, w.event.learnerId(), grants, w.xp.totalXp(), w.xp.level(),
        w.xp.levelUp(), w.awards.stream().map(BadgeAward::badgeId).toList(), steps,
        new Outcome.Streak(s.current(), s.longest(), s.freezesLeft(), w.streak.extended(), w.streak.broken()),
        w.xp.repeat());
  }

  /** Fires the inactivity transitions due at {@code now} for one learner; empty when none are due. */
  Future<List<Transition>> sweep(String learnerId, Instant now) {
    return learners.learner(learnerId).compose(found -> {
      if (found.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      Learner before = found.get();
      List<Transition> due = machine.inactivity(before.state(), before.lastActivityAt(), now);
      if (due.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      Notifications notes = new Notifications(before, null, now).transitions(due);
      Learner after = new Learner(before.learnerId(), ProgressionMachine.finalState(before.state(), due), before.xp(),
          before.level(), before.timezone(), before.streak(), before.counters(), before.lastActivityAt(),
          before.badges(), before.version() + 1, notes.lastSeq());
      List<Notification> notifications = notes.build();
      EventApplication application = new EventApplication(null, before.version(), after, List.of(), null, List.of(),
          due, notifications, Map.of(), null);
      return publishAchievements(null, notifications)
          .compose(v -> learners.commit(application))
          .andThen(ar -> {
            if (ar.succeeded()) {
              cache.put(after);
            } else {
              cache.evict(learnerId);
            }
          })
          .compose(totals -> project(learnerId, null, Map.of(), notifications))
          .map(v -> due);
    });
  }
}
