package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Answers of a kilobyte or more go gzip-compressed to a client that accepts gzip, with
 * {@code Vary: Accept-Encoding}; smaller answers (an event's) and answers to a client that does not
 * accept gzip go as they are.
 */
class CompressionApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<byte[]> send(String method, String path, String body, String acceptEncoding,
                                    String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port + path))
        .timeout(Duration.ofSeconds(20)).header("authorization", "Bearer " + TestEngine.ADMIN_KEY)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("content-type", "application/json");
    }
    if (acceptEncoding != null) {
      request.header("accept-encoding", acceptEncoding);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  private static String gunzip(byte[] body) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError("not gzip: " + e, e);
    }
  }

  @Test
  void aLargeAnswerIsCompressedForAClientThatAcceptsGzipAndOnlyForIt() {
    for (int i = 1; i <= 12; i++) {
      engine.apply(event("gz-evt-" + i, "gz-learner", "lesson_completed").put("objectId", "lesson-" + i));
    }
    String path = "/api/v1/learners/gz-learner/xp?limit=50";
    HttpResponse<byte[]> plain = send("GET", path, null, null);
    assertEquals(200, plain.statusCode());
    assertEquals(Optional.empty(), plain.headers().firstValue("content-encoding"));
    assertTrue(plain.body().length >= 1024, "a ledger of twelve lines is over a kilobyte: " + plain.body().length);
    assertEquals("accept-encoding", plain.headers().firstValue("vary").orElse("").toLowerCase());

    HttpResponse<byte[]> compressed = send("GET", path, null, "gzip, deflate");
    assertEquals(200, compressed.statusCode());
    assertEquals("gzip", compressed.headers().firstValue("content-encoding").orElse(null));
    assertEquals("accept-encoding", compressed.headers().firstValue("vary").orElse("").toLowerCase());
    assertTrue(compressed.body().length < plain.body().length / 2, compressed.body().length + " bytes");
    assertEquals(new JsonObject(new String(plain.body(), StandardCharsets.UTF_8)), new JsonObject(gunzip(compressed.body())));

    HttpResponse<byte[]> refused = send("GET", path, null, "gzip;q=0, br");
    assertEquals(Optional.empty(), refused.headers().firstValue("content-encoding"));
    assertEquals(new String(plain.body(), StandardCharsets.UTF_8), new String(refused.body(), StandardCharsets.UTF_8));
  }

  @Test
  void aCompressedAnswerToAnAllowedPageVariesByOriginAndByEncoding() {
    assertEquals(200, engine.put("/api/v1/auth/origins",
        new JsonObject().put("origins", new io.vertx.core.json.JsonArray().add("https://lms.example"))).status());
    for (int i = 1; i <= 12; i++) {
      engine.apply(event("gz-cors-" + i, "gz-learner-3", "lesson_completed").put("objectId", "lesson-" + i));
    }
    HttpResponse<byte[]> answer = send("GET", "/api/v1/learners/gz-learner-3/xp?limit=50", null, "gzip",
        "origin", "https://lms.example");
    assertEquals(200, answer.statusCode());
    assertEquals("https://lms.example", answer.headers().firstValue("access-control-allow-origin").orElse(null));
    assertEquals("gzip", answer.headers().firstValue("content-encoding").orElse(null));
    assertEquals(java.util.Set.of("origin", "accept-encoding"), answer.headers().allValues("vary").stream()
        .flatMap(v -> java.util.Arrays.stream(v.split(","))).map(v -> v.trim().toLowerCase())
        .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void anEventsAnswerIsSmallAndGoesAsItIs() {
    HttpResponse<byte[]> answer = send("POST", "/api/v1/events?wait=true",
        event("gz-evt-small", "gz-learner-2", "daily_login").encode(), "gzip");
    assertEquals(200, answer.statusCode(), new String(answer.body(), StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), answer.headers().firstValue("content-encoding"));
    assertEquals(Optional.empty(), answer.headers().firstValue("vary"));
    assertEquals("processed", new JsonObject(new String(answer.body(), StandardCharsets.UTF_8)).getString("status"));
  }

  @Test
  void theApiDocumentAndTheMetricsAreCompressedToo() {
    HttpResponse<byte[]> document = send("GET", "/openapi.json", null, "gzip");
    assertEquals(200, document.statusCode());
    assertEquals("gzip", document.headers().firstValue("content-encoding").orElse(null));
    assertEquals("3.1.0", new JsonObject(gunzip(document.body())).getString("openapi"));

    HttpResponse<byte[]> metrics = send("GET", "/metrics", null, "gzip");
    assertEquals(200, metrics.statusCode());
    assertEquals("gzip", metrics.headers().firstValue("content-encoding").orElse(null));
    assertTrue(gunzip(metrics.body()).contains("learnquest_events_total"));
  }
}
