package io.learnquest.store;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import java.time.Instant;

/**
 * An accepted event as the log holds it. {@code seq} is the acceptance order; {@code outcome} is
 * set once the event is applied. {@code replyTo} is where a waiting HTTP request listens, if any.
 * {@code tenant} is the tenant the event belongs to (its eventId is unique within it).
 */
public record StoredEvent(long seq, String tenant, LearningEvent event, Instant acceptedAt, String replyTo, Outcome outcome) {
  public boolean applied() {
    return outcome != null;
  }

  /** The learner the event is of, in its tenant. */
  public LearnerRef learner() {
    return new LearnerRef(tenant, event.learnerId());
  }
}
