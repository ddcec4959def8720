package io.learnquest.notifications;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.NotificationFrames;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Fans committed notifications out to every web instance on every node, and serves the retained
 * history that reconnecting clients replay from.
 */
public final class NotificationsVerticle extends VerticleBase {
  static final int MAX_REPLAY = 1000;
  private final LearnerStore learners;

  public NotificationsVerticle(EngineContext context) {
    this.learners = context.stores().learners();
  }

  @Override
  public Future<?> start() {
    return Future.all(
        Bus.serve(vertx, Addresses.NOTIFICATIONS_PUBLISH, this::publish),
        Bus.serve(vertx, Addresses.NOTIFICATIONS_HISTORY, this::history));
  }

  /** {@code {frames: [...]}} of committed notifications, oldest first: published to every web instance. */
  private Future<JsonObject> publish(JsonObject request) {
    JsonArray frames = request.getJsonArray("frames");
    for (int i = 0; i < frames.size(); i++) {
      vertx.eventBus().publish(Addresses.NOTIFICATIONS_LIVE, frames.getJsonObject(i));
    }
    return Future.succeededFuture(new JsonObject().put("published", frames.size()));
  }

  /** {@code {learnerId, after}} to {@code {notifications: [wire...]}} with sequence above {@code after}. */
  private Future<JsonObject> history(JsonObject request) {
    return learners.notificationsAfter(request.getString("learnerId"), request.getLong("after"), MAX_REPLAY)
        .map(list -> new JsonObject().put("notifications", NotificationFrames.frames(list)));
  }
}
