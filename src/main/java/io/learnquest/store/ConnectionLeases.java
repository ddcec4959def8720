package io.learnquest.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * The live push connections of each learner, shared by every node that uses the same store
 * (docs/api.md, "Limits": the connection limit holds cluster-wide). Each connection holds a
 * {@link Lease} that ends when it is released or, if its node stops renewing it (killed), when it
 * expires: a dead node's connections free their learners' slots within one lease. Expiry is judged
 * on the store's own clock (Redis's server time for the Redis adapter), so the nodes' clocks never
 * have to agree. The Redis adapter keeps one sorted set per learner,
 * {@code <prefix>t:<tenant>:conn:<learnerId>}; the memory adapter (the embedded default, one node)
 * the same in the heap.
 */
public interface ConnectionLeases {

  /**
   * One connection's claim on one of its learner's slots; {@code holder} names the connection
   * uniquely in the cluster ({@code <nodeId>:<connectionId>}).
   */
  record Lease(String tenantId, String learnerId, String holder) {
  }

  /** A lease to extend, and whether to add it again if the store no longer has it. */
  record Renewal(Lease lease, boolean addIfAbsent) {
  }

  /**
   * Takes a slot for {@code lease}, valid {@code leaseMs} from now, unless the learner already holds
   * {@code limit} unexpired leases of other holders: true when held (a holder that already held it
   * is extended), false when refused (nothing changes). Atomic: concurrent acquisitions never grant
   * more than {@code limit}.
   */
  Future<Boolean> acquire(Lease lease, int limit, long leaseMs);

  /**
   * Extends each lease to {@code leaseMs} from now, whatever the limit (the connection is open
   * already). A lease the store no longer has (it expired, or was taken while the store was away)
   * is added again only when its renewal says so: a renewal racing the release of its lease must
   * not bring it back. One answer per renewal, in order: true when the store now holds it.
   */
  Future<List<Boolean>> renew(List<Renewal> renewals, long leaseMs);

  /** Frees the lease's slot at once; releasing a lease the store does not hold changes nothing. */
  Future<Void> release(Lease lease);

  /** The learner's leases below the adapter's own prefix. */
  static String key(String tenantId, String learnerId) {
    return "t:" + tenantId + ":conn:" + learnerId;
  }
}
