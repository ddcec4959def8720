package io.learnquest.rules;

import io.learnquest.EngineContext;
import io.learnquest.bus.Bus;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.store.LearnerRef;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.domain.learner.VoidApplication;
import io.learnquest.domain.learner.Voiding;
import io.learnquest.domain.notification.Notification;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.notifications.NotificationsService;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.StoreException;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Voids applied events ({@code POST /api/v1/events/{eventId}/void}): in the learner's own line
 * (their lock, after the events accepted before the void), the learner's applied events are replayed
 * with and without the voided one ({@link Voiding}), the difference is committed in one step
 * ({@link LearnerStore#commitVoid}), then the leaderboards are corrected and the notifications
 * pushed, as after an event.
 */
final class Voids {
  private static final Logger LOG = LoggerFactory.getLogger(Voids.class);
  /** A learner changed between the replay and its commit (another node applied an event): replay again. */
  static final int ATTEMPTS = 3;

  private final Vertx vertx;
  private final EngineContext context;
  private final EventLog log;
  private final LearnerStore learners;
  private final LearnerQueue queue;
  private final LearnerCache cache;
  private final RuleSets rules;
  private final Clock clock;
  private final LeaderboardsService leaderboards;
  private final NotificationsService notifications;

  Voids(Vertx vertx, EngineContext context, LearnerQueue queue, RuleSets rules) {
    this.rules = rules;
    this.vertx = vertx;
    this.context = context;
    this.log = context.stores().events();
    this.learners = context.stores().learners();
    this.queue = queue;
    this.cache = context.shared("rules.learnerCache", () -> new LearnerCache(EventApplier.CACHE_CAPACITY));
    this.clock = context.clock();
    this.leaderboards = new LeaderboardsService(vertx);
    this.notifications = new NotificationsService(vertx);
  }

  /**
   * The void's answer. An event accepted but not applied yet is applied
   * first (the void waits for the learner's line); one that cannot be (quarantined or discarded) is
   * a conflict. A voided event answers its void again and changes nothing.
   */
  Future<RulesService.Voided> voidEvent(RulesService.VoidRequest request) {
    String tenant = request.tenant();
    String eventId = request.eventId();
    String reason = request.reason();
    return log.event(tenant, eventId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND, "no event " + eventId,
            "eventId"));
      }
      String learnerId = found.get().event().learnerId();
      return learners.voided(tenant, eventId).compose(done -> done.isPresent()
          ? Future.succeededFuture(RulesService.Voided.of(done.get()))
          : queue.afterPending(new LearnerRef(tenant, learnerId), () -> voidInLine(tenant, eventId, learnerId, reason, 1)));
    });
  }

  private Future<RulesService.Voided> voidInLine(String tenant, String eventId, String learnerId, String reason, int attempt) {
    return learners.voided(tenant, eventId).compose(done -> {
      if (done.isPresent()) {
        return Future.succeededFuture(RulesService.Voided.of(done.get()));
      }
      return Future.all(log.event(tenant, eventId), learners.learner(tenant, learnerId),
              log.appliedEvents(tenant, learnerId), learners.ledger(tenant, learnerId, Integer.MAX_VALUE),
              rules.current(tenant))
          .compose(read -> {
            java.util.Optional<StoredEvent> stored = read.resultAt(0);
            java.util.Optional<Learner> current = read.resultAt(1);
            List<StoredEvent> applied = read.resultAt(2);
            if (stored.isEmpty() || !stored.get().applied() || current.isEmpty()) {
              return Future.failedFuture(Failure.CONFLICT.exception(ErrorCodes.CONFLICT, "event " + eventId
                  + " was never applied (it is in the quarantine, or was discarded from it): there is nothing"
                  + " to void; discard it from the quarantine instead", "eventId"));
            }
            RuleSet ruleSet = read.resultAt(4);
            List<LearningEvent> events = applied.stream().map(StoredEvent::event).toList();
            List<LedgerEntry> ledger = read.resultAt(3);
            VoidApplication app = Voiding.voidEvent(current.get(), ledger, events, eventId, ruleSet, reason,
                clock.instant());
            return learners.commitVoid(tenant, app)
                .onSuccess(v -> {
                  cache.put(tenant, app.after());
                  LOG.info("Event {} of learner {} voided: XP {} -> {}, badges revoked {}", eventId, learnerId,
                      current.get().xp(), app.after().xp(), app.record().badgesRevoked());
                })
                .onFailure(e -> cache.evict(tenant, learnerId))
                .compose(v -> project(tenant, app))
                .map(v -> RulesService.Voided.of(app.record()))
                .recover(error -> StoreException.is(error, StoreException.Kind.CONFLICT) && attempt < ATTEMPTS
                    ? voidInLine(tenant, eventId, learnerId, reason, attempt + 1) : Future.failedFuture(error));
          });
    });
  }

  /**
   * The leaderboard corrections and the live push, as after an event: both are rebuildable
   * (boards from the durable totals, notifications by replay), so a failure is logged and does not
   * undo the void. Kafka mode: the achievements among the notifications (badge_revoked above all)
   * go to the achievements topic too.
   */
  private Future<Void> project(String tenant, VoidApplication app) {
    String learnerId = app.learnerId();
    Map<String, ScoreChange> changes = app.boardChanges();
    Future<?> boards = changes.isEmpty() ? Future.succeededFuture()
        // Only a correction that failed marks the boards for a rebuild; a slow one still lands.
        : Bus.within(vertx, leaderboards.correct(new LeaderboardsService.ScoreCorrections(tenant, learnerId, changes))
                .onFailure(err -> {
                  LOG.warn("Leaderboard correction of the void of {} failed; the boards rebuild: {}", app.eventId(),
                      err.getMessage());
                  leaderboards.markDirty(app.eventId());
                }),
            EventApplier.PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LOG.debug("Leaderboard correction of the void of {} not answered in time: {}",
            app.eventId(), err.getMessage()));
    Future<?> pushed = app.notifications().isEmpty() ? Future.succeededFuture()
        : Bus.within(vertx, notifications.publish(new NotificationsService.Publish(tenant, app.notifications())),
            EventApplier.PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LOG.warn("Live push of the void of {} failed; clients can replay it: {}", app.eventId(),
            err.getMessage()));
    List<Notification> achievements = app.notifications().stream().filter(Notification::achievement).toList();
    Future<?> published = !context.config().kafka().enabled() || achievements.isEmpty() ? Future.succeededFuture()
        : Bus.within(vertx, notifications.outbound(new NotificationsService.Achievements(tenant, achievements)),
            EventApplier.PROJECTION_TIMEOUT_MS)
        .onFailure(err -> LOG.warn("Achievements of the void of {} not published to Kafka: {}", app.eventId(),
            err.getMessage()));
    return Future.join(boards, pushed, published).otherwiseEmpty().mapEmpty();
  }
}
