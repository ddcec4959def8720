package io.learnquest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The load generator against an embedded node: what it measures, and invariant 4 afterwards; and
 * against nodes that are dead, failing or silent: it reports the failure and ends, never hangs.
 * The time bounds below only catch a hang; they are many times what a run takes.
 */
class LoadGeneratorTest {
  private static final Duration HANG = Duration.ofSeconds(60);

  /** Runs the generator, answering whether it succeeded and what it printed. */
  private record Run(boolean ok, String report) {
  }

  private static Run run(Map<String, String> args) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      boolean ok = new LoadGenerator(args).run();
      return new Run(ok, printed.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
    }
  }

  /** A fake node: 200 on /health, and {@code api} for everything else. */
  private static HttpServer fakeNode(Vertx vertx, Consumer<HttpServerRequest> api) {
    return TestEngine.await(vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/health")) {
        req.response().putHeader("content-type", "application/json").end("{\"status\":\"UP\"}");
      } else {
        api.accept(req);
      }
    }).listen(0, "127.0.0.1"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aDeadNodeStopsTheRunBeforeAnythingIsSent() throws Exception {
    String url = "http://127.0.0.1:" + freePort();
    LoadGenerator.NodeUnreachableException e = assertTimeoutPreemptively(HANG, () -> assertThrows(
        LoadGenerator.NodeUnreachableException.class,
        () -> run(Map.of("urls", url, "learners", "10", "events", "500"))));
    assertTrue(e.getMessage().startsWith("the node at " + url + " is not usable: GET /health did not answer"),
        e.getMessage());
  }

  @Test
  void aNodeFailingEveryRequestStopsTheRunAndPrintsNoThroughput() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer node = fakeNode(vertx, req -> req.response().setStatusCode(503)
          .putHeader("content-type", "application/json")
          .end("{\"error\":\"store_unavailable\",\"message\":\"down\",\"field\":null}"));
      Run result = assertTimeoutPreemptively(HANG, () -> run(Map.of("urls", "http://127.0.0.1:" + node.actualPort(),
          "learners", "10", "events", "500", "concurrency", "1")));
      assertFalse(result.ok(), result.report());
      assertTrue(result.report().contains("FAILED: the run stopped after 11 of 500 requests failed (more than "
          + "--max-failed 10)"), result.report());
      assertTrue(result.report().contains("HTTP statuses: {503=11}"), result.report());
      assertFalse(result.report().contains("events/s"), result.report());
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void aNodeThatNeverAnswersTimesOutRequestByRequest() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer node = fakeNode(vertx, req -> {
        // reads the request, never answers
      });
      Run result = assertTimeoutPreemptively(HANG, () -> run(Map.of("urls", "http://127.0.0.1:" + node.actualPort(),
          "learners", "10", "events", "100", "concurrency", "1", "timeout-ms", "300", "max-failed", "3")));
      assertFalse(result.ok(), result.report());
      assertTrue(result.report().contains("FAILED: the run stopped after 4 of 100 requests failed"), result.report());
      assertTrue(result.report().contains("no answer: {no answer within 300 ms=4}"), result.report());
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void unknownOptionsAndMissingValuesAreRefused() {
    assertEquals(Map.of("events", "10", "urls", "http://x:1"),
        LoadGenerator.parse(new String[] {"--events", "10", "--urls", "http://x:1"}));
    assertEquals("bench: unknown option --evnts", assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.parse(new String[] {"--evnts", "10"})).getMessage());
    assertEquals("bench: --events needs a value", assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.parse(new String[] {"--events"})).getMessage());
  }

  @Test
  void onlyTheEventsAfterTheHistoryAreMeasuredAndInvariantFourHolds() throws Exception {
    try (TestEngine node = TestEngine.startMemoryAt(Instant.now(), Map.of())) {
      Map<String, String> args = new HashMap<>(Map.of("key", TestEngine.ADMIN_KEY, "urls", "http://127.0.0.1:" + node.port, "learners", "20",
          "events", "60", "rate", "400", "history", "2", "pause-ms", "200", "timeline", "true"));
      PrintStream out = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      boolean ok;
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        ok = new LoadGenerator(args).run();
      } finally {
        System.setOut(out);
      }
      String report = printed.toString(StandardCharsets.UTF_8);
      assertTrue(ok, report);
      // 20 learners, 3 events each measured after 2 each of history: 60 measured of 100 sent.
      assertTrue(report.contains("sent 60 events in"), report);
      assertTrue(report.contains("invariant 4 (XP == ledger sum == global score) holds for 20 learners"), report);
      // Every measured second is reported, the first one from the end of the lull on.
      assertTrue(report.contains("  second   0:"), report);
    }
  }
}
