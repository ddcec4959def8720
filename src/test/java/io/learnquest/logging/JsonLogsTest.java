package io.learnquest.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.learnquest.support.EngineProcess;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LOG_FORMAT=json}: the production logging configuration writes one JSON object per line
 * with {@code ts}, {@code level}, {@code logger}, {@code msg} and the request's {@code requestId},
 * and no key, token or password ever reaches a line, wherever it was on its way in: an
 * Authorization header, {@code ?access_token=}, {@code METRICS_TOKEN}, a password in a dumped
 * configuration, a library's message or an exception.
 */
class JsonLogsTest {
  static final String METRICS_TOKEN = "mtok-7f3a9c1e5b";
  static final String PG_PASSWORD = "pgpw-2d8e4f6a0c";
  static final String REDIS_PASSWORD = "rdpw-9b1c3e5f7a";
  /** The key every test engine is started with (LQ_BOOTSTRAP_KEY): a real credential, so it is answered. */
  static final String API_KEY = TestEngine.ADMIN_KEY;
  static final String QUERY_TOKEN = "qtok-5a7c9e1b3d";
  static final List<String> SECRETS = List.of(METRICS_TOKEN, PG_PASSWORD, REDIS_PASSWORD, API_KEY, QUERY_TOKEN,
      "libsec-1a2b3c", "urlsec-4d5e6f", "excsec-7a8b9c");

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private PrintStream originalOut;

  @AfterEach
  void restoreTestLogging() throws JoranException {
    if (originalOut != null) {
      System.setOut(originalOut);
    }
    System.clearProperty("LOG_FORMAT");
    System.clearProperty("LOG_LEVEL");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(getClass().getClassLoader().getResource("logback-test.xml"));
  }

  /** Logs through src/main/resources/logback.xml with LOG_FORMAT=json into a buffer, not the console. */
  private ByteArrayOutputStream captureProductionJsonLogs() throws JoranException {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    originalOut = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    System.setProperty("LOG_FORMAT", "json");
    System.setProperty("LOG_LEVEL", "DEBUG");
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
    return captured;
  }

  private HttpResponse<String> send(int port, String method, String path, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  /** Every line a JSON object with the four fields; a line that is not fails the test. */
  private static List<JsonObject> jsonLines(String output) {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      JsonObject json;
      try {
        json = new JsonObject(line);
      } catch (RuntimeException e) {
        throw new AssertionError("not one JSON object: " + line, e);
      }
      for (String field : List.of("ts", "level", "logger", "msg")) {
        assertTrue(json.containsKey(field), field + " missing in " + line);
      }
      lines.add(json);
    }
    return lines;
  }

  @Test
  void noKeyTokenOrPasswordReachesALogLine() throws Exception {
    ByteArrayOutputStream captured = captureProductionJsonLogs();
    String generated;
    try (TestEngine engine = TestEngine.start(Map.of("METRICS_TOKEN", METRICS_TOKEN, "PG_PASSWORD", PG_PASSWORD,
        "REDIS_PASSWORD", REDIS_PASSWORD))) {
      Logger log = LoggerFactory.getLogger("io.learnquest.JsonLogsTest");
      // a configuration dump, as a careless line (or a library) might write it
      log.info("configuration: {}", engine.engine.context().config());
      // a library that logs what it was given
      log.warn("upstream answered 401 to Authorization: Bearer {}", "libsec-1a2b3c");
      log.info("connecting to redis://default:{}@127.0.0.1:6379/0", "urlsec-4d5e6f");
      log.error("request failed", new IllegalStateException("GET /ws?learnerId=ana&access_token=excsec-7a8b9c"));

      HttpResponse<String> posted = send(engine.port, "POST", "/api/v1/events",
          TestEngine.event("log-evt-1", "log-ana", "daily_login").encode(),
          "Authorization", "Bearer " + API_KEY, "X-Request-Id", "log-req-1", "content-type", "application/json");
      assertEquals(202, posted.statusCode(), posted.body());
      assertEquals("log-req-1", posted.headers().firstValue("X-Request-Id").orElse(null));
      assertEquals(200, send(engine.port, "GET", "/metrics", null, "Authorization", "Bearer " + METRICS_TOKEN)
          .statusCode());
      assertEquals(401, send(engine.port, "GET", "/metrics", null, "Authorization", "Bearer " + METRICS_TOKEN + "x")
          .statusCode());
      HttpResponse<String> read = send(engine.port, "GET", "/api/v1/learners/log-ana?access_token=" + QUERY_TOKEN,
          null, "X-Request-Id", "not a sane id\u00e9");
      generated = read.headers().firstValue("X-Request-Id").orElseThrow();
      assertTrue(generated.matches("[0-9a-f-]{36}"), "a fresh id instead of an unsafe one: " + generated);
      // an SSE stream opened with a query token, then closed
      HttpResponse<InputStream> sse = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + engine.port
          + "/api/v1/learners/log-ana/notifications?access_token=" + QUERY_TOKEN)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      sse.body().close();
      TestEngine.eventually(Duration.ofSeconds(10), () -> captured.toString(StandardCharsets.UTF_8)
          .contains("\"requestId\":\"" + generated + "\""));
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    List<JsonObject> lines = jsonLines(output);
    assertTrue(lines.size() > 10, output);
    for (String secret : SECRETS) {
      assertFalse(output.contains(secret), "a secret reached the log: " + secret + "\n" + output);
    }
    assertTrue(lines.stream().anyMatch(l -> l.getString("msg").startsWith("configuration: ")), "the dump is there");
    assertTrue(lines.stream().anyMatch(l -> l.getString("msg").contains("Bearer ****")), "masked, not dropped");
    assertTrue(lines.stream().anyMatch(l -> "ERROR".equals(l.getString("level"))
        && l.getString("stack", "").contains("access_token=****")), "a stack trace, masked");
    JsonObject postLine = lines.stream().filter(l -> l.getString("msg").startsWith("POST /api/v1/events 202"))
        .findFirst().orElseThrow(() -> new AssertionError("no request line in\n" + output));
    assertEquals("log-req-1", postLine.getString("requestId"));
    assertEquals("log-evt-1", postLine.getString("eventId"));
    // a query token on a plain REST route is refused (401), and its line masks it all the same
    assertTrue(lines.stream().anyMatch(l -> l.getString("msg").startsWith("GET /api/v1/learners/log-ana 401")
        && generated.equals(l.getString("requestId"))), output);
  }

  @Test
  void aNodeStartedWithLogFormatJsonWritesOneJsonObjectPerLine(@TempDir Path dir) throws IOException {
    Path log = dir.resolve("node.log");
    try (EngineProcess node = new EngineProcess(Map.of("LOG_FORMAT", "json", "LOG_LEVEL", "DEBUG"), log)) {
      node.start();
      assertEquals(200, send(node.port, "GET", "/ready", null, "X-Request-Id", "proc-req-1").statusCode());
      TestEngine.eventually(Duration.ofSeconds(10), () -> readQuietly(log).contains("proc-req-1"));
    }
    List<JsonObject> lines = jsonLines(Files.readString(log));
    assertTrue(lines.stream().anyMatch(l -> l.getString("msg").contains("LearnQuest engine ready")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> "proc-req-1".equals(l.getString("requestId"))), lines.toString());
  }

  @Test
  void anUnknownLogFormatStopsStartUp() throws Exception {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "io.learnquest.Main");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("LOG_FORMAT", "xml");
    builder.environment().put("HTTP_PORT", "0");
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not exit");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("LOG_FORMAT must be one of [text, json]"), output);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
