package io.learnquest.json;

import io.learnquest.domain.notification.Notification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The frame a client receives for a notification (docs/api.md, "Live push"), built once per notification. */
public final class NotificationFrames {
  private NotificationFrames() {
  }

  public static JsonObject frame(Notification n) {
    return new JsonObject()
        .put("id", n.id())
        .put("type", n.type())
        .put("learnerId", n.learnerId())
        .put("eventId", n.eventId())
        .put("at", n.at().toString())
        .put("data", new JsonObject(n.data()));
  }

  public static JsonArray frames(List<Notification> notifications) {
    JsonArray frames = new JsonArray();
    notifications.forEach(n -> frames.add(frame(n)));
    return frames;
  }
}
