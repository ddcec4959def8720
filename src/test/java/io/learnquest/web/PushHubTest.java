package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A connection sends each notification once and in order, filling gaps from the history. */
class PushHubTest {
  final List<String> sent = new ArrayList<>();
  final List<Long> gapsAsked = new ArrayList<>();

  static JsonObject frame(long seq) {
    return new JsonObject().put("id", Long.toString(seq)).put("learnerId", "ana");
  }

  PushHub.Connection connection(long since, boolean replay) {
    return new PushHub.Connection("ana", since, replay, f -> sent.add(f.getString("id")),
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
    PushHub.Connection bob = new PushHub.Connection("bob", 0, false, f -> other.add(f.getString("id")), (c, a) -> { });
    hub.add(ana);
    hub.add(bob);
    hub.publish(frame(1));
    hub.remove(ana);
    hub.publish(frame(2));
    assertEquals(List.of("1"), sent);
    assertEquals(List.of(), other);
  }
}
