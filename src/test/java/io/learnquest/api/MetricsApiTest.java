package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.PrometheusText;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /metrics}: the engine's meters move with the events it answers and applies, the HTTP
 * server's histograms are labelled by route template, no learnerId or eventId appears anywhere in
 * the output, and the endpoint is answered only to who may read it.
 */
class MetricsApiTest {
  static final String TOKEN = "metrics-test-token-0123456789";

  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(TestEngine target, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.port + path))
        .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    }
  }

  private PrometheusText scrape(TestEngine target, String... headers) {
    HttpResponse<String> r = get(target, "/metrics", headers);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain"), r.headers().toString());
    return new PrometheusText(r.body());
  }

  private static double events(PrometheusText text, String outcome) {
    return text.value("learnquest_events_total", Map.of("outcome", outcome));
  }

  @Test
  void eventMetersMoveWithTheEventsAnswered() {
    PrometheusText before = scrape(engine);
    for (String outcome : new String[] {"accepted", "duplicate", "refused", "rate_limited"}) {
      assertEquals(0, events(before, outcome), outcome);
    }
    assertEquals(0, before.value("learnquest_event_apply_seconds_count"));

    engine.apply(event("mx-evt-1", "mx-learner-ana", "lesson_completed").put("objectId", "lesson-1"));
    engine.apply(event("mx-evt-2", "mx-learner-ana", "lesson_completed").put("objectId", "lesson-2"));
    assertEquals(200, engine.post("/api/v1/events", event("mx-evt-1", "mx-learner-ana", "lesson_completed")
        .put("objectId", "lesson-1")).status());
    assertEquals(400, engine.post("/api/v1/events", new JsonObject().put("eventId", "mx-evt-bad")
        .put("learnerId", "mx-learner-ana").put("type", "quiz_completed")).status());
    JsonObject batch = new JsonObject().put("events", new JsonArray()
        .add(event("mx-evt-3", "mx-learner-ben", "daily_login"))
        .add(new JsonObject().put("eventId", "mx-evt-4").put("learnerId", "mx-learner-ben")));
    assertEquals(200, engine.post("/api/v1/events/batch", batch).status());
    assertEquals(200, engine.get("/api/v1/learners/mx-learner-ana").status());

    TestEngine.eventually(ApiTestSupport.PATIENCE,
        () -> scrape(engine).value("learnquest_event_apply_seconds_count") == 3);
    PrometheusText after = scrape(engine);
    assertEquals(3, events(after, "accepted"));
    assertEquals(1, events(after, "duplicate"));
    assertEquals(2, events(after, "refused"));
    assertEquals(0, events(after, "rate_limited"));
    assertEquals(3, after.value("learnquest_event_apply_seconds_bucket", Map.of("le", "+Inf")));
    assertEquals(3, after.value("learnquest_event_apply_seconds_bucket", Map.of("le", "60.0")));
    assertEquals(0, after.value("learnquest_pending_events"), "everything accepted is applied");
    assertEquals(0, after.value("learnquest_push_connections"));
    assertEquals(0, after.value("learnquest_http_requests_in_flight"), "every request answered");
    // what the JIT compilers cost (Linux): the node has compiled something by now
    assertTrue(after.value("jvm_jit_cpu_seconds_total") > 0, after.find("jvm_jit_cpu_seconds_total", Map.of()).toString());
    for (String kind : new String[] {"leaderboard_rebuild"}) {
      after.value("learnquest_job_processed_items", Map.of("kind", kind));
      after.value("learnquest_job_expected_items", Map.of("kind", kind));
    }

    // The HTTP server's histograms, by route template, method and status code: the two events
    // applied and the duplicate answered 200, the invalid one 400, the batch 200, the read 200
    String latency = "learnquest_http_server_response_time_seconds";
    assertEquals(3, after.sum(latency + "_count", Map.of("route", "/api/v1/events", "method", "POST", "code", "200")),
        after.samples().toString());
    assertEquals(1, after.sum(latency + "_count", Map.of("route", "/api/v1/events", "method", "POST", "code", "400")));
    assertEquals(1, after.sum(latency + "_count",
        Map.of("route", "/api/v1/events/batch", "method", "POST", "code", "200")));
    assertEquals(1, after.sum(latency + "_count",
        Map.of("route", "/api/v1/learners/:learnerId", "method", "GET", "code", "200")));
    assertEquals(1, after.sum(latency + "_bucket", Map.of("route", "/api/v1/learners/:learnerId", "method", "GET",
        "code", "200", "le", "+Inf")), "a histogram, its last bucket holding every request");
  }

  @Test
  void aRefusalOfARouteIsTimedUnderItsRouteAndAnInventedMethodAsOther() throws IOException, InterruptedException {
    // refused by the events route's body limit, through the router's failure handler
    assertEquals(413, engine.post("/api/v1/events", event("mx-evt-big", "mx-learner-big", "daily_login")
        .put("padding", "x".repeat(70 * 1024)).encode()).status());
    for (String invented : new String[] {"FOO1", "FOO2"}) {
      HttpResponse<String> odd = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port
          + "/api/v1/learners/mx-learner-odd")).method(invented, HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(odd.statusCode() >= 400, invented + " " + odd.statusCode());
    }
    PrometheusText text = scrape(engine);
    String latency = "learnquest_http_server_response_time_seconds_count";
    assertEquals(1, text.sum(latency, Map.of("route", "/api/v1/events", "method", "POST", "code", "413")),
        text.samples().toString());
    assertEquals(2, text.sum(latency, Map.of("method", "OTHER")), text.samples().toString());
    assertTrue(text.find(latency, Map.of("method", "FOO1")).isEmpty(), "an invented method became a series");
  }

  @Test
  void aRequestWithoutARouteIsTimedWithoutOne() {
    assertEquals(404, engine.get("/api/v1/no-such-thing/mx-learner-zed").status());
    PrometheusText text = scrape(engine);
    assertEquals(1, text.sum("learnquest_http_server_response_time_seconds_count",
        Map.of("route", "", "method", "GET", "code", "404")), text.samples().toString());
  }

  @Test
  void noLearnerIdOrEventIdInAnyLabel() {
    engine.apply(event("mx-evt-secret-id", "mx-learner-cleo", "lesson_completed").put("objectId", "lesson-x"));
    assertEquals(200, engine.get("/api/v1/learners/mx-learner-cleo/xp").status());
    assertEquals(404, engine.get("/api/v1/learners/mx-learner-nobody").status());
    String text = get(engine, "/metrics").body();
    assertFalse(text.contains("mx-learner"), "a learnerId in the metrics");
    assertFalse(text.contains("mx-evt"), "an eventId in the metrics");
    assertFalse(text.contains("lesson-x"), "an objectId in the metrics");
    for (PrometheusText.Sample sample : new PrometheusText(text).samples()) {
      assertFalse(sample.labels().containsKey("path"), "a raw path label: " + sample);
    }
  }

  @Test
  void pushConnectionsAreCounted() throws IOException {
    HttpRequest sse = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port
        + "/api/v1/learners/mx-learner-dee/notifications")).header("authorization", "Bearer " + TestEngine.ADMIN_KEY)
        .build();
    HttpResponse<InputStream> stream;
    try {
      stream = client.send(sse, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    try (InputStream body = stream.body()) {
      TestEngine.eventually(ApiTestSupport.PATIENCE,
          () -> scrape(engine).value("learnquest_push_connections") == 1);
    }
    TestEngine.eventually(ApiTestSupport.PATIENCE, () -> scrape(engine).value("learnquest_push_connections") == 0);
  }

  @Test
  void withoutATokenOnlyThisHostThroughNoProxyMayScrape() {
    assertEquals(200, get(engine, "/metrics").statusCode());
    HttpResponse<String> proxied = get(engine, "/metrics", "X-Forwarded-For", "203.0.113.9");
    assertEquals(401, proxied.statusCode());
    assertEquals("unauthorized", new JsonObject(proxied.body()).getString("error"));
    assertEquals(401, get(engine, "/metrics", "Forwarded", "for=203.0.113.9").statusCode());
  }

  @Test
  void withATokenOnlyItsBearerMayScrape() {
    try (TestEngine guarded = TestEngine.start(Map.of("METRICS_TOKEN", TOKEN))) {
      HttpResponse<String> none = get(guarded, "/metrics");
      assertEquals(401, none.statusCode());
      assertTrue(none.headers().firstValue("content-type").orElse("").startsWith("application/json"));
      JsonObject body = new JsonObject(none.body());
      assertEquals("unauthorized", body.getString("error"));
      assertTrue(body.containsKey("message") && body.containsKey("field"), body.encode());
      assertEquals("Bearer realm=\"metrics\"", none.headers().firstValue("WWW-Authenticate").orElse(null));
      assertEquals(401, get(guarded, "/metrics", "Authorization", "Bearer wrong").statusCode());
      assertEquals(401, get(guarded, "/metrics", "Authorization", "Bearer " + TOKEN + "x").statusCode());
      assertEquals(401, get(guarded, "/metrics", "Authorization", TOKEN).statusCode());
      assertFalse(none.body().contains(TOKEN));
      PrometheusText text = scrape(guarded, "Authorization", "Bearer " + TOKEN);
      assertEquals(0, events(text, "accepted"));
      assertEquals(200, get(guarded, "/metrics", "Authorization", "bearer " + TOKEN,
          "X-Forwarded-For", "203.0.113.9").statusCode(), "with a token, a proxy in between is fine");
    }
  }
}
