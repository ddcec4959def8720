package io.learnquest.rules;

import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-learner order (docs/rules.md, invariant 3): a learner's pending events are pulled from the log in
 * acceptance order and applied one at a time under a lock named after the learner, so any number
 * of rules instances (each on its own event loop) can share the work while different learners
 * proceed concurrently. Work on a learner is coalesced: a nudge that arrives mid-drain only makes
 * the drain look once more. An instance drains a bounded number of learners at once; the others
 * wait their turn. A learner is a tenant's ({@link LearnerRef}): the same learnerId in two tenants
 * is two queues and two locks.
 */
final class LearnerQueue {
  private static final Logger LOG = LoggerFactory.getLogger(LearnerQueue.class);
  /** Events read per learner at a time: small, so a thousand learners drained at once hold 25,000 at most. */
  static final int PAGE = 25;
  static final long LOCK_TIMEOUT_MS = 30_000;
  /**
   * Learners drained at once by one instance; later nudges wait their turn. Live traffic keeps far
   * fewer busy, but the recovery pass after a crash nudges every learner with a backlog at once:
   * unbounded, a node loaded all their pages together, thrashed its heap and timed out its own
   * locks and requests (docs/benchmarks.md, "Recovering a backlog").
   */
  static final int MAX_DRAINING = 1024;
  /** How long a recovery offer waits for a learner's lock before leaving the learner to its holder. */
  static final long BUSY_CHECK_MS = 1;

  private final Vertx vertx;
  private final EventLog log;
  private final Function<StoredEvent, Future<?>> applier;
  private final Function<List<StoredEvent>, Future<?>> chainApplier;
  /** What ingestion said it appended, shared by the node's rules instances. */
  private final PendingHints hints;
  private final Set<LearnerRef> draining = new HashSet<>();
  private final Set<LearnerRef> nudgedAgain = new HashSet<>();
  /**
   * Offered while {@link #maxDraining} learners were being drained, first offered first; true for
   * those only the recovery pass offered (see {@link #recover}).
   */
  private final Map<LearnerRef, Boolean> waiting = new LinkedHashMap<>();
  private final int maxDraining;
  private boolean startingWaiting;
  private final boolean clusterWide;
  /** Tries an event gets when each fails in a way no retry can cure, before it is quarantined. */
  private final int maxAttempts;

  /**
   * {@code clusterWide}: whether the learner locks span the cluster. Without Kafka any node may be
   * nudged for any learner, so they must; with Kafka a learner's partition has one consumer at a
   * time and the lock only keeps this node's own work on a learner (its consumer, recovery and
   * sweep) in single file. Two nodes meeting on a learner anyway (a rebalance, a late recovery) are
   * stopped by the commit's version guard.
   */
  LearnerQueue(Vertx vertx, EventLog log, Function<StoredEvent, Future<?>> applier, boolean clusterWide,
               int maxAttempts) {
    this(vertx, log, applier, clusterWide, maxAttempts, MAX_DRAINING);
  }

  LearnerQueue(Vertx vertx, EventLog log, Function<StoredEvent, Future<?>> applier, boolean clusterWide,
               int maxAttempts, int maxDraining) {
    this(vertx, log, applier, null, clusterWide, maxAttempts, maxDraining);
  }

  /**
   * {@code chainApplier}: applies several consecutive pending events of one learner and commits
   * them together, or fails having committed none of them; null to apply every event alone.
   */
  LearnerQueue(Vertx vertx, EventLog log, Function<StoredEvent, Future<?>> applier,
               Function<List<StoredEvent>, Future<?>> chainApplier, boolean clusterWide, int maxAttempts,
               int maxDraining) {
    this(vertx, log, applier, chainApplier, new PendingHints(), clusterWide, maxAttempts, maxDraining);
  }

  /** {@code hints}: the node's {@link PendingHints}, shared by its rules instances. */
  LearnerQueue(Vertx vertx, EventLog log, Function<StoredEvent, Future<?>> applier,
               Function<List<StoredEvent>, Future<?>> chainApplier, PendingHints hints, boolean clusterWide,
               int maxAttempts, int maxDraining) {
    this.vertx = vertx;
    this.hints = hints;
    this.log = log;
    this.applier = applier;
    this.chainApplier = chainApplier;
    this.clusterWide = clusterWide;
    this.maxAttempts = maxAttempts;
    this.maxDraining = maxDraining;
  }

  /** Runs {@code work} while holding the learner's lock (shared with the inactivity sweep). */
  <T> Future<T> withLearnerLock(LearnerRef learner, java.util.function.Supplier<Future<T>> work) {
    return withLearnerLock(learner, LOCK_TIMEOUT_MS, work);
  }

  private <T> Future<T> withLearnerLock(LearnerRef learner, long timeoutMs,
                                        java.util.function.Supplier<Future<T>> work) {
    // tenant ids are [a-z0-9-]: the first '/' ends the tenant
    String name = "learner." + learner.tenant() + "/" + learner.learnerId();
    return (clusterWide ? vertx.sharedData().getLockWithTimeout(name, timeoutMs)
            : vertx.sharedData().getLocalLockWithTimeout(name, timeoutMs))
        .recover(e -> Future.failedFuture(new LearnerBusy(e)))
        .compose(lock -> {
          Future<T> result;
          try {
            result = work.get();
          } catch (RuntimeException e) {
            result = Future.failedFuture(e);
          }
          return result.andThen(ar -> lock.release());
        });
  }

  /** The learner's lock was not had in time: someone else is applying their events. */
  private static final class LearnerBusy extends RuntimeException {
    LearnerBusy(Throwable cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** There may be pending events for this learner, to be read from the log; called on the verticle's event loop. */
  void nudge(LearnerRef learner) {
    hints.readLog(learner);
    offer(learner, false);
  }

  /**
   * Ingestion appended events for these learners: those it names are applied without reading them
   * back when {@link PendingHints} can vouch that they are all the learner has pending; a learner
   * named without events is read from the log.
   */
  void appended(LearnersPending appended) {
    hints.add(appended.events());
    Set<LearnerRef> withEvents = new HashSet<>();
    appended.events().forEach(p -> withEvents.add(p.stored().learner()));
    for (LearnerRef learner : appended.learners()) {
      if (!withEvents.contains(learner)) {
        hints.readLog(learner);
      }
      offer(learner, false);
    }
  }

  /**
   * The Kafka intake's batch: these events are pending as they are (see {@link #appended}), and
   * these learners must be read from the log. Their drains follow ({@link #drainHandedOver}).
   */
  void handOver(List<PendingEvent> events, Collection<LearnerRef> readFromLog) {
    hints.add(events);
    readFromLog.forEach(hints::readLog);
  }

  /**
   * Applies what the learner has pending, as {@link #nudge} does, but now: completes when that is
   * done. The handed-over events are taken without reading the log when they can be vouched for.
   */
  Future<Void> drainHandedOver(LearnerRef learner) {
    return withLearnerLock(learner, () -> drain(learner, false));
  }

  /**
   * Drops what is known of every learner's pending events (Kafka mode: this node's partitions moved,
   * and the records it reads next may be of events another node applied meanwhile).
   */
  void forgetPendingEvents() {
    hints.forgetAll();
  }

  /** Drops what is known of the tenant's learners' pending events (its data was erased). */
  void forgetTenant(String tenant) {
    hints.forgetTenant(tenant);
  }

  /**
   * From the recovery pass: the learner has events waiting since before the pass. A learner this
   * instance is draining, or has waiting its turn, is left to that drain; whatever it does not take
   * is still pending at the next pass. Otherwise the learner is offered and its drain reads the log
   * (nothing handed over says what it has pending). If another instance or node is applying their
   * events right now (their lock is taken), this one does not wait for the lock: that drain, or the
   * next pass, applies them. Waiting would hold a place for nothing, and every instance's pass at
   * start offers the same learners. Only a drain this offer starts reads the log: marking every learner
   * the pass finds for a read made the live drains of a node that had fallen behind read the log
   * too, just when it could least afford it.
   */
  void recover(LearnerRef learner) {
    if (!draining.contains(learner) && !waiting.containsKey(learner)) {
      offer(learner, true);
    }
  }

  private void offer(LearnerRef learnerId, boolean unlessBusy) {
    if (draining.contains(learnerId)) {
      nudgedAgain.add(learnerId);
    } else if (draining.size() >= maxDraining) {
      waiting.merge(learnerId, unlessBusy, Boolean::logicalAnd);
    } else {
      startDraining(learnerId, unlessBusy);
    }
  }

  private void startDraining(LearnerRef learnerId, boolean unlessBusy) {
    draining.add(learnerId);
    // A recovery offer (unlessBusy) reads the log; a nudge takes what was handed over.
    withLearnerLock(learnerId, unlessBusy ? BUSY_CHECK_MS : LOCK_TIMEOUT_MS, () -> drain(learnerId, unlessBusy)).onComplete(ar -> {
      draining.remove(learnerId);
      boolean again = nudgedAgain.remove(learnerId);
      if (ar.failed() && !(unlessBusy && ar.cause() instanceof LearnerBusy)) {
        // Left pending in the log: the periodic recovery pass picks it up again.
        LOG.warn("Applying events of learner {} of tenant {} stopped: {}", learnerId.learnerId(), learnerId.tenant(),
            ar.cause().toString());
      } else if (again) {
        startDraining(learnerId, false);
      }
      startWaiting();
    });
  }

  /**
   * Gives the free places to the learners waiting longest. A drain that completes at once calls
   * back into here; the loop already running takes its place instead, so the stack stays flat.
   */
  private void startWaiting() {
    if (startingWaiting) {
      return;
    }
    startingWaiting = true;
    try {
      while (draining.size() < maxDraining && !waiting.isEmpty()) {
        Map.Entry<LearnerRef, Boolean> next = waiting.entrySet().iterator().next();
        waiting.remove(next.getKey());
        offer(next.getKey(), next.getValue());
      }
    } finally {
      startingWaiting = false;
    }
  }

  /**
   * Runs {@code work} holding the learner's lock, once everything the log has pending for the
   * learner is applied: a change to the learner's history (a void) comes after the events accepted
   * before it and never between two of them.
   */
  <T> Future<T> afterPending(LearnerRef learner, java.util.function.Supplier<Future<T>> work) {
    return withLearnerLock(learner, () -> drain(learner, true).compose(v -> work.get()));
  }

  /** Applies everything the log has pending for the learner now; completes when that is done. */
  Future<Void> drainNow(LearnerRef learner) {
    return withLearnerLock(learner, () -> drain(learner, true));
  }

  /**
   * Applies what the learner has pending: the events ingestion handed over when {@link PendingHints}
   * vouches for them, else (or when {@code readLog}) what the log has pending. It reads the log
   * again only when a page was full; an event accepted meanwhile brings its own nudge, which makes
   * {@link #offer} drain again. A drain that fails leaves the learner's next one to read the log.
   */
  private Future<Void> drain(LearnerRef learner, boolean readLog) {
    List<StoredEvent> handedOver = readLog ? null : hints.next(learner, PAGE);
    Future<Void> drained;
    if (handedOver == null) {
      // Handed over before the read: if still pending, the read sees them.
      Set<Long> heldBefore = hints.held(learner);
      drained = log.pending(learner.tenant(), learner.learnerId(), PAGE).compose(events -> {
        if (events.isEmpty()) {
          hints.notPending(learner, heldBefore);
          return Future.succeededFuture();
        }
        boolean full = events.size() == PAGE;
        return applyPage(events).compose(v -> {
          hints.done(learner, events);
          if (full) {
            return drain(learner, true);
          }
          // A page not full is all the log had pending: a handed-over event it did not hold is done.
          hints.notPending(learner, heldBefore);
          return Future.succeededFuture();
        });
      });
    } else if (handedOver.isEmpty()) {
      return Future.succeededFuture();
    } else {
      drained = applyPage(handedOver).compose(v -> {
        hints.done(learner, handedOver);
        return drain(learner, false);
      });
    }
    return drained.onFailure(error -> hints.forget(learner));
  }

  /** Consecutive pending events of one learner, applied in order: together when there are several. */
  private Future<Void> applyPage(List<StoredEvent> events) {
    return events.size() > 1 && chainApplier != null ? applyTogether(events) : applyInOrder(events, 0);
  }

  /**
   * The learner's pending events applied and committed together: one commit for all of them
   * instead of one each, which is what bounds a learner whose events arrive faster than one
   * commit's time. Should that fail, nothing of it was committed, and they are applied one at a
   * time, each failure then handled as its own.
   */
  private Future<Void> applyTogether(List<StoredEvent> events) {
    Future<?> applied;
    try {
      applied = chainApplier.apply(events);
    } catch (RuntimeException | StackOverflowError e) {
      applied = Future.failedFuture(e);
    }
    return applied.<Void>mapEmpty().recover(error -> applyInOrder(events, 0));
  }

  private Future<Void> applyInOrder(List<StoredEvent> events, int index) {
    if (index == events.size()) {
      return Future.succeededFuture();
    }
    return applyOrSetAside(events.get(index), 1).compose(v -> applyInOrder(events, index + 1));
  }

  /**
   * Applies one event. A failure that a retry may cure (a store down) stops the drain: the event
   * stays first in line and the recovery pass tries again, as long as it takes. A failure no retry
   * can cure (the store refuses the data, applying throws) is tried again at once, up to
   * {@link #maxAttempts} tries in all, and then the event is moved aside into the quarantine, so
   * the learner's later events go on.
   */
  private Future<Void> applyOrSetAside(StoredEvent stored, int attempt) {
    Future<?> applied;
    try {
      applied = applier.apply(stored);
    } catch (RuntimeException | StackOverflowError e) {
      applied = Future.failedFuture(e);
    }
    return applied.<Void>mapEmpty().recover(error -> {
      if (!FailureKinds.permanent(error)) {
        return Future.failedFuture(error);
      }
      if (attempt < maxAttempts) {
        return applyOrSetAside(stored, attempt + 1);
      }
      String eventId = stored.event().eventId();
      String reason = FailureKinds.reason(error);
      return log.quarantine(stored.tenant(), eventId, reason, attempt).onSuccess(moved -> {
        if (moved) {
          LOG.warn("Event {} of learner {} quarantined after {} attempts: {}", eventId, stored.event().learnerId(),
              attempt, reason);
        }
      }).mapEmpty();
    });
  }
}
