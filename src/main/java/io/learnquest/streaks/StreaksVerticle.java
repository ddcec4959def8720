package io.learnquest.streaks;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Instants;
import io.learnquest.bus.JsonMapping;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.domain.streak.StreakState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;

/**
 * Decides what one event does to a learner's streak: the local day of the event in the learner's
 * zone, then the rules of docs/rules.md, "Streaks". Stateless, so any number of instances may run.
 */
public final class StreaksVerticle extends VerticleBase {
  private final StreakRules rules;

  public StreaksVerticle(EngineContext context) {
    this.rules = context.streakRules();
  }

  @Override
  public Future<?> start() {
    return BatchedRequests.serve(vertx, Addresses.STREAKS_APPLY, this::apply);
  }

  /** {@code {streak, occurredAt, timezone, study}} to {@code {streak, extended, broken}}. */
  private Future<JsonObject> apply(JsonObject request) {
    StreakState before = JsonMapping.fromJson(request.getJsonObject("streak"), StreakState.class);
    StreakOutcome outcome = request.getBoolean("study")
        ? rules.apply(before, StreakRules.localDay(Instants.parse(request.getString("occurredAt")),
            ZoneId.of(request.getString("timezone"))))
        : new StreakOutcome(before, false, false);
    return Future.succeededFuture(JsonMapping.toJson(outcome));
  }
}
