package io.learnquest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ?wait=true} when the outcome's push cannot reach the waiting request: a node that serves
 * the API without rules instances (so its outcomes come from elsewhere, as in a cluster) and a
 * second engine on the same PostgreSQL that applies the event through its recovery pass, on an event
 * bus of its own, so its push is lost. The waiting request finds the outcome in the log (docs/api.md,
 * "Events").
 */
class LostPushApiTest {
  private TestEngine front;
  private TestEngine back;

  @AfterEach
  void stop() {
    if (back != null) {
      back.close();
    }
    if (front != null) {
      front.close();
    }
  }

  @Test
  void aWaitingRequestWhosePushIsLostIsAnsweredFromTheLog() {
    TestStores.emptyTestDatabase();
    front = TestEngine.startDurable(Map.of("RULES_INSTANCES", "0"));
    back = TestEngine.startDurable(Map.of("WEB_INSTANCES", "0", "INGESTION_INSTANCES", "0", "RECOVERY_INTERVAL_MS", "100"));

    TestEngine.Response answer = front.post("/api/v1/events?wait=true",
        TestEngine.event("lost-1", "ana", "lesson_completed").put("objectId", "l1"));

    assertEquals(200, answer.status(), answer.body());
    JsonObject outcome = answer.json();
    assertEquals("processed", outcome.getString("status"), answer.body());
    assertEquals(52, outcome.getLong("totalXp"), answer.body());
  }
}
