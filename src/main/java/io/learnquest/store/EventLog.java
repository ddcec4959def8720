package io.learnquest.store;

import io.learnquest.domain.event.LearningEvent;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The durable log of accepted events: the source every number is rebuilt from. */
public interface EventLog {
  /**
   * Records each event whose eventId is new, in list order, atomically per event; an eventId seen
   * before (also earlier in the same list) is a duplicate and changes nothing. Results are in
   * input order. Succeeds only once every accepted event is durable.
   */
  Future<List<AppendResult>> append(List<LearningEvent> events, String replyTo);

  Future<Optional<StoredEvent>> event(String eventId);

  /** A learner's accepted but not yet applied events, oldest first. */
  Future<List<StoredEvent>> pending(String learnerId, int limit);

  /**
   * Learners with an accepted event not yet applied, longest waiting first (recovery): only those
   * whose oldest such event was accepted before {@code acceptedBefore}, or all when it is null.
   */
  Future<List<String>> learnersWithPending(Instant acceptedBefore, int limit);

  /**
   * Moves a pending event aside into the quarantine with its reason, so its learner's later events
   * go on, and leaves a flag on the learner (rule {@code quarantined}, the reason as its detail).
   * False, changing nothing, when the event is not pending (applied meanwhile, or unknown).
   */
  Future<Boolean> quarantine(String eventId, String reason, int attempts);

  /** The quarantined events (not those discarded), oldest accepted first. */
  Future<List<QuarantinedEvent>> quarantined(int limit);

  Future<Long> quarantinedCount();

  /**
   * Takes the event out of the quarantine and makes it pending again for its learner (in its
   * original place in acceptance order). Empty when it is not in the quarantine.
   */
  Future<Optional<QuarantinedEvent>> requeue(String eventId);

  /**
   * Voids a quarantined event: it leaves the quarantine and is never applied, and its eventId stays
   * taken (a resubmission is a duplicate). Empty when it is not in the quarantine.
   */
  Future<Optional<QuarantinedEvent>> discard(String eventId);

  /** How many accepted events are not applied yet (the backlog), in the whole store. */
  Future<Long> pendingCount();

  /**
   * How many accepted events are not applied yet, counted up to {@code atMost} (the answer is
   * {@code min(backlog, atMost)}): ingestion asks it often, and knowing "at least the bound" is
   * enough, so a large backlog costs no more to count than the bound.
   */
  Future<Long> pendingCount(long atMost);

  Future<Void> ping();
}
