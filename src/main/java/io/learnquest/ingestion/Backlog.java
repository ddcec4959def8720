package io.learnquest.ingestion;

import io.learnquest.store.EventLog;

/**
 * How many accepted events wait to be applied, as one ingestion instance sees it, so that it can
 * refuse new events past {@code ingestion.maxBacklog} instead of queueing without limit. It answers
 * from the store's last count plus what this instance accepted since then (a burst between two
 * counts is not missed), and asks the store again when that count is older than
 * {@link #RECOUNT_MS} (near the limit) or {@link #RELAXED_RECOUNT_MS} (far from it): only while
 * events arrive, and never two counts at once. Used from its
 * verticle's event loop only.
 */
final class Backlog {
  /** How old a count may be while the backlog may be half the max or more: a burst can fill it. */
  static final long RECOUNT_MS = 100;
  /**
   * How old a count may be below half the max. A count reads the pending events up to the max, and
   * every ingestion instance of every node counts; counting ten times a second while far from the
   * limit was a few percent of a loaded cluster's PostgreSQL. The estimate only grows between
   * counts, so a burst that brings it to half the max brings back the shorter interval.
   */
  static final long RELAXED_RECOUNT_MS = 1_000;
  private final EventLog log;
  private final long max;
  private long counted;
  /** Accepted here since the last count was asked (some may be in that count: over, not under). */
  private long acceptedSince;
  private long countedAtNanos = System.nanoTime() - RELAXED_RECOUNT_MS * 2_000_000;
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
    long due = 2 * (counted + acceptedSince) >= max ? RECOUNT_MS : RELAXED_RECOUNT_MS;
    if (counting || System.nanoTime() - countedAtNanos < due * 1_000_000) {
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
