package io.learnquest.rules;

import io.learnquest.store.EventLog;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-learner order (contract section 9.3): a learner's pending events are pulled from the log in
 * acceptance order and applied one at a time under a lock named after the learner, so any number
 * of rules instances (each on its own event loop) can share the work while different learners
 * proceed concurrently. Work on a learner is coalesced: a nudge that arrives mid-drain only makes
 * the drain look once more.
 */
final class LearnerQueue {
  private static final Logger LOG = LoggerFactory.getLogger(LearnerQueue.class);
  static final int PAGE = 100;
  static final long LOCK_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final EventLog log;
  private final Function<StoredEvent, Future<?>> applier;
  private final Set<String> draining = new HashSet<>();
  private final Set<String> nudgedAgain = new HashSet<>();
  private final boolean clusterWide;

  /**
   * {@code clusterWide}: whether the learner locks span the cluster. Without Kafka any node may be
   * nudged for any learner, so they must; with Kafka a learner's partition has one consumer at a
   * time and the lock only keeps this node's own work on a learner (its consumer, recovery and
   * sweep) in single file. Two nodes meeting on a learner anyway (a rebalance, a late recovery) are
   * stopped by the commit's version guard.
   */
  LearnerQueue(Vertx vertx, EventLog log, Function<StoredEvent, Future<?>> applier, boolean clusterWide) {
    this.vertx = vertx;
    this.log = log;
    this.applier = applier;
    this.clusterWide = clusterWide;
  }

  /** Runs {@code work} while holding the learner's lock (shared with the inactivity sweep). */
  <T> Future<T> withLearnerLock(String learnerId, java.util.function.Supplier<Future<T>> work) {
    String name = "learner." + learnerId;
    return (clusterWide ? vertx.sharedData().getLockWithTimeout(name, LOCK_TIMEOUT_MS)
            : vertx.sharedData().getLocalLockWithTimeout(name, LOCK_TIMEOUT_MS))
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

  /** There may be pending events for this learner; called on the verticle's event loop. */
  void nudge(String learnerId) {
    if (!draining.add(learnerId)) {
      nudgedAgain.add(learnerId);
      return;
    }
    withLearnerLock(learnerId, () -> drain(learnerId)).onComplete(ar -> {
      draining.remove(learnerId);
      if (ar.failed()) {
        // Left pending in the log: the periodic recovery pass picks it up again.
        LOG.warn("Applying events of learner {} stopped: {}", learnerId, ar.cause().toString());
        nudgedAgain.remove(learnerId);
      } else if (nudgedAgain.remove(learnerId)) {
        nudge(learnerId);
      }
    });
  }

  /** Applies everything the log has pending for the learner now; completes when that is done. */
  Future<Void> drainNow(String learnerId) {
    return withLearnerLock(learnerId, () -> drain(learnerId));
  }

  /**
   * Applies what the log has pending for the learner. It reads the log again only when a page was
   * full; an event accepted meanwhile brings its own nudge, which makes {@link #nudge} drain again.
   */
  private Future<Void> drain(String learnerId) {
    return log.pending(learnerId, PAGE).compose(events -> {
      if (events.isEmpty()) {
        return Future.succeededFuture();
      }
      Future<Void> applied = applyInOrder(events, 0);
      return events.size() < PAGE ? applied : applied.compose(v -> drain(learnerId));
    });
  }

  private Future<Void> applyInOrder(List<StoredEvent> events, int index) {
    if (index == events.size()) {
      return Future.succeededFuture();
    }
    return applier.apply(events.get(index)).compose(v -> applyInOrder(events, index + 1));
  }
}
