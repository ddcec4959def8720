package io.learnquest.store;

import io.vertx.core.Future;
import java.util.List;

/**
 * Rate budgets shared by every node that uses the same store (docs/api.md, "Limits": limits hold
 * cluster-wide, not per node). Each budget is a GCRA cell ({@code domain.limits.Gcra}) named
 * {@code t:<tenant>:rl:<name>}; the Redis adapter keeps it under the Redis key prefix, the memory
 * adapter (one node alone: the embedded default, or a standalone durable node) in the heap.
 */
public interface RateLimitStore {

  /**
   * Up to {@code units} units of the budget {@code name} of {@code tenantId}, which holds
   * {@code limit} units per {@code periodMicros}. A {@code required} take that does not get all of
   * its units stops the takes after it: they take nothing.
   */
  record Take(String tenantId, String name, long units, long limit, long periodMicros, boolean required) {
  }

  /** What one take got: {@code granted} units, and when less than asked, how long until one more fits. */
  record Grant(long granted, long retryAfterMicros) {
    public static final Grant NONE = new Grant(0, 0);
  }

  /**
   * Takes each budget in order, atomically as a whole (no other take interleaves), at
   * {@code nowMicros} (the caller's clock). One grant per take, in the same order.
   */
  Future<List<Grant>> take(List<Take> takes, long nowMicros);

  /** The budget's key below the adapter's own prefix. */
  static String key(String tenantId, String name) {
    return "t:" + tenantId + ":rl:" + name;
  }
}
