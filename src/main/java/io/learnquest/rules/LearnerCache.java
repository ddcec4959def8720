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
 *
 * <p>Beside a learner, what they have earned activity XP for ({@link EarnedMarks}), when known
 * whole; it is as current as the learner, since only the learner's own commits change it, and the
 * same version guard catches a stale one.
 */
final class LearnerCache {
  private final Map<LearnerRef, Entry> entries;

  /** A cached learner, and their earned objects' marks (null: not known, the store answers). */
  record Entry(Learner learner, EarnedMarks earned) {
  }

  LearnerCache(int capacity) {
    this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<LearnerRef, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized Entry get(String tenant, String learnerId) {
    return entries.get(new LearnerRef(tenant, learnerId));
  }

  /** The learner, their earned objects not known. */
  void put(String tenant, Learner learner) {
    put(tenant, learner, null);
  }

  synchronized void put(String tenant, Learner learner, EarnedMarks earned) {
    entries.put(new LearnerRef(tenant, learner.learnerId()), new Entry(learner, earned));
  }

  /**
   * The learner after a change from {@code fromVersion} that earned nothing and took nothing back
   * (an inactivity transition): the marks stay when they were those of the learner it changed.
   */
  synchronized void putEarningNothing(String tenant, long fromVersion, Learner learner) {
    LearnerRef ref = new LearnerRef(tenant, learner.learnerId());
    Entry was = entries.get(ref);
    EarnedMarks earned = was != null && was.learner().version() == fromVersion ? was.earned() : null;
    entries.put(ref, new Entry(learner, earned));
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
