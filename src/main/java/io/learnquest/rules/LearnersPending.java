package io.learnquest.rules;

import io.learnquest.bus.Codecs;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.PendingEvent;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Sent to {@code rules.learner.pending} by ingestion once per event-loop turn: these learners (each
 * of its tenant) have accepted events waiting in the log, to be applied in order. {@code events}
 * are the events ingestion appended for them, as the log holds them, each with its learner's event
 * pending before it: the rules apply them without reading them back when they know every event
 * before them (rules/PendingHints). Empty when the sender has none to give (then the rules read
 * the log).
 */
public record LearnersPending(List<LearnerRef> learners, List<PendingEvent> events) {
  public LearnersPending {
    learners = List.copyOf(learners);
    events = List.copyOf(events);
  }

  /** These learners have events waiting; the rules read them from the log. */
  public LearnersPending(List<LearnerRef> learners) {
    this(learners, List.of());
  }

  public static void registerCodec(Vertx vertx) {
    Codecs.register(vertx, LearnersPending.class);
  }
}
