package io.learnquest.rules;

import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoredEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The events ingestion told this node's rules it appended, so that a learner's drain can apply
 * them without reading them back from the log: a read per drain was one of an event's store round
 * trips, and the event itself decoded a second time.
 *
 * <p>Every appended event comes with the seq of the event that was pending before it for its
 * learner (0 when none was). A drain may take the events held here when they form a chain it can
 * trust: the first had nothing pending before it, or follows the last event this node saw done for
 * the learner, and each next one follows the one before it. Then they are every event the log had
 * pending for the learner up to the last of them, in order, which is what a read would have
 * returned. Anything else makes the drain read the log, as it always did: a learner this node knows
 * nothing of, a link it never got (its nudge went to another node), an event not held for want of
 * room, a nudge from the recovery pass or a quarantine retry ({@link #readLog}), a drain that
 * failed ({@link #forget}).
 *
 * <p>In Kafka mode the events come from the consumer's records, and a record may come again: after
 * its partition moved, the new owner reads from the last committed offset, and an event the old owner
 * applied since then would look pending. So there ({@link #forKafka}) a chain is trusted only when it
 * follows what this node saw done for the learner since its partitions last moved ({@link #forgetAll}):
 * a learner's first drain after a move reads the log, and a record of an event at or below what the
 * node saw done makes the drain read it too ({@link #add}).
 *
 * <p>One per node, shared by its rules instances: a learner's nudges go to any of them, and they
 * take turns on a learner under its lock. Thread-safe.
 */
final class PendingHints {
  /** Events held at most, over all learners; past it a learner's drain reads the log. */
  static final int MAX_EVENTS = 50_000;
  /** Learners remembered at most, least recently used first out (forgetting one only costs a read). */
  static final int MAX_LEARNERS = 100_000;

  private final int maxEvents;
  /**
   * Whether an event with nothing pending before it starts a chain even for a learner this node
   * has seen nothing done of: true when each event is handed over once (ingestion's nudges), false
   * when it may be handed over again after another node applied it (Kafka).
   */
  private final boolean firstEventsTrusted;
  private final Map<LearnerRef, Known> learners;
  private int held;

  /** What this node knows of one learner's pending events. */
  private static final class Known {
    final TreeMap<Long, PendingEvent> events = new TreeMap<>();
    /** The seq of the last event this node saw done (applied or set aside), everything before it done too; 0 unknown. */
    long lastDone;
    /** The next drain reads the log. */
    boolean readLog;
  }

  PendingHints() {
    this(MAX_EVENTS, MAX_LEARNERS, true);
  }

  /** Kafka mode's: a chain must follow an event this node saw done since its partitions last moved. */
  static PendingHints forKafka() {
    return new PendingHints(MAX_EVENTS, MAX_LEARNERS, false);
  }

  PendingHints(int maxEvents, int maxLearners, boolean firstEventsTrusted) {
    this.maxEvents = maxEvents;
    this.firstEventsTrusted = firstEventsTrusted;
    this.learners = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<LearnerRef, Known> eldest) {
        if (size() <= maxLearners) {
          return false;
        }
        held -= eldest.getValue().events.size();
        return true;
      }
    };
  }

  /** Events just appended; one that finds no room leaves its learner to a read of the log. */
  synchronized void add(List<PendingEvent> appended) {
    for (PendingEvent pending : appended) {
      StoredEvent stored = pending.stored();
      Known known = learners.computeIfAbsent(stored.learner(), k -> new Known());
      if (held >= maxEvents || stored.seq() <= known.lastDone) {
        // no room, or behind what this node saw done (another node's append that committed late)
        known.readLog = true;
      } else if (known.events.put(stored.seq(), pending) == null) {
        held++;
      }
    }
  }

  /** The learner's next drain reads the log (it was nudged by someone who did not say what is pending). */
  synchronized void readLog(LearnerRef learner) {
    learners.computeIfAbsent(learner, k -> new Known()).readLog = true;
  }

  /**
   * What the learner's drain applies next without reading the log: up to {@code max} events in
   * acceptance order, none when there is nothing to do; null when the drain must read the log
   * (which this call counts as done: a {@link #readLog} before it is answered by that read).
   */
  synchronized List<StoredEvent> next(LearnerRef learner, int max) {
    Known known = learners.get(learner);
    if (known == null || known.readLog) {
      if (known != null) {
        known.readLog = false;
      }
      return null;
    }
    if (known.events.isEmpty()) {
      return List.of();
    }
    long first = known.events.firstEntry().getValue().previousSeq();
    boolean follows = first == 0 ? firstEventsTrusted || known.lastDone != 0 : first == known.lastDone;
    if (!follows) {
      return null;
    }
    List<StoredEvent> chain = new ArrayList<>();
    for (PendingEvent pending : known.events.values()) {
      if (chain.size() == max
          || (!chain.isEmpty() && pending.previousSeq() != chain.get(chain.size() - 1).seq())) {
        break;
      }
      chain.add(pending.stored());
    }
    return chain;
  }

  /** The seqs held for the learner now: what a read of the log about to start will see, if still pending. */
  synchronized Set<Long> held(LearnerRef learner) {
    Known known = learners.get(learner);
    return known == null ? Set.of() : Set.copyOf(known.events.keySet());
  }

  /**
   * These events of the learner, the first ones it had pending, are done (applied or set aside, in
   * order): a chain from {@link #next} or a page read from the log.
   */
  synchronized void done(LearnerRef learner, List<StoredEvent> events) {
    Known known = learners.computeIfAbsent(learner, k -> new Known());
    known.lastDone = Math.max(known.lastDone, events.get(events.size() - 1).seq());
    events.forEach(e -> remove(known, e.seq()));
  }

  /**
   * These events, held before a read of the log that found all the learner had pending and not
   * them, are no longer pending (another node applied them).
   */
  synchronized void notPending(LearnerRef learner, Set<Long> seqs) {
    Known known = learners.get(learner);
    if (known != null) {
      seqs.forEach(seq -> remove(known, seq));
    }
  }

  /** Forgets what is known of the learner (a drain failed: the next one reads the log). */
  synchronized void forget(LearnerRef learner) {
    Known known = learners.remove(learner);
    if (known != null) {
      held -= known.events.size();
    }
  }

  /**
   * Forgets every learner (Kafka mode: this node's partitions moved, so records it reads next may be
   * of events another node applied meanwhile).
   */
  synchronized void forgetAll() {
    learners.clear();
    held = 0;
  }

  /** Forgets every learner of the tenant (its data was erased). */
  synchronized void forgetTenant(String tenant) {
    learners.entrySet().removeIf(e -> {
      boolean of = e.getKey().tenant().equals(tenant);
      if (of) {
        held -= e.getValue().events.size();
      }
      return of;
    });
  }

  /** Events held, over all learners. */
  synchronized int held() {
    return held;
  }

  private void remove(Known known, long seq) {
    if (known.events.remove(seq) != null) {
      held--;
    }
  }
}
