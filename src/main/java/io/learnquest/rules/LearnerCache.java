package io.learnquest.rules;

import io.learnquest.domain.learner.Learner;
import io.learnquest.store.LearnerRef;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learner aggregates this node applied last, so applying a learner's next event needs no read.
 * Safe because a learner is applied by one holder of its lock at a time and every commit names the
 * version it read: a stale entry (the learner moved to another node meanwhile) fails its commit,
 * is dropped, and the event is retried from a fresh read. Bounded, least recently used first out.
 * Keyed by tenant and learnerId: the same learnerId in two tenants is two learners.
 */
final class LearnerCache {
  private final Map<LearnerRef, Learner> entries;

  LearnerCache(int capacity) {
    this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<LearnerRef, Learner> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized Learner get(String tenant, String learnerId) {
    return entries.get(new LearnerRef(tenant, learnerId));
  }

  synchronized void put(String tenant, Learner learner) {
    entries.put(new LearnerRef(tenant, learner.learnerId()), learner);
  }

  synchronized void evict(String tenant, String learnerId) {
    entries.remove(new LearnerRef(tenant, learnerId));
  }

  /** Drops every learner. */
  synchronized void clear() {
    entries.clear();
  }

  /** Drops every learner of the tenant (its data was erased). */
  synchronized void evictTenant(String tenant) {
    entries.keySet().removeIf(k -> k.tenant().equals(tenant));
  }
}
