package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.bus.Addresses;
import io.learnquest.support.TestEngine;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Overload refusal: once the events accepted and not yet applied reach {@code ingestion.maxBacklog}
 * (5 here), ingestion answers 503 {@code overloaded} with a Retry-After header and records nothing,
 * a batch is refused whole, and everything answered 202 is still applied. The nudges to the rules are
 * held on the bus (and the periodic recovery pass, which would nudge too, is far off), so the backlog
 * stays until the test lets it go, whatever the machine's speed.
 */
class OverloadApiTest {
  static final int BOUND = 5;

  @RegisterExtension
  final TestEngine engine = TestEngine.start(Map.of("INGESTION_MAX_BACKLOG", Integer.toString(BOUND),
      "RECOVERY_INTERVAL_MS", "600000"));

  private static JsonObject lesson(String eventId, String learnerId) {
    return TestEngine.event(eventId, learnerId, "lesson_completed").put("courseId", "ovl-101")
        .put("objectId", "obj-" + eventId);
  }

  @Test
  void pastTheBacklogBoundEventsAreRefusedWith503AndRetryAfterAndEveryAcceptedOneIsApplied() {
    List<DeliveryContext<?>> held = new ArrayList<>();
    AtomicBoolean holding = new AtomicBoolean(true);
    engine.vertx.eventBus().addOutboundInterceptor(delivery -> {
      synchronized (held) {
        if (holding.get() && Addresses.RULES_LEARNER_PENDING.equals(delivery.message().address())) {
          held.add(delivery);
          return;
        }
      }
      delivery.next();
    });

    // One learner per event, so each can be applied on its own once let go.
    List<String> accepted = new ArrayList<>();
    TestEngine.Response refused = null;
    for (int i = 0; i <= BOUND && refused == null; i++) {
      TestEngine.Response a = engine.post("/api/v1/events", lesson("ovl-" + i, "ovl-learner-" + i));
      if (a.status() == 202) {
        accepted.add("ovl-learner-" + i);
      } else {
        refused = a;
      }
    }
    assertTrue(refused != null, "the event past the bound was accepted too: nothing refuses a growing backlog");
    assertTrue(!accepted.isEmpty() && accepted.size() <= BOUND, "accepted before the refusal: " + accepted.size());
    assertEquals(503, refused.status(), refused.body());
    assertEquals("1", refused.header("retry-after"), "Retry-After of the refusal");
    assertError(refused, 503, "overloaded", null);

    // A batch is refused whole, a waiting request too, and nothing of them is recorded.
    JsonArray batch = new JsonArray().add(lesson("ovl-b1", "ovl-batch")).add(lesson("ovl-b2", "ovl-batch"));
    TestEngine.Response batchAnswer = engine.post("/api/v1/events/batch", new JsonObject().put("events", batch));
    assertEquals(503, batchAnswer.status(), batchAnswer.body());
    assertEquals("overloaded", batchAnswer.json().getString("error"));
    assertEquals("1", batchAnswer.header("retry-after"));
    TestEngine.Response waiter = engine.post("/api/v1/events?wait=true", lesson("ovl-w", "ovl-waiter"));
    assertEquals(503, waiter.status(), waiter.body());

    // Let the rules go: every event answered 202 is applied, and the node accepts again.
    List<DeliveryContext<?>> released;
    synchronized (held) {
      holding.set(false);
      released = List.copyOf(held);
    }
    released.forEach(DeliveryContext::next);
    for (String learner : accepted) {
      TestEngine.eventually(Duration.ofSeconds(60), () -> engine.get("/api/v1/learners/" + learner).status() == 200
          && engine.profile(learner).getLong("xp") > 0);
    }
    TestEngine.eventually(Duration.ofSeconds(30),
        () -> engine.post("/api/v1/events/batch", new JsonObject().put("events", batch)).status() == 200);
    JsonObject again = engine.post("/api/v1/events/batch", new JsonObject().put("events", batch)).json();
    assertEquals("duplicate", again.getJsonArray("results").getJsonObject(0).getString("status"),
        "the batch is recorded now, once");
    TestEngine.Response waited = engine.post("/api/v1/events?wait=true", lesson("ovl-w", "ovl-waiter"));
    assertEquals(200, waited.status(), "the refused event was not recorded, so it is new now: " + waited.body());
    assertEquals("processed", waited.json().getString("status"));
  }
}
