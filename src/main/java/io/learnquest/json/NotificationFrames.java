package io.learnquest.json;

import io.learnquest.domain.notification.Notification;
import io.learnquest.time.Instants;
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

  private static final JsonText.Name ID = new JsonText.Name("id");
  private static final JsonText.Name TYPE = new JsonText.Name("type");
  private static final JsonText.Name LEARNER_ID = new JsonText.Name("learnerId");
  private static final JsonText.Name EVENT_ID = new JsonText.Name("eventId");
  private static final JsonText.Name AT = new JsonText.Name("at");
  private static final JsonText.Name DATA = new JsonText.Name("data");

  /**
   * The text of {@link #frame}, written straight (what {@code frame(n).encode()} gives, without a
   * map and Jackson's generator on the way): every pushed notification, and every record of the
   * achievements topic, is one.
   */
  public static String text(Notification n) {
    return JsonText.write(out -> {
      out.beginObject();
      out.name(ID);
      out.plainValue(n.id()); // the sequence number's digits
      out.name(TYPE);
      RecordJson.write(out, n.type());
      out.name(LEARNER_ID);
      RecordJson.write(out, n.learnerId());
      out.name(EVENT_ID);
      RecordJson.write(out, n.eventId());
      out.name(AT);
      out.plainValue(Instants.text(n.at()));
      out.name(DATA);
      RecordJson.write(out, n.data());
      out.endObject();
    });
  }

  public static JsonArray frames(List<Notification> notifications) {
    JsonArray frames = new JsonArray();
    notifications.forEach(n -> frames.add(frame(n)));
    return frames;
  }
}
