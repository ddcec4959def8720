package io.learnquest.xp;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.JsonMapping;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.domain.xp.XpDecision;
import io.learnquest.domain.xp.XpRules;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;

/** Decides the XP of one event (docs/rules.md, "XP and levels") and serves the XP ledger. */
public final class XpVerticle extends VerticleBase {
  private final XpRules rules;
  private final LevelCurve curve;
  private final LearnerStore learners;

  public XpVerticle(EngineContext context) {
    this.rules = context.xpRules();
    this.curve = context.config().levelCurve();
    this.learners = context.stores().learners();
  }

  @Override
  public Future<?> start() {
    return Future.all(
        BatchedRequests.serve(vertx, Addresses.XP_DECIDE, this::decide),
        Bus.serve(vertx, Addresses.XP_LEDGER, this::ledger));
  }

  /** {@code {event, streakDays, streakExtended, xpBefore}} to an {@link XpDecision}. */
  private Future<JsonObject> decide(JsonObject request) {
    LearningEvent event = JsonMapping.fromJson(request.getJsonObject("event"), LearningEvent.class);
    Future<Boolean> seenBefore = rules.canRepeat(event)
        ? learners.hasEarned(event.learnerId(), event.type(), XpRules.repeatObject(event))
        : Future.succeededFuture(false);
    return seenBefore.map(seen -> JsonMapping.toJson(rules.decide(event, request.getInteger("streakDays"),
        request.getBoolean("streakExtended"), seen, request.getLong("xpBefore"), curve)));
  }

  /** {@code {learnerId, limit}} to {@code {entries}}, newest first; 404 for an unknown learner. */
  private Future<JsonObject> ledger(JsonObject request) {
    String learnerId = request.getString("learnerId");
    return learners.known(learnerId)
        .compose(learner -> learners.ledger(learnerId, request.getInteger("limit")))
        .map(entries -> new JsonObject().put("entries", JsonMapping.toJsonArray(entries)));
  }
}
