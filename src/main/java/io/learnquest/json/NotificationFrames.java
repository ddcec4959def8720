package io.learnquest.json;

import io.learnquest.domain.notification.Notification;

/** The frame a client receives for a notification (docs/api.md, "Live push"), written once per notification. */
public final class NotificationFrames {
  private static final JsonText.Name ID = new JsonText.Name("id");

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
      out.plainValue(n.id()); // the sequence number's digits, as the resume token clients send back
      NotificationJson.writeBody(out, n);
      out.endObject();
    });
  }
}
