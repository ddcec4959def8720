package io.learnquest.rules;

import io.learnquest.bus.Codecs;
import io.learnquest.store.LearnerRef;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Sent to {@code rules.learner.pending} by ingestion once per event-loop turn: these learners (each
 * of its tenant) have accepted events waiting in the log, to be applied in order.
 */
public record LearnersPending(List<LearnerRef> learners) {
  public LearnersPending {
    learners = List.copyOf(learners);
  }

  public static void registerCodec(Vertx vertx) {
    Codecs.register(vertx, LearnersPending.class);
  }
}
