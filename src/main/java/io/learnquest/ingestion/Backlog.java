package io.learnquest.ingestion;

import io.learnquest.store.EventLog;

/**
 * How many accepted events wait to be applied, as one ingestion instance sees it, so that it can
 * refuse new events past {@code ingestion.maxBacklog} instead of queueing without limit. It answers
 * from the store's last count plus what this instance accepted since then (a burst between two
 * counts is not missed), and asks the store again when that count is older than
 * {@link #RECOUNT_MS}: only while events arrive, and never two counts at once. Used from its
 * verticle's event loop only.
 */
final class Backlog {
  static final long RECOUNT_MS = 100;
  private final EventLog log;
  private final long max;
  private long counted;
  /** Accepted here since the last count was asked (some may be in that count: over, not under). */
  private long acceptedSince;
  private long countedAtNanos = System.nanoTime() - RECOUNT_MS * 2_000_000;
  private boolean counting;

  Backlog(EventLog log, long max) {
    this.log = log;
    this.max = max;
  }

  long max() {
    return max;
  }

  /** The backlog as last known: at least {@link #max()} means full. */
  long estimate() {
    recountIfOld();
    return counted + acceptedSince;
  }

  boolean full() {
    return estimate() >= max;
  }

  void accepted(int events) {
    acceptedSince += events;
  }

  private void recountIfOld() {
    if (counting || System.nanoTime() - countedAtNanos < RECOUNT_MS * 1_000_000) {
      return;
    }
    counting = true;
    long acceptedBefore = acceptedSince;
    log.pendingCount(max).onComplete(ar -> {
      counting = false;
      countedAtNanos = System.nanoTime();
      if (ar.succeeded()) {
        counted = ar.result();
        acceptedSince -= acceptedBefore;
      }
      // A failed count keeps the last estimate: the append itself reports a store that is away.
    });
  }
}
