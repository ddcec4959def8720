package io.learnquest.store;

import io.learnquest.domain.event.LearningEvent;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The durable log of accepted events: the source every number is rebuilt from. Every event belongs
 * to a tenant, and an eventId is unique within its tenant: every call names the tenant, and sees
 * and changes nothing of another.
 */
public interface EventLog {
  /**
   * Records each event whose eventId is new, in list order, atomically per event; an eventId seen
   * before (also earlier in the same list) is a duplicate and changes nothing. Results are in
   * input order; an accepted one carries the event as {@link #pending} will return it, with the
   * seq of the learner's event pending before it (the one before it in this list, else the last
   * pending already; 0 when none was). Succeeds only once every accepted event is durable.
   */
  Future<List<AppendResult>> append(String tenant, List<LearningEvent> events, String replyTo);

  Future<Optional<StoredEvent>> event(String tenant, String eventId);

  /**
   * A learner's applied events that are not voided, in acceptance order, with their outcomes: what
   * a replay of the learner folds over.
   */
  Future<List<StoredEvent>> appliedEvents(String tenant, String learnerId);

  /** A learner's accepted but not yet applied events, oldest first. */
  Future<List<StoredEvent>> pending(String tenant, String learnerId, int limit);

  /**
   * Learners of every tenant with an accepted event not yet applied, longest waiting first
   * (recovery): only those whose oldest such event was accepted before {@code acceptedBefore}, or
   * all when it is null.
   */
  Future<List<LearnerRef>> learnersWithPending(Instant acceptedBefore, int limit);

  /**
   * Moves a pending event aside into the quarantine with its reason, so its learner's later events
   * go on, and leaves a flag on the learner (rule {@code quarantined}, the reason as its detail).
   * False, changing nothing, when the event is not pending (applied meanwhile, or unknown).
   */
  Future<Boolean> quarantine(String tenant, String eventId, String reason, int attempts);

  /** The tenant's quarantined events (not those discarded), oldest accepted first. */
  Future<List<QuarantinedEvent>> quarantined(String tenant, int limit);

  /** How many events are in the quarantine, of every tenant. */
  Future<Long> quarantinedCount();

  /** How many of the tenant's events are in the quarantine. */
  Future<Long> quarantinedCount(String tenant);

  /**
   * Takes the event out of the quarantine and makes it pending again for its learner (in its
   * original place in acceptance order). Empty when it is not in the quarantine.
   */
  Future<Optional<QuarantinedEvent>> requeue(String tenant, String eventId);

  /**
   * Voids a quarantined event: it leaves the quarantine and is never applied, and its eventId stays
   * taken (a resubmission is a duplicate). Empty when it is not in the quarantine.
   */
  Future<Optional<QuarantinedEvent>> discard(String tenant, String eventId);

  /** How many accepted events are not applied yet (the backlog), in the whole store. */
  Future<Long> pendingCount();

  /**
   * How many accepted events are not applied yet, counted up to {@code atMost} (the answer is
   * {@code min(backlog, atMost)}): ingestion asks it often, and knowing "at least the bound" is
   * enough, so a large backlog costs no more to count than the bound.
   */
  Future<Long> pendingCount(long atMost);

  /**
   * Erases the tenant's events: the log, pending ones, outcomes and the quarantine. Other tenants'
   * events are left as they are.
   */
  Future<Void> eraseTenant(String tenant);

  Future<Void> ping();
}
