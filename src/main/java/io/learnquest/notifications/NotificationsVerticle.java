package io.learnquest.notifications;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.JsonMapping;
import io.learnquest.domain.notification.Notification;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

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

  /** The frame clients receive (contract section 8). */
  public static JsonObject wire(Notification n) {
    return new JsonObject()
        .put("id", n.id())
        .put("type", n.type())
        .put("learnerId", n.learnerId())
        .put("eventId", n.eventId())
        .put("at", n.at().toString())
        .put("data", new JsonObject(n.data()));
  }

  /** {@code {notifications: [...]}}, already committed: published as wire frames, oldest first. */
  private Future<JsonObject> publish(JsonObject request) {
    List<Notification> list = JsonMapping.fromJsonArray(request.getJsonArray("notifications"), Notification.class);
    for (Notification n : list) {
      vertx.eventBus().publish(Addresses.NOTIFICATIONS_LIVE, wire(n));
    }
    return Future.succeededFuture(new JsonObject().put("published", list.size()));
  }

  /** {@code {learnerId, after}} to {@code {notifications: [wire...]}} with sequence above {@code after}. */
  private Future<JsonObject> history(JsonObject request) {
    return learners.notificationsAfter(request.getString("learnerId"), request.getLong("after"), MAX_REPLAY)
        .map(list -> {
          JsonArray frames = new JsonArray();
          list.forEach(n -> frames.add(wire(n)));
          return new JsonObject().put("notifications", frames);
        });
  }
}
