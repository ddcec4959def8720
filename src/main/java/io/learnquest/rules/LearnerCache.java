package io.learnquest.rules;

import io.learnquest.domain.learner.Learner;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learner aggregates this node applied last, so applying a learner's next event needs no read.
 * Safe because a learner is applied by one holder of its lock at a time and every commit names the
 * version it read: a stale entry (the learner moved to another node meanwhile) fails its commit,
 * is dropped, and the event is retried from a fresh read. Bounded, least recently used first out.
 */
final class LearnerCache {
  private final Map<String, Learner> entries;

  LearnerCache(int capacity) {
    this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Learner> eldest) {
        return size() > capacity;
      }
    };
  }

  synchronized Learner get(String learnerId) {
    return entries.get(learnerId);
  }

  synchronized void put(Learner learner) {
    entries.put(learner.learnerId(), learner);
  }

  synchronized void evict(String learnerId) {
    entries.remove(learnerId);
  }
}
