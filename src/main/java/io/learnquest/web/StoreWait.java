package io.learnquest.web;

import io.learnquest.bus.Bus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How a limit waits for a store that holds no truth (Redis's rate budgets and connection leases,
 * docs/api.md "Limits"): a call is waited for at most {@code limits.storeWaitMs}; once one fails or
 * does not answer in time, the store is away and not asked again for {@link #SKIP_AFTER_FAILURE_MS},
 * and its failures are worth a warning at most every {@link #WARN_EVERY_MS}. What the limit does
 * meanwhile is its own: the rate limits let requests through, the push connections count on the
 * node alone. Its state is shared by the web instances of a node, as its limit is.
 */
final class StoreWait {
  static final long SKIP_AFTER_FAILURE_MS = 1_000;
  static final long WARN_EVERY_MS = 10_000;

  private final Vertx vertx;
  private final long waitMs;
  private final AtomicLong skipUntil = new AtomicLong();
  private final AtomicLong lastWarning = new AtomicLong();

  StoreWait(Vertx vertx, long waitMs) {
    this.vertx = vertx;
    this.waitMs = waitMs;
  }

  /** Whether the store failed less than {@link #SKIP_AFTER_FAILURE_MS} ago, so is not to be asked. */
  boolean away() {
    return System.currentTimeMillis() < skipUntil.get();
  }

  /** {@code call}'s answer, failed when it fails or does not answer within {@code limits.storeWaitMs}. */
  <T> Future<T> ask(Supplier<Future<T>> call) {
    return ask(call, waitMs);
  }

  /** As {@link #ask(Supplier)}, waiting at most {@code max(limits.storeWaitMs, atLeastMs)}. */
  <T> Future<T> ask(Supplier<Future<T>> call, long atLeastMs) {
    return Bus.within(vertx, call(call), Math.max(waitMs, atLeastMs));
  }

  /** {@code call}'s answer, unbounded; a call that throws fails the future. */
  static <T> Future<T> call(Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      // a client that refuses at once (its wait queue full) is a store failure like any other
      return Future.failedFuture(e);
    }
  }

  /**
   * A call that began at {@code askedAtMs} failed: the store is away for the next
   * {@link #SKIP_AFTER_FAILURE_MS}. True when this failure is to be logged (the first in
   * {@link #WARN_EVERY_MS}).
   */
  boolean failed(long askedAtMs) {
    skipUntil.set(System.currentTimeMillis() + SKIP_AFTER_FAILURE_MS);
    long last = lastWarning.get();
    return askedAtMs - last >= WARN_EVERY_MS && lastWarning.compareAndSet(last, askedAtMs);
  }
}
