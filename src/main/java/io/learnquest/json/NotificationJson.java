package io.learnquest.json;

import io.learnquest.domain.notification.Notification;

/**
 * A notification as the history keeps it, written component by component: the same text as
 * {@link RecordJson}'s walk over the record writes (its {@code data} is walked, being a map of any
 * values). Every applied event writes its notifications for the history, so they are written
 * directly, as the learner's document is ({@link LearnerJson}). JsonMappingTest holds the two texts
 * equal.
 */
final class NotificationJson {
  private static final JsonText.Name SEQ = new JsonText.Name("seq");
  private static final JsonText.Name TYPE = new JsonText.Name("type");
  private static final JsonText.Name LEARNER_ID = new JsonText.Name("learnerId");
  private static final JsonText.Name EVENT_ID = new JsonText.Name("eventId");
  private static final JsonText.Name AT = new JsonText.Name("at");
  private static final JsonText.Name DATA = new JsonText.Name("data");

  private NotificationJson() {
  }

  static void write(JsonText out, Notification notification) {
    out.beginObject();
    out.name(SEQ);
    out.value(notification.seq());
    writeBody(out, notification);
    out.endObject();
  }

  /**
   * What follows a notification's number, in the history and in the frame a client receives
   * ({@link NotificationFrames}) alike: its type, learner, event, time and data.
   */
  static void writeBody(JsonText out, Notification notification) {
    out.name(TYPE);
    out.value(notification.type());
    out.name(LEARNER_ID);
    out.value(notification.learnerId());
    out.name(EVENT_ID);
    out.value(notification.eventId());
    out.name(AT);
    out.value(notification.at());
    out.name(DATA);
    RecordJson.write(out, notification.data());
  }
}
