package io.learnquest.support;

import io.learnquest.store.ConnectionLeases;
import io.learnquest.store.StoreException;
import io.learnquest.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A connection-lease store in front of the real one that, once {@link #cutOff} is set, fails every
 * call as a store that is down ({@code STORE_UNAVAILABLE}) without reaching the real one: the node
 * neither takes, renews nor releases a lease, as a node cut off from Redis, or killed, would. Once
 * {@link #silent} is set, every call is left unanswered instead, as a Redis that hangs would.
 */
public final class UnreachableConnectionLeases implements ConnectionLeases {
  private final ConnectionLeases real;
  public final AtomicBoolean cutOff = new AtomicBoolean();
  public final AtomicBoolean silent = new AtomicBoolean();
  /** Calls failed because of {@link #cutOff}. */
  public final AtomicInteger failed = new AtomicInteger();
  /** Calls left unanswered because of {@link #silent}. */
  public final AtomicInteger unanswered = new AtomicInteger();

  public UnreachableConnectionLeases(ConnectionLeases real) {
    this.real = real;
  }

  /** The stores with this in front of their connection leases. */
  public Stores around(Stores stores) {
    return new Stores(stores.events(), stores.learners(), stores.leaderboards(), stores.badgeCatalog(),
        stores.auth(), stores.rateLimits(), this, stores.closer());
  }

  /** {@code call} on the real store, unless it is silent or cut off. */
  private <T> Future<T> reach(Supplier<Future<T>> call) {
    if (silent.get()) {
      unanswered.incrementAndGet();
      return Promise.<T>promise().future();
    }
    if (cutOff.get()) {
      failed.incrementAndGet();
      return Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE, "the lease store is cut off"));
    }
    return call.get();
  }

  @Override
  public Future<Boolean> acquire(Lease lease, int limit, long leaseMs) {
    return reach(() -> real.acquire(lease, limit, leaseMs));
  }

  @Override
  public Future<List<Boolean>> renew(List<Renewal> renewals, long leaseMs) {
    return reach(() -> real.renew(renewals, leaseMs));
  }

  @Override
  public Future<Void> release(Lease lease) {
    return reach(() -> real.release(lease));
  }
}
