package io.learnquest.web;

import io.learnquest.store.ConnectionLeases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live push connections (WebSocket and SSE) of this node, shared by every web instance of the
 * node, and {@code limits.connectionsPerLearner} over them (docs/api.md, "Limits"). A connection is
 * let in when its learner holds fewer on this node and the cluster's {@link ConnectionLeases} give
 * it a lease (on the durable stores, leases live in Redis, so the limit holds across all nodes).
 * The node renews its leases every third of {@code limits.connectionLeaseMs}; a node that dies
 * stops renewing, and its connections stop counting within one lease.
 *
 * <p>When the lease store fails or does not answer within {@code limits.storeWaitMs}, the connection is
 * let in on this node's own count alone (the limit then holds per node, as with no shared store:
 * bounded, never open-ended), the store is not asked again for a second, and a warning is logged
 * at most every ten seconds ({@link StoreWait}). Push serves no truth that Redis holds,
 * and an outage of Redis must not cut learners off; the next renewal that reaches the store adds
 * the leases of the connections let in meanwhile, so the cluster's count is whole again.
 */
final class PushConnections {
  private static final Logger LOG = LoggerFactory.getLogger(PushConnections.class);
  static final String KEY = "web.pushConnections";

  /** A refusal: the learner already holds {@code max} live connections. */
  static final class TooMany extends RuntimeException {
    final int max;

    TooMany(int max) {
      super("this learner already holds " + max + " live connections (limits.connectionsPerLearner): close one first",
          null, false, false);
      this.max = max;
    }
  }

  /** One connection let in, and whether the lease store is known to hold its lease. */
  static final class Held {
    final ConnectionLeases.Lease lease;
    volatile boolean inStore;

    private Held(ConnectionLeases.Lease lease) {
      this.lease = lease;
    }
  }

  private final ConnectionLeases leases;
  private final long leaseMs;
  private final StoreWait store;
  /** Names this node's leases among the cluster's: a node that restarts is a new holder. */
  private final String nodeId = UUID.randomUUID().toString().substring(0, 13);
  private final AtomicLong connectionIds = new AtomicLong();
  /** Live connections per tenant and learner on this node. */
  private final ConcurrentHashMap<String, Integer> live = new ConcurrentHashMap<>();
  /** This node's leases by holder, renewed until released. */
  private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
  private final AtomicBoolean renewing = new AtomicBoolean();

  /**
   * Renews every third of {@code leaseMs}, on a timer of the calling verticle's context (cancelled
   * when it is undeployed: the web instances are undeployed together, when the node stops).
   */
  PushConnections(Vertx vertx, ConnectionLeases leases, long leaseMs, long storeWaitMs) {
    this.leases = leases;
    this.leaseMs = leaseMs;
    this.store = new StoreWait(vertx, storeWaitMs);
    vertx.setPeriodic(Math.max(1, leaseMs / 3), id -> renew());
  }

  /**
   * Lets one more connection of the learner in, unless it holds {@code max} already, on this node
   * or in the cluster: fails with {@link TooMany} then, and with nothing else.
   */
  Future<Held> open(String tenantId, String learnerId, int max) {
    if (!count(tenantId, learnerId, max)) {
      return Future.failedFuture(new TooMany(max));
    }
    Held connection = new Held(new ConnectionLeases.Lease(tenantId, learnerId,
        nodeId + ":" + connectionIds.incrementAndGet()));
    if (store.away()) {
      held.put(connection.lease.holder(), connection);
      return Future.succeededFuture(connection);
    }
    long nowMs = System.currentTimeMillis();
    return store.ask(() -> leases.acquire(connection.lease, max, leaseMs)).transform(ar -> {
      if (ar.succeeded() && !ar.result()) {
        uncount(tenantId, learnerId);
        return Future.failedFuture(new TooMany(max));
      }
      if (ar.succeeded()) {
        connection.inStore = true;
      } else {
        storeAway(nowMs, "let in on this node's count alone", ar.cause());
      }
      held.put(connection.lease.holder(), connection);
      return Future.succeededFuture(connection);
    });
  }

  /** The connection ended: its slot is free on this node at once, and in the cluster once the store hears. */
  void close(Held connection) {
    if (held.remove(connection.lease.holder()) == null) {
      return;
    }
    uncount(connection.lease.tenantId(), connection.lease.learnerId());
    // not released, the lease still ends: nobody renews it any more
    StoreWait.call(() -> leases.release(connection.lease)).onFailure(e -> LOG.debug(
        "A connection lease was not released ({}); it expires within {} ms", e.toString(), leaseMs));
  }

  /** Extends every lease of this node; one renewal at a time, a tick that finds one running skips. */
  private void renew() {
    if (held.isEmpty() || !renewing.compareAndSet(false, true)) {
      return;
    }
    List<Held> connections = new ArrayList<>(held.values());
    List<ConnectionLeases.Renewal> renewals = new ArrayList<>(connections.size());
    // a lease the store is known to hold is only extended: a renewal racing its release must not
    // bring it back; one it may lack (let in while it was away, or lost since) is added again
    connections.forEach(c -> renewals.add(new ConnectionLeases.Renewal(c.lease, !c.inStore)));
    long nowMs = System.currentTimeMillis();
    store.ask(() -> leases.renew(renewals, leaseMs), leaseMs / 3).onComplete(ar -> {
      renewing.set(false);
      if (ar.failed()) {
        storeAway(nowMs, "not renewed", ar.cause());
        return;
      }
      for (int i = 0; i < connections.size(); i++) {
        connections.get(i).inStore = ar.result().get(i);
      }
    });
  }

  private void storeAway(long nowMs, String what, Throwable cause) {
    if (store.failed(nowMs)) {
      LOG.warn("Push connection limits hold per node only: the connection-lease store failed ({}); leases {}",
          cause.toString(), what);
    }
  }

  /** Counts one more connection of the learner on this node, unless it holds {@code max} here already. */
  private boolean count(String tenantId, String learnerId, int max) {
    boolean[] opened = {false};
    live.compute(tenantId + "/" + learnerId, (k, n) -> {
      int now = n == null ? 0 : n;
      if (now >= max) {
        return n;
      }
      opened[0] = true;
      return now + 1;
    });
    return opened[0];
  }

  private void uncount(String tenantId, String learnerId) {
    live.computeIfPresent(tenantId + "/" + learnerId, (k, n) -> n <= 1 ? null : n - 1);
  }
}
