package io.learnquest.store.memory;

import io.learnquest.store.ConnectionLeases;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection leases of one node alone (the embedded default, or a standalone durable node): the
 * heap is the whole cluster. Each learner's leases are a map of holder to expiry (milliseconds on
 * the wall clock); expired ones are dropped whenever their learner is touched, and a learner left
 * with none is forgotten.
 */
public final class MemoryConnectionLeases implements ConnectionLeases {
  private final Clock clock;
  private final Map<String, Map<String, Long>> learners = new HashMap<>();

  public MemoryConnectionLeases() {
    this(Clock.systemUTC());
  }

  MemoryConnectionLeases(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<Boolean> acquire(Lease lease, int limit, long leaseMs) {
    long now = clock.millis();
    String key = ConnectionLeases.key(lease.tenantId(), lease.learnerId());
    Map<String, Long> held = live(key, now);
    if (!held.containsKey(lease.holder()) && held.size() >= limit) {
      forgetIfEmpty(key, held);
      return Future.succeededFuture(false);
    }
    held.put(lease.holder(), now + leaseMs);
    learners.put(key, held);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<Boolean>> renew(List<Renewal> renewals, long leaseMs) {
    long now = clock.millis();
    List<Boolean> held = new ArrayList<>(renewals.size());
    for (Renewal renewal : renewals) {
      String key = ConnectionLeases.key(renewal.lease().tenantId(), renewal.lease().learnerId());
      Map<String, Long> leases = live(key, now);
      boolean there = leases.containsKey(renewal.lease().holder());
      if (there || renewal.addIfAbsent()) {
        leases.put(renewal.lease().holder(), now + leaseMs);
      }
      held.add(there || renewal.addIfAbsent());
      if (leases.isEmpty()) {
        learners.remove(key);
      } else {
        learners.put(key, leases);
      }
    }
    return Future.succeededFuture(held);
  }

  @Override
  public synchronized Future<Void> release(Lease lease) {
    String key = ConnectionLeases.key(lease.tenantId(), lease.learnerId());
    Map<String, Long> held = learners.get(key);
    if (held != null) {
      held.remove(lease.holder());
      forgetIfEmpty(key, held);
    }
    return Future.succeededFuture();
  }

  /** The learner's unexpired leases (a new map when it has none). */
  private Map<String, Long> live(String key, long now) {
    Map<String, Long> held = learners.getOrDefault(key, new HashMap<>());
    held.values().removeIf(expiry -> expiry <= now);
    return held;
  }

  private void forgetIfEmpty(String key, Map<String, Long> held) {
    if (held.isEmpty()) {
      learners.remove(key);
    }
  }
}
