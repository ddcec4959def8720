package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.learnquest.support.PrometheusText;
import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contract section 11, rate limits: requests per key per second and events per learner per minute.
 * Beyond either, 429 {@code rate_limited} with Retry-After, and nothing changes. The budgets refill
 * on the engine's clock, which the test moves by hand. Runs on both stores (on Redis the budgets are
 * the shared ones every node uses).
 */
class RateLimitApiTest {
  private TestEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  private void start(String requestsPerKeyPerSecond, String eventsPerLearnerPerMinute) {
    Map<String, String> env = new HashMap<>();
    env.put("LIMITS_REQUESTS_PER_KEY_PER_SECOND", requestsPerKeyPerSecond);
    env.put("LIMITS_EVENTS_PER_LEARNER_PER_MINUTE", eventsPerLearnerPerMinute);
    engine = TestEngine.start(env);
  }

  private double rateLimited() {
    String text = io.learnquest.metrics.EngineMetrics.of(engine.vertx).registry().scrape();
    return new PrometheusText(text).value("learnquest_events_total", Map.of("outcome", "rate_limited"));
  }

  @Test
  void aKeyBeyondItsRequestsPerSecondGets429WithRetryAfterUntilItsBudgetRefills() {
    start("5", "1000");
    String reader = engine.newKey("reader", "learners:read");
    String writer = engine.newKey("writer", "events:write");
    for (int i = 0; i < 5; i++) {
      assertEquals(404, engine.requestAs(reader, HttpMethod.GET, "/api/v1/learners/nobody", null).status());
    }
    TestEngine.Response refused = engine.requestAs(reader, HttpMethod.GET, "/api/v1/learners/nobody", null);
    assertError(refused, 429, "rate_limited", null);
    assertEquals("1", refused.header("retry-after"));
    // another key of the same tenant has a budget of its own
    assertEquals(202, engine.requestAs(writer, HttpMethod.POST, "/api/v1/events",
        event("rk-1", "ana", "daily_login")).status());

    // the writer spends its budget: its sixth event is refused before anything is read or stored
    for (int i = 2; i <= 5; i++) {
      assertEquals(202, engine.requestAs(writer, HttpMethod.POST, "/api/v1/events",
          event("rk-" + i, "ana", "daily_login")).status());
    }
    TestEngine.Response sixth = engine.requestAs(writer, HttpMethod.POST, "/api/v1/events",
        event("rk-6", "ana", "daily_login"));
    assertError(sixth, 429, "rate_limited", null);
    assertEquals(1.0, rateLimited());
    TestEngine.Response batch = engine.requestAs(writer, HttpMethod.POST, "/api/v1/events/batch",
        new JsonObject().put("events", new JsonArray().add(event("rk-7", "ana", "daily_login"))));
    assertError(batch, 429, "rate_limited", null);

    // a fifth of a second later one request fits again (5 a second), and the refused event was never taken
    engine.clock.advance(Duration.ofMillis(200));
    assertEquals(202, engine.requestAs(writer, HttpMethod.POST, "/api/v1/events",
        event("rk-6", "ana", "daily_login")).status(), "rk-6 was refused, not recorded: it is accepted now");
    assertError(engine.requestAs(writer, HttpMethod.POST, "/api/v1/events", event("rk-7", "ana", "daily_login")),
        429, "rate_limited", null);
    engine.clock.advance(Duration.ofSeconds(1));
    for (int i = 0; i < 5; i++) {
      assertEquals(404, engine.requestAs(reader, HttpMethod.GET, "/api/v1/learners/nobody", null).status());
    }
  }

  @Test
  void aLearnerBeyondItsEventsPerMinuteGets429AndTheEventIsNotRecorded() {
    start("1000", "3");
    for (int i = 1; i <= 3; i++) {
      engine.apply(event("rl-" + i, "ana", "lesson_completed").put("objectId", "lesson-" + i));
    }
    JsonObject before = engine.profile("ana");
    JsonObject ledgerBefore = ok(engine.get("/api/v1/learners/ana/xp"));
    TestEngine.Response refused = engine.post("/api/v1/events?wait=true",
        event("rl-4", "ana", "lesson_completed").put("objectId", "lesson-4"));
    assertError(refused, 429, "rate_limited", null);
    assertEquals("20", refused.header("retry-after"), "one event of 3 a minute fits again after 20 s");
    assertEquals(1.0, rateLimited());
    // nothing changed: profile, ledger; and another learner is not held back by ana's budget
    assertEquals(before, engine.profile("ana"));
    assertEquals(ledgerBefore, ok(engine.get("/api/v1/learners/ana/xp")));
    assertEquals(200, engine.post("/api/v1/events?wait=true",
        event("rl-b1", "ben", "lesson_completed").put("objectId", "lesson-1")).status());

    // 20 s later one more of ana's events fits; the refused eventId was not burnt
    engine.clock.advance(Duration.ofSeconds(20));
    JsonObject outcome = engine.apply(event("rl-4", "ana", "lesson_completed").put("objectId", "lesson-4"));
    assertEquals("processed", outcome.getString("status"));
    assertEquals(429, engine.post("/api/v1/events", event("rl-5", "ana", "daily_login")).status());
  }

  @Test
  void aBatchTakesEachLearnersFirstEventsThatFitAndRefusesTheRestOneByOne() {
    start("1000", "3");
    JsonArray events = new JsonArray();
    for (int i = 1; i <= 5; i++) {
      events.add(event("rb-a" + i, "ana", "lesson_completed").put("objectId", "lesson-" + i));
    }
    events.add(event("rb-b1", "ben", "daily_login"));
    TestEngine.Response answer = engine.post("/api/v1/events/batch", new JsonObject().put("events", events));
    JsonArray results = ok(answer).getJsonArray("results");
    assertEquals(6, results.size());
    for (int i = 0; i < 3; i++) {
      assertEquals("accepted", results.getJsonObject(i).getString("status"), results.encode());
    }
    for (int i = 3; i < 5; i++) {
      JsonObject item = results.getJsonObject(i);
      assertEquals("rb-a" + (i + 1), item.getString("eventId"));
      assertNull(item.getString("status"));
      assertEquals("rate_limited", item.getJsonObject("error").getString("error"));
    }
    assertEquals("accepted", results.getJsonObject(5).getString("status"));
    assertEquals("20", answer.header("retry-after"));
    assertEquals(2.0, rateLimited());
    TestEngine.eventually(ApiTestSupport.PATIENCE, () -> {
      TestEngine.Response profile = engine.get("/api/v1/learners/ana");
      return profile.status() == 200 && profile.json().getJsonObject("counters").getLong("lessonsCompleted", 0L) == 3;
    });

    // the refused ones were never recorded: sent again once the budget refilled, they are accepted
    engine.clock.advance(Duration.ofMinutes(1));
    JsonArray again = ok(engine.post("/api/v1/events/batch", new JsonObject().put("events",
        new JsonArray().add(events.getJsonObject(3)).add(events.getJsonObject(4))))).getJsonArray("results");
    assertEquals("accepted", again.getJsonObject(0).getString("status"), again.encode());
    assertEquals("accepted", again.getJsonObject(1).getString("status"), again.encode());
  }
}
