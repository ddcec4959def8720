package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.notification.Notification;
import java.time.Instant;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection sends each notification once and in order, filling gaps from the history. */
class PushHubTest {
  final List<String> sent = new ArrayList<>();
  final List<Long> gapsAsked = new ArrayList<>();

  static PushHub.Frame frame(long seq) {
    return PushHub.Frame.of(notification(seq));
  }

  static Notification notification(long seq) {
    return new Notification(seq, Notification.XP_GRANTED, "ana", "e-" + seq, Instant.parse("2026-03-02T10:00:00Z"),
        Map.of("xp", 10));
  }

  PushHub.Connection connection(long since, boolean replay) {
    return new PushHub.Connection("default", "ana", since, replay, f -> sent.add(f.id()),
        (c, after) -> gapsAsked.add(after));
  }

  @Test
  void aFrameThatOvertakesAnEarlierOneWaitsForTheHistoryToFillTheGap() {
    PushHub.Connection c = connection(0, true);
    c.finishReplay(List.of(frame(1)));
    c.deliver(frame(3));
    assertEquals(List.of("1"), sent);
    assertEquals(List.of(1L), gapsAsked);
    c.deliver(frame(2));
    c.finishReplay(List.of(frame(2)));
    c.deliver(frame(4));
    c.deliver(frame(2));
    assertEquals(List.of("1", "2", "3", "4"), sent);
  }

  @Test
  void withoutAResumeTokenTheFirstFrameIsTheBaseline() {
    PushHub.Connection c = connection(0, false);
    c.deliver(frame(57));
    c.deliver(frame(59));
    assertEquals(List.of(57L), gapsAsked);
    c.finishReplay(List.of(frame(58), frame(59)));
    assertEquals(List.of("57", "58", "59"), sent);
  }

  @Test
  void aGapTheHistoryNoLongerHoldsIsPassedOver() {
    PushHub.Connection c = connection(10, true);
    c.finishReplay(List.of());
    c.deliver(frame(14));
    c.deliver(frame(15));
    c.finishReplay(List.of());
    assertEquals(List.of("14", "15"), sent);
  }

  @Test
  void theHubDeliversOnlyToTheLearnersConnections() {
    PushHub hub = new PushHub();
    PushHub.Connection ana = connection(0, false);
    List<String> other = new ArrayList<>();
    PushHub.Connection bob = new PushHub.Connection("default", "bob", 0, false, f -> other.add(f.id()), (c, a) -> { });
    hub.add(ana);
    hub.add(bob);
    hub.publish("default", notification(1));
    hub.remove(ana);
    hub.publish("default", notification(2));
    assertEquals(List.of("1"), sent);
    assertEquals(List.of(), other);
  }

  /** The same learnerId in another tenant is another learner: its frames never reach this one's connections. */
  @Test
  void theHubDeliversOnlyToTheConnectionsOfTheLearnersOwnTenant() {
    PushHub hub = new PushHub();
    PushHub.Connection ana = connection(0, false);
    List<String> otherAna = new ArrayList<>();
    hub.add(ana);
    hub.add(new PushHub.Connection("school-b", "ana", 0, false, f -> otherAna.add(f.id()), (c, a) -> { }));
    hub.publish("school-b", notification(1));
    assertEquals(List.of(), sent, "a frame of school-b's ana");
    assertEquals(List.of("1"), otherAna);
    hub.publish("default", notification(1));
    assertEquals(List.of("1"), sent);
    assertEquals(List.of("1"), otherAna);
  }

  @Test
  void aFrameIsTheNotificationAsTheClientReadsIt() {
    PushHub.Frame f = frame(7);
    assertEquals(7, f.seq());
    assertEquals("{\"id\":\"7\",\"type\":\"xp_granted\",\"learnerId\":\"ana\",\"eventId\":\"e-7\","
        + "\"at\":\"2026-03-02T10:00:00Z\",\"data\":{\"xp\":10}}", f.json());
  }
}
