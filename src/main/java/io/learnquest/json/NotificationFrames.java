package io.learnquest.json;

import io.learnquest.domain.notification.Notification;

/** The frame a client receives for a notification (docs/api.md, "Live push"), written once per notification. */
public final class NotificationFrames {
  private static final JsonText.Name ID = new JsonText.Name("id");
  private static final JsonText.Name TYPE = new JsonText.Name("type");
  private static final JsonText.Name LEARNER_ID = new JsonText.Name("learnerId");
  private static final JsonText.Name EVENT_ID = new JsonText.Name("eventId");
  private static final JsonText.Name AT = new JsonText.Name("at");
  private static final JsonText.Name DATA = new JsonText.Name("data");

  private NotificationFrames() {
  }

  /**
   * The frame as JSON text, written straight (no map and no Jackson generator on the way): every
   * pushed notification, and every record of the achievements topic, is one.
   */
  public static String text(Notification n) {
    return JsonText.write(out -> {
      out.beginObject();
      out.name(ID);
      out.plainValue(n.id()); // the sequence number's digits
      out.name(TYPE);
      out.value(n.type());
      out.name(LEARNER_ID);
      out.value(n.learnerId());
      out.name(EVENT_ID);
      out.value(n.eventId());
      out.name(AT);
      out.value(n.at());
      out.name(DATA);
      RecordJson.write(out, n.data());
      out.endObject();
    });
  }
}
