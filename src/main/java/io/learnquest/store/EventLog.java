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

  Future<Void> ping();
}
