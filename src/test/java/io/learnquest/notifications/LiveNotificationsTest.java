package io.learnquest.notifications;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.notification.Notification;
import io.vertx.core.buffer.Buffer;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live message's wire form: read back equal on the other node, each notification decoded only
 * when a web instance serves its learner, and encoded once however many nodes it is written to.
 */
class LiveNotificationsTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:15:30.123456789Z");
  private final LiveNotifications.Codec codec = new LiveNotifications.Codec();

  private static Notification note(long seq, String learnerId) {
    return new Notification(seq, Notification.XP_GRANTED, learnerId, "e-" + seq, AT,
        Map.of("xp", 50, "reason", "lesson_completed", "nested", Map.of("level", 2)));
  }

  private NotificationsService.Live overTheWire(NotificationsService.Live live) {
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, live);
    // as the receiving node reads it: from inside a larger buffer
    return codec.decodeFromWire(3, Buffer.buffer("xyz").appendBuffer(wire));
  }

  @Test
  void aLiveMessageIsReadBackEqualOnTheOtherNode() {
    NotificationsService.Live sent = new NotificationsService.Live("tenant-é",
        List.of(note(1, "ana"), note(2, "bob"), note(3, "ana"), note(1, "çé")));
    NotificationsService.Live received = overTheWire(sent);
    assertEquals(sent, received);
    assertEquals("tenant-é", received.tenant());
    assertEquals(sent.notifications(), received.notifications());
    assertEquals(List.of(), overTheWire(new NotificationsService.Live("t", List.of())).notifications());
  }

  @Test
  void onTheOtherNodeOnlyTheNotificationsOfServedLearnersAreDecoded() {
    NotificationsService.Live sent = new NotificationsService.Live("t",
        List.of(note(1, "ana"), note(2, "bob"), note(3, "ana")));
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, sent);
    // bob's notification is damaged on the wire: a node that does not serve bob never reads it
    byte[] bytes = wire.getBytes();
    String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    int bobs = text.indexOf("\"e-2\"");
    bytes[bobs] = '#';
    NotificationsService.Live received = codec.decodeFromWire(0, Buffer.buffer(bytes));

    List<Notification> pushed = new ArrayList<>();
    received.forEach("ana"::equals, pushed::add);
    assertEquals(List.of(note(1, "ana"), note(3, "ana")), pushed);

    List<Notification> none = new ArrayList<>();
    received.forEach(learnerId -> false, none::add);
    assertEquals(List.of(), none);
    assertThrows(UncheckedIOException.class, () -> received.forEach("bob"::equals, n -> { }),
        "bob's damaged notification is read only for a node serving bob");
  }

  @Test
  void aMessageWrittenToSeveralNodesIsEncodedOnce() {
    NotificationsService.Live sent = new NotificationsService.Live("t", List.of(note(1, "ana"), note(2, "bob")));
    Buffer first = Buffer.buffer();
    codec.encodeToWire(first, sent);
    LiveNotifications notifications = (LiveNotifications) sent.notifications();
    byte[][] encoded = wireOf(notifications);
    Buffer second = Buffer.buffer();
    codec.encodeToWire(second, sent);
    assertSame(encoded, wireOf(notifications), "the second node's copy reuses the first encoding");
    assertEquals(first, second);
  }

  @Test
  void onItsOwnNodeTheMessageKeepsTheSendersNotifications() {
    Notification ana = note(1, "ana");
    NotificationsService.Live sent = new NotificationsService.Live("t", new ArrayList<>(List.of(ana)));
    assertSame(ana, sent.notifications().get(0));
    assertSame(sent, codec.transform(sent));
    assertThrows(UnsupportedOperationException.class, () -> sent.notifications().add(ana));
  }

  private static byte[][] wireOf(LiveNotifications notifications) {
    try {
      java.lang.reflect.Field field = LiveNotifications.class.getDeclaredField("wire");
      field.setAccessible(true);
      return (byte[][]) field.get(notifications);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
