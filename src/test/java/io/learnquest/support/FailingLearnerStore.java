package io.learnquest.support;

import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.learnquest.store.BoardTotalPage;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.StoreException;
import io.learnquest.store.Stores;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A learner store in front of the real one that fails the commit of chosen events: "refused" ones
 * as PostgreSQL refuses a value for good ({@code STORE_REFUSED}), "unreachable" ones as a store
 * that is down ({@code STORE_UNAVAILABLE}); and for "answers lost" ones the commit goes through but
 * its answer is lost, as when the store's connection drops after the COMMIT reached it (the first
 * commit of each only, alone or in a chain). Everything else goes through.
 */
public final class FailingLearnerStore implements LearnerStore {
  private final LearnerStore real;
  public final Set<String> refused = ConcurrentHashMap.newKeySet();
  public final Set<String> unreachable = ConcurrentHashMap.newKeySet();
  public final Set<String> answersLost = ConcurrentHashMap.newKeySet();
  /** Commits of each event alone, per eventId, failed or not. */
  public final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
  /** Commits of several events together ({@link #commitChain}), failed or not. */
  public final AtomicInteger chainTries = new AtomicInteger();
  /** Calls of {@link #hasEarned}: one object of one learner looked up. */
  public final AtomicInteger earnedLookups = new AtomicInteger();
  /** Calls of {@link #earnedObjects}: all of a learner's earned objects read. */
  public final AtomicInteger earnedListReads = new AtomicInteger();

  public FailingLearnerStore(LearnerStore real) {
    this.real = real;
  }

  /**
   * An engine (the store {@code test.store} names) with a failing learner store in front of its own,
   * which {@code holder} is given.
   */
  public static TestEngine engine(Map<String, String> env, AtomicReference<FailingLearnerStore> holder) {
    return TestEngine.start(env, stores -> {
      FailingLearnerStore failing = new FailingLearnerStore(stores.learners());
      holder.set(failing);
      return failing.around(stores);
    });
  }

  /** The stores with this in front of their learner store. */
  public Stores around(Stores stores) {
    return new Stores(stores.events(), this, stores.leaderboards(), stores.badgeCatalog(), stores.auth(), stores.rateLimits(),
        stores.connectionLeases(), stores.closer());
  }

  public int triesOf(String eventId) {
    AtomicInteger n = tries.get(eventId);
    return n == null ? 0 : n.get();
  }

  @Override
  public Future<Void> commitVoid(String tenant, io.learnquest.domain.learner.VoidApplication application) {
    return real.commitVoid(tenant, application);
  }

  @Override
  public Future<Optional<io.learnquest.domain.learner.VoidRecord>> voided(String tenant, String eventId) {
    return real.voided(tenant, eventId);
  }

  @Override
  public Future<Void> commit(String tenant, EventApplication application) {
    String eventId = application.eventId();
    if (eventId != null) {
      tries.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet();
    }
    StoreException failure = failureFor(eventId);
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    Future<Void> committed = real.commit(tenant, application);
    return eventId != null && answersLost.remove(eventId) ? committed.compose(v -> lost()) : committed;
  }

  private static <T> Future<T> lost() {
    return Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE,
        "the durable store's connection was lost before its answer"));
  }

  /**
   * Several events committed together, all or none as the durable store does: refused (or
   * unreachable) when any of them is. Counted in {@link #chainTries}, not in {@link #tries}, which
   * counts each event's own commits: the engine, refused a chain, tries its events one at a time,
   * and whether an event first went in a chain depends on how many were pending when it was read.
   */
  @Override
  public Future<Void> commitChain(String tenant, List<EventApplication> chain) {
    if (chain.size() == 1) {
      return commit(tenant, chain.get(0));
    }
    chainTries.incrementAndGet();
    for (EventApplication application : chain) {
      StoreException failure = failureFor(application.eventId());
      if (failure != null) {
        return Future.failedFuture(failure);
      }
    }
    Future<Void> committed = real.commitChain(tenant, chain);
    return chain.stream().anyMatch(a -> a.eventId() != null && answersLost.remove(a.eventId()))
        ? committed.compose(v -> lost()) : committed;
  }

  /** How the store fails the commit of {@code eventId}; null when it goes through. */
  private StoreException failureFor(String eventId) {
    if (eventId != null && refused.contains(eventId)) {
      return new StoreException(StoreException.Kind.REFUSED,
          "the durable store refused the data (SQLState 22008): date/time field value out of range");
    }
    if (eventId != null && unreachable.contains(eventId)) {
      return new StoreException(StoreException.Kind.UNAVAILABLE, "the durable store is unavailable; retry later");
    }
    return null;
  }

  @Override
  public Future<Optional<Learner>> learner(String tenant, String learnerId) {
    return real.learner(tenant, learnerId);
  }

  @Override
  public Future<Boolean> hasEarned(String tenant, String learnerId, String type, String objectId) {
    earnedLookups.incrementAndGet();
    return real.hasEarned(tenant, learnerId, type, objectId);
  }

  @Override
  public Future<Optional<List<EventApplication.EarnedObject>>> earnedObjects(String tenant, String learnerId,
                                                                           int atMost) {
    earnedListReads.incrementAndGet();
    return real.earnedObjects(tenant, learnerId, atMost);
  }

  @Override
  public Future<io.learnquest.store.LedgerPage> ledgerPage(String tenant, String learnerId, Long before, int limit) {
    return real.ledgerPage(tenant, learnerId, before, limit);
  }

  @Override
  public Future<List<BadgeAward>> badges(String tenant, String learnerId) {
    return real.badges(tenant, learnerId);
  }

  @Override
  public Future<List<Transition>> transitions(String tenant, String learnerId) {
    return real.transitions(tenant, learnerId);
  }

  @Override
  public Future<List<io.learnquest.domain.fairplay.FlagEntry>> flags(String tenant, String learnerId, int limit) {
    return real.flags(tenant, learnerId, limit);
  }

  @Override
  public Future<List<io.learnquest.domain.fairplay.FlagEntry>> flagsAfter(String tenant, long afterFlagId, int limit) {
    return real.flagsAfter(tenant, afterFlagId, limit);
  }

  @Override
  public Future<List<Notification>> notificationsAfter(String tenant, String learnerId, long afterSeq, int limit) {
    return real.notificationsAfter(tenant, learnerId, afterSeq, limit);
  }

  @Override
  public Future<List<io.learnquest.store.LearnerRef>> idleLearners(String tenant, Instant activeIdleSince, Instant atRiskIdleSince,
                                                                     int limit) {
    return real.idleLearners(tenant, activeIdleSince, atRiskIdleSince, limit);
  }

  @Override
  public Future<BoardTotalPage> boardTotals(String tenant, String afterLearnerId, int learners) {
    return real.boardTotals(tenant, afterLearnerId, learners);
  }

  @Override
  public Future<Map<String, Long>> boardTotalsOf(String tenant, String learnerId, List<String> boards) {
    return real.boardTotalsOf(tenant, learnerId, boards);
  }

  @Override
  public Future<Long> boardLearnerCount(String tenant) {
    return real.boardLearnerCount(tenant);
  }

  @Override
  public Future<List<String>> tenantsWithBoards() {
    return real.tenantsWithBoards();
  }

  @Override
  public Future<Void> eraseTenant(String tenant) {
    return real.eraseTenant(tenant);
  }

  @Override
  public Future<Void> ping() {
    return real.ping();
  }
}
