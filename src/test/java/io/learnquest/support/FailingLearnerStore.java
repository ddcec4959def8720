package io.learnquest.support;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.learnquest.store.BoardTotal;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.Stores;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A learner store in front of the real one that fails the commit of chosen events: "refused" ones
 * as PostgreSQL refuses a value for good ({@code STORE_REFUSED}), "unreachable" ones as a store
 * that is down ({@code STORE_UNAVAILABLE}). Everything else goes through.
 */
public final class FailingLearnerStore implements LearnerStore {
  private final LearnerStore real;
  public final Set<String> refused = ConcurrentHashMap.newKeySet();
  public final Set<String> unreachable = ConcurrentHashMap.newKeySet();
  /** Commits tried per eventId, failed or not. */
  public final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

  public FailingLearnerStore(LearnerStore real) {
    this.real = real;
  }

  /** The stores with this in front of their learner store. */
  public Stores around(Stores stores) {
    return new Stores(stores.events(), this, stores.leaderboards(), stores.badgeCatalog(), stores.auth(),
        stores.closer());
  }

  public int triesOf(String eventId) {
    AtomicInteger n = tries.get(eventId);
    return n == null ? 0 : n.get();
  }

  @Override
  public Future<Map<String, Long>> commit(EventApplication application) {
    String eventId = application.eventId();
    if (eventId != null) {
      tries.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
      if (refused.contains(eventId)) {
        return Future.failedFuture(Failure.STORE_REFUSED.exception(ErrorCodes.STORE_REFUSED,
            "the durable store refused the data (SQLState 22008): date/time field value out of range", null));
      }
      if (unreachable.contains(eventId)) {
        return Future.failedFuture(Failure.STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
            "the durable store is unavailable; retry later", null));
      }
    }
    return real.commit(application);
  }

  @Override
  public Future<Optional<Learner>> learner(String learnerId) {
    return real.learner(learnerId);
  }

  @Override
  public Future<Boolean> hasEarned(String learnerId, String type, String objectId) {
    return real.hasEarned(learnerId, type, objectId);
  }

  @Override
  public Future<List<LedgerEntry>> ledger(String learnerId, int limit) {
    return real.ledger(learnerId, limit);
  }

  @Override
  public Future<List<BadgeAward>> badges(String learnerId) {
    return real.badges(learnerId);
  }

  @Override
  public Future<List<Transition>> transitions(String learnerId) {
    return real.transitions(learnerId);
  }

  @Override
  public Future<List<io.learnquest.domain.fairplay.FlagEntry>> flags(String learnerId, int limit) {
    return real.flags(learnerId, limit);
  }

  @Override
  public Future<List<io.learnquest.domain.fairplay.FlagEntry>> flagsAfter(long afterFlagId, int limit) {
    return real.flagsAfter(afterFlagId, limit);
  }

  @Override
  public Future<List<Notification>> notificationsAfter(String learnerId, long afterSeq, int limit) {
    return real.notificationsAfter(learnerId, afterSeq, limit);
  }

  @Override
  public Future<List<String>> idleLearners(Instant activeIdleSince, Instant atRiskIdleSince, int limit) {
    return real.idleLearners(activeIdleSince, atRiskIdleSince, limit);
  }

  @Override
  public Future<List<BoardTotal>> boardTotals(BoardTotal after, int limit) {
    return real.boardTotals(after, limit);
  }

  @Override
  public Future<Long> boardTotalCount() {
    return real.boardTotalCount();
  }

  @Override
  public Future<Void> ping() {
    return real.ping();
  }
}
