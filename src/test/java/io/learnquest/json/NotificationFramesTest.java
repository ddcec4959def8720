package io.learnquest.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.notification.Notification;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A notification's frame written straight as text is the frame Vert.x's JSON encoding writes. */
class NotificationFramesTest {
  /** The frame of docs/api.md ("Live push") as a JsonObject, encoded by Vert.x: the reference. */
  private static String encodedByVertx(Notification n) {
    return new JsonObject()
        .put("id", n.id())
        .put("type", n.type())
        .put("learnerId", n.learnerId())
        .put("eventId", n.eventId())
        .put("at", n.at().toString())
        .put("data", new JsonObject(n.data()))
        .encode();
  }

  private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");

  @Test
  void theTextOfAFrameIsWhatItsJsonObjectEncodesTo() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("badgeId", "perfect_quiz");
    nested.put("tier", null);
    nested.put("list", List.of(1L, "two", Map.of("three", 3L)));
    nested.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 accent é ideograph 学");
    nested.put("ratio", 1.5);
    nested.put("flag", true);
    List<Notification> notifications = Arrays.asList(
        new Notification(1, Notification.XP_GRANTED, "ana", "e-1", AT, Map.of("xp", 52L, "totalXp", 1052L)),
        new Notification(2, Notification.BADGE_AWARDED, "ana", "e-1", AT.plusNanos(123_000_000), nested),
        new Notification(3, Notification.STATE_CHANGED, "ana", null, AT.plusNanos(456_789), Map.of("from", "ACTIVE",
            "to", "AT_RISK")),
        new Notification(40_000_000_000L, Notification.STREAK_UPDATED, "learner.é-1", "e:2", AT.plusSeconds(1),
            Map.of()));
    for (Notification n : notifications) {
      assertEquals(encodedByVertx(n), NotificationFrames.text(n));
    }
  }
}
