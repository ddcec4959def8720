package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/api.md: /health answers 200 while the node runs, /ready 200 while its stores answer. */
class HealthApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  @Test
  void healthIs200() {
    JsonObject body = ok(engine.get("/health"));
    assertEquals("UP", body.getString("status"));
  }

  @Test
  void aLoneNodeIsTheInactivitySweeperFromTheStart() {
    // The sweep interval is a minute: only taking the lease at start-up makes this true already.
    TestEngine.eventually(java.time.Duration.ofSeconds(5),
        () -> engine.get("/health").json().getBoolean("inactivitySweeper"));
  }

  @Test
  void readyIs200WhenTheStoresAnswer() {
    JsonObject body = ok(engine.get("/ready"));
    assertEquals("READY", body.getString("status"));
  }

  @Test
  void healthAndReadyStay200UnderWork() {
    engine.apply(ApiTestSupport.lesson("h-1", "ana"));
    assertEquals(200, engine.get("/health").status());
    assertEquals(200, engine.get("/ready").status());
  }
}
