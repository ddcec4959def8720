package io.learnquest.rules;

import io.learnquest.jobs.Jobs;
import io.learnquest.store.EventLog;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of recovery after a crash: the events a node finds accepted but not applied when it
 * starts (those accepted before {@link #cutoff}) are its backlog, shown as a job of kind
 * {@value #KIND} (logged at most every 5 s, listed by {@code GET /api/v1/jobs}) until none of them
 * is pending any more. One per node, shared by its rules instances: each counts the backlog events
 * it applies ({@link #applied}, from any event loop), and the instance that claimed the job reads
 * the count and asks the log every {@link #CHECK_MS} on its own event loop.
 *
 * <p>The total is the node's pending count at start; events that another node applies, or that are
 * quarantined, are not counted as processed here, so when the backlog is gone the total is
 * corrected to what this node applied, and the result says both.
 */
final class RecoveryProgress {
  static final String KIND = "recovery";
  static final String SHARED_KEY = "rules.recovery.progress";
  static final long CHECK_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryProgress.class);

  private final Instant cutoff;
  private final AtomicLong applied = new AtomicLong();
  private final AtomicBoolean claimed = new AtomicBoolean();
  private volatile boolean counting = true;
  private Vertx vertx;
  private Jobs.Job job;
  private long timer = -1;
  private long waitingAtStart;
  private boolean checking;
  private boolean stopped;

  RecoveryProgress(Instant cutoff) {
    this.cutoff = cutoff;
  }

  Instant cutoff() {
    return cutoff;
  }

  /** An event was applied on this node: one of the backlog's when it was accepted before the start. */
  void applied(StoredEvent stored) {
    if (counting && stored.acceptedAt().isBefore(cutoff)) {
      applied.incrementAndGet();
    }
  }

  /**
   * Run by every rules instance of the node as it starts; the first one counts the backlog and,
   * when there is one, follows it as a job on its own event loop until it is gone. True for that
   * one (it calls {@link #stop} as it stops).
   */
  boolean start(Vertx vertx, EventLog log) {
    if (!claimed.compareAndSet(false, true)) {
      return false;
    }
    this.vertx = vertx;
    log.pendingCount().onComplete(ar -> {
      if (stopped) {
        return;
      }
      if (ar.failed()) {
        counting = false;
        LOG.warn("Recovery: the backlog could not be counted ({}); the recovery pass goes on without progress",
            ar.cause().toString());
        return;
      }
      waitingAtStart = ar.result();
      if (waitingAtStart == 0) {
        counting = false;
        LOG.info("Recovery: no accepted event waits to be applied");
        return;
      }
      job = new Jobs(vertx).start(KIND, waitingAtStart, new JsonObject().put("reason", "accepted events "
          + "waiting to be applied at start-up"));
      LOG.info("Recovery: {} accepted events wait to be applied (job {}); progress every 5 s", waitingAtStart,
          job.jobId());
      timer = vertx.setPeriodic(CHECK_MS, id -> check(log));
    });
    return true;
  }

  /** Advances the job to the count, and ends it once no event accepted before the start is pending. */
  private void check(EventLog log) {
    if (job == null || checking) {
      return;
    }
    advance();
    checking = true;
    log.learnersWithPending(cutoff, 1).onComplete(ar -> {
      checking = false;
      if (ar.succeeded() && ar.result().isEmpty() && job != null) {
        advance();
        counting = false;
        job.total(job.processed());
        job.done(new JsonObject().put("applied", job.processed()).put("waitingAtStart", waitingAtStart));
        finish();
      }
    });
  }

  private void advance() {
    long delta = applied.get() - job.processed();
    if (delta > 0) {
      job.advance(delta);
    } else {
      job.advance(0); // still logs and publishes the rate as time passes
    }
  }

  /** The node stops: a job still running says it did not finish here. */
  void stop() {
    stopped = true;
    if (job != null) {
      advance();
      job.failed(new IllegalStateException("the node stopped with the backlog not yet applied"));
    }
    counting = false;
    finish();
  }

  private void finish() {
    job = null;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

}
