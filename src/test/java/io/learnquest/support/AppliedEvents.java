package io.learnquest.support;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Replay;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.store.Stores;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts learners into the stores as the engine would have left them, without the rules verticle:
 * the events are appended to the log, then each is applied with the pure rules and committed in
 * order. For tests of one verticle that reads what the rules wrote.
 */
public final class AppliedEvents {
  private AppliedEvents() {
  }

  public static Future<Void> commit(Stores stores, RuleSet rules, List<LearningEvent> events) {
    Map<String, Replay> replays = new HashMap<>();
    return stores.events().append(io.learnquest.domain.Tenants.DEFAULT, events, null).compose(appended -> {
      Future<?> chain = Future.succeededFuture();
      for (LearningEvent e : events) {
        chain = chain.compose(v -> stores.learners().commit(io.learnquest.domain.Tenants.DEFAULT,
            replays.computeIfAbsent(e.learnerId(), id -> Replay.fresh(id, rules)).apply(e)));
      }
      return chain.mapEmpty();
    });
  }
}
