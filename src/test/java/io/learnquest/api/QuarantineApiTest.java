package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.FailingLearnerStore;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events that can never be applied (the store refuses them for good) are moved aside into the
 * quarantine after a bounded number of tries, so their learner's later events go on; an admin
 * lists, retries and discards them. A store that is down is not a reason: those events wait.
 * Runs on the embedded default and, with {@code -Dtest.store=postgres}, on the durable stores.
 */
class QuarantineApiTest {
  /** A test asks what happens, not how fast: on a loaded 2-core machine a first drain may take seconds. */
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final int MAX_ATTEMPTS = 3;

  private final AtomicReference<FailingLearnerStore> store = new AtomicReference<>();
  private final TestEngine engine = FailingLearnerStore.engine(Map.of("RECOVERY_INTERVAL_MS", "100",
      "QUARANTINE_MAX_ATTEMPTS", Integer.toString(MAX_ATTEMPTS)), store);

  @AfterEach
  void close() {
    engine.close();
  }

  private FailingLearnerStore store() {
    return store.get();
  }

  private JsonArray quarantined() {
    return ok(engine.get("/api/v1/admin/quarantine")).getJsonArray("events");
  }

  private JsonObject quarantinedOne(String eventId) {
    TestEngine.eventually(PATIENCE, () -> quarantined().stream()
        .anyMatch(e -> eventId.equals(((JsonObject) e).getString("eventId"))));
    return quarantined().stream().map(JsonObject.class::cast)
        .filter(e -> eventId.equals(e.getString("eventId"))).findFirst().orElseThrow();
  }

  private JsonArray ledgerEventIds(String learnerId) {
    JsonArray ids = new JsonArray();
    ok(engine.get("/api/v1/learners/" + learnerId + "/xp")).getJsonArray("entries")
        .forEach(e -> ids.add(((JsonObject) e).getString("eventId")));
    return ids;
  }

  /** Prometheus text, read past the API document check (which validates JSON answers). */
  private String scrapeMetrics() {
    try {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + engine.port + "/metrics"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return r.body();
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private void appliedEventually(String learnerId, String... eventIds) {
    TestEngine.eventually(PATIENCE, () -> engine.get("/api/v1/learners/" + learnerId + "/xp").status() == 200
        && ledgerEventIds(learnerId).getList().containsAll(java.util.List.of(eventIds)));
  }

  @Test
  void anEventTheStoreRefusesIsQuarantinedAndTheLearnersNextEventsApply() {
    store().refused.add("q-1");
    assertEquals(202, engine.post("/api/v1/events", lesson("q-1", "ana").put("objectId", "l-1")).status());
    assertEquals(202, engine.post("/api/v1/events", lesson("q-2", "ana").put("objectId", "l-2")).status());
    assertEquals(202, engine.post("/api/v1/events", lesson("q-3", "ana").put("objectId", "l-3")).status());
    // Before the quarantine they were stuck behind q-1 for good.
    appliedEventually("ana", "q-2", "q-3");
    assertFalse(ledgerEventIds("ana").contains("q-1"));
    long ledgerXp = ok(engine.get("/api/v1/learners/ana/xp")).getJsonArray("entries").stream()
        .mapToLong(e -> ((JsonObject) e).getLong("xp")).sum();
    assertEquals(ledgerXp, engine.profile("ana").getLong("xp"));

    JsonObject listed = quarantinedOne("q-1");
    assertEquals("ana", listed.getString("learnerId"));
    assertEquals(MAX_ATTEMPTS, listed.getInteger("attempts"));
    assertEquals(MAX_ATTEMPTS, store().triesOf("q-1"), "tried a bounded number of times, then no more");
    assertTrue(listed.getString("reason").startsWith("store_refused"), listed.encode());
    assertNotNull(java.time.Instant.parse(listed.getString("at")));
    assertEquals(1, ok(engine.get("/api/v1/admin/quarantine")).getLong("count"));

    // A flag on the learner, and the count in /metrics.
    JsonObject flag = ok(engine.get("/api/v1/learners/ana/flags")).getJsonArray("flags").stream()
        .map(JsonObject.class::cast).filter(f -> "q-1".equals(f.getString("eventId"))).findFirst().orElseThrow();
    assertEquals("quarantined", flag.getString("rule"));
    assertEquals(listed.getString("reason"), flag.getString("detail"));
    assertEquals(1, new io.learnquest.support.PrometheusText(scrapeMetrics()).value("learnquest_quarantined_events"));
  }

  @Test
  void aRetryAppliesTheEventOnceItsCauseIsGoneAndItLeavesTheQuarantine() {
    store().refused.add("r-1");
    assertEquals(202, engine.post("/api/v1/events", lesson("r-1", "ben").put("objectId", "l-1")).status());
    assertEquals(202, engine.post("/api/v1/events", lesson("r-2", "ben").put("objectId", "l-2")).status());
    appliedEventually("ben", "r-2");
    quarantinedOne("r-1");

    // Still refused: back in the quarantine, with its reason.
    JsonObject again = ok(engine.post("/api/v1/admin/quarantine/r-1/retry", ""));
    assertEquals("quarantined", again.getString("status"), again.encode());
    assertTrue(again.getString("reason").startsWith("store_refused"), again.encode());
    quarantinedOne("r-1");

    store().refused.remove("r-1");
    long before = engine.profile("ben").getLong("xp");
    JsonObject applied = ok(engine.post("/api/v1/admin/quarantine/r-1/retry", ""));
    assertEquals("applied", applied.getString("status"), applied.encode());
    assertEquals("ben", applied.getString("learnerId"));
    assertTrue(applied.getJsonObject("outcome").getLong("totalXp") > before);
    assertEquals(applied.getJsonObject("outcome").getLong("totalXp"), engine.profile("ben").getLong("xp"));
    assertTrue(ledgerEventIds("ben").contains("r-1"));
    assertEquals(0, quarantined().size());
    assertEquals(404, engine.post("/api/v1/admin/quarantine/r-1/retry", "").status(), "no longer quarantined");
  }

  @Test
  void aDiscardedEventIsNeverAppliedAndItsEventIdStaysTaken() {
    store().refused.add("d-1");
    assertEquals(202, engine.post("/api/v1/events", lesson("d-1", "cy").put("objectId", "l-1")).status());
    assertEquals(202, engine.post("/api/v1/events", lesson("d-2", "cy").put("objectId", "l-2")).status());
    appliedEventually("cy", "d-2");
    quarantinedOne("d-1");
    long xp = engine.profile("cy").getLong("xp");
    ApiTestSupport.assertError(engine.post("/api/v1/events/d-1/void", new JsonObject().put("reason", "x")), 409,
        "conflict", "eventId");
    assertEquals(xp, engine.profile("cy").getLong("xp"), "a quarantined event is not voided: there is nothing to take back");

    JsonObject discarded = ok(engine.post("/api/v1/admin/quarantine/d-1/discard", ""));
    assertEquals("discarded", discarded.getString("status"));
    assertEquals("cy", discarded.getString("learnerId"));
    assertEquals(0, quarantined().size());
    assertEquals(0, ok(engine.get("/api/v1/admin/quarantine")).getLong("count"));

    store().refused.remove("d-1");
    TestEngine.Response resent = engine.post("/api/v1/events", lesson("d-1", "cy").put("objectId", "l-1"));
    assertEquals(200, resent.status(), resent.body());
    assertEquals("duplicate", resent.json().getString("status"));
    assertEquals(404, engine.post("/api/v1/admin/quarantine/d-1/retry", "").status());
    assertEquals(404, engine.post("/api/v1/admin/quarantine/d-1/discard", "").status());
    ApiTestSupport.assertError(engine.post("/api/v1/events/d-1/void", new JsonObject().put("reason", "x")), 409,
        "conflict", "eventId");
    assertEquals(202, engine.post("/api/v1/events", lesson("d-3", "cy").put("objectId", "l-3")).status());
    appliedEventually("cy", "d-3");
    assertFalse(ledgerEventIds("cy").contains("d-1"), "never applied");
    assertTrue(engine.profile("cy").getLong("xp") > xp);
  }

  @Test
  void aStoreThatIsDownIsWaitedForNotQuarantined() {
    store().unreachable.add("t-1");
    assertEquals(202, engine.post("/api/v1/events", lesson("t-1", "dee").put("objectId", "l-1")).status());
    assertEquals(202, engine.post("/api/v1/events", lesson("t-2", "dee").put("objectId", "l-2")).status());
    // Recovery passes (every 100 ms) try again and again, well past the quarantine's bound ...
    TestEngine.eventually(PATIENCE, () -> store().triesOf("t-1") > 3 * MAX_ATTEMPTS);
    assertEquals(0, quarantined().size());
    assertEquals(0, store().triesOf("t-2"), "the learner's later events wait behind it, in order");
    // ... and once the store is back, both apply in order.
    store().unreachable.remove("t-1");
    appliedEventually("dee", "t-1", "t-2");
    assertEquals(0, quarantined().size());
  }

  @Test
  void unknownAndMalformedEventIdsAreRefused() {
    TestEngine.Response unknown = engine.post("/api/v1/admin/quarantine/nope/retry", "");
    assertEquals(404, unknown.status());
    assertEquals("not_found", unknown.json().getString("error"));
    assertEquals(400, engine.get("/api/v1/admin/quarantine?limit=0").status());
  }
}
