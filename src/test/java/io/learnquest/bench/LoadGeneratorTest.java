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
import java.util.concurrent.atomic.AtomicInteger;
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
    return run(new LoadGenerator(args));
  }

  private static Run run(LoadGenerator generator) throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      boolean ok = generator.run();
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

  /** A node whose every API request is answered 503 store_unavailable, without Retry-After. */
  private static HttpServer storeDownNode(Vertx vertx) {
    return fakeNode(vertx, req -> req.response().setStatusCode(503)
        .putHeader("content-type", "application/json")
        .end("{\"error\":\"store_unavailable\",\"message\":\"down\",\"field\":null}"));
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
      HttpServer node = storeDownNode(vertx);
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
  void anErrorInsideTheSendLoopEndsTheRunInsteadOfWaitingItsBound() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer node = fakeNode(vertx, req -> req.response().putHeader("content-type", "application/json")
          .end("{\"status\":\"processed\"}"));
      for (String loop : new String[] {"concurrency", "rate"}) {
        LoadGenerator generator = new LoadGenerator(Map.of("urls", "http://127.0.0.1:" + node.actualPort(),
            "learners", "10", "events", "500", loop, loop.equals("rate") ? "1000" : "4"));
        generator.beforePost = index -> {
          if (index == 20) {
            throw new IllegalStateException("boom at request 20");
          }
        };
        // Without the fix the run waits its 30-minute bound here.
        IllegalStateException e = assertTimeoutPreemptively(HANG, () -> assertThrows(IllegalStateException.class,
            () -> run(generator)), loop);
        assertTrue(e.getMessage().startsWith("the send loop failed: java.lang.IllegalStateException: boom at request 20"),
            e.getMessage());
      }
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
      Run result = run(args);
      String report = result.report();
      assertTrue(result.ok(), report);
      // 20 learners, 3 events each measured after 2 each of history: 60 measured of 100 sent.
      assertTrue(report.contains("sent 60 events in"), report);
      assertTrue(report.contains("invariant 4 (XP == ledger sum == global score) holds for 20 learners"), report);
      // Every measured second is reported, the first one from the end of the lull on.
      assertTrue(report.contains("  second   0:"), report);
      // the node's CPU over the 100 events it applied in the run (history included), and its JIT's share
      assertTrue(java.util.regex.Pattern.compile(
          "CPU per applied event: \\d+\\.\\d{3} ms \\(the node used \\d+\\.\\d{2} s of CPU for 100 applied events; "
              + "its JIT compilers \\d+\\.\\d{2} s of it\\)")
          .matcher(report).find(), report);
      // and the load generator's own, over the same 100 events (the history's 40 share the window)
      assertTrue(java.util.regex.Pattern.compile(
          "CPU of this load generator: \\d+\\.\\d{3} ms per event sent \\(\\d+\\.\\d{2} s\\)")
          .matcher(report).find(), report);
      assertTrue(report.contains("history: the first 2 events of each learner (40 events) go first"), report);
    }
  }

  /**
   * A warm-up larger than the measured events per learner takes more learners, not more events
   * each: each warm-up learner's events stay within the measured span, none dated after now (those
   * the engine refuses, 400, and a big warm-up stopped on them).
   */
  @Test
  void aWarmUpLargerThanTheMeasuredEventsPerLearnerIsDatedInThePast() throws Exception {
    try (TestEngine node = TestEngine.startMemoryAt(Instant.now(), Map.of())) {
      Map<String, String> args = new HashMap<>(Map.of("key", TestEngine.ADMIN_KEY, "urls", "http://127.0.0.1:" + node.port,
          "learners", "5", "events", "10", "warmup", "40", "concurrency", "4", "progress-ms", "0"));
      Run result = run(args);
      String report = result.report();
      assertTrue(result.ok(), report);
      assertTrue(report.contains("warm-up: 40 events sent, not measured"), report);
      assertTrue(report.contains("sent 10 events in"), report);
    }
  }

  @Test
  void theCpuPerAppliedEventComesFromTheNodesMetrics() {
    String before = "# TYPE process_cpu_time_ns_total counter\nprocess_cpu_time_ns_total 3.05E9\n"
        + "learnquest_event_apply_seconds_count 100\nlearnquest_event_apply_seconds_sum 1.5\n";
    String after = "process_cpu_time_ns_total 4.05E9\nlearnquest_event_apply_seconds_count 2100\n";
    NodeCpu delta = NodeCpu.total(java.util.List.of(NodeCpu.parse(after), NodeCpu.parse(after)))
        .minus(NodeCpu.total(java.util.List.of(NodeCpu.parse(before), NodeCpu.parse(before))));
    assertEquals("CPU per applied event: 0.500 ms (the 2 nodes together used 2.00 s of CPU for 4000 applied events)",
        NodeCpu.report(delta, 2));
    // with the CPU of the JIT compiler threads reported, its share is named
    String compiledBefore = before + "# TYPE jvm_jit_cpu_seconds_total counter\njvm_jit_cpu_seconds_total 1.2\n";
    String compiledAfter = after + "jvm_jit_cpu_seconds_total{node=\"a\"} 1.95\n";
    NodeCpu compiled = NodeCpu.total(java.util.List.of(NodeCpu.parse(compiledAfter), NodeCpu.parse(compiledAfter)))
        .minus(NodeCpu.total(java.util.List.of(NodeCpu.parse(compiledBefore), NodeCpu.parse(compiledBefore))));
    assertEquals("CPU per applied event: 0.500 ms (the 2 nodes together used 2.00 s of CPU for 4000 applied events; "
        + "their JIT compilers 1.50 s of it)", NodeCpu.report(compiled, 2));
    assertEquals("CPU per applied event: 0.500 ms (the node used 1.00 s of CPU for 2000 applied events; "
        + "its JIT compilers 0.75 s of it)", NodeCpu.report(NodeCpu.parse(compiledAfter)
        .minus(NodeCpu.parse(compiledBefore)), 1));
    assertEquals("CPU of this load generator: 0.250 ms per event sent (1.00 s)",
        LoadGenerator.ownCpuLine(1_000_000_000L, 4000));
    IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> NodeCpu.parse("learnquest_event_apply_seconds_count 1\n"));
    assertTrue(missing.getMessage().contains("process_cpu_time_ns_total"), missing.getMessage());
  }

  @Test
  void whileItSendsItPrintsProgressLines() throws Exception {
    try (TestEngine node = TestEngine.startMemoryAt(Instant.now(), Map.of())) {
      Run result = assertTimeoutPreemptively(HANG, () -> run(Map.of("key", TestEngine.ADMIN_KEY,
          "urls", "http://127.0.0.1:" + node.port, "learners", "10", "events", "100", "rate", "200",
          "progress-ms", "100")));
      assertTrue(result.ok(), result.report());
      // 100 events at 200/s take half a second: several lines, each answered / total, rate, ETA.
      java.util.List<String> lines = result.report().lines().filter(l -> l.startsWith("progress: ")).toList();
      assertTrue(lines.size() >= 2, result.report());
      java.util.regex.Pattern shape = java.util.regex.Pattern.compile(
          "progress: (\\d+) / 100 \\(\\d+\\.\\d%\\), \\d+/s, ETA (\\d+ s|unknown) answered; (\\d+) sent, 0 failed");
      long previous = -1;
      for (String line : lines) {
        java.util.regex.Matcher m = shape.matcher(line);
        assertTrue(m.matches(), line);
        long answeredSoFar = Long.parseLong(m.group(1));
        assertTrue(answeredSoFar >= previous && answeredSoFar <= Long.parseLong(m.group(3)), line);
        previous = answeredSoFar;
      }
    }
  }

  @Test
  void anOverloadRunCountsRefusalsApartAndChecksThatEveryAcceptedEventIsApplied() throws Exception {
    // A backlog bound of 1: past the first accepted event of each count, ingestion refuses.
    try (TestEngine node = TestEngine.startMemoryAt(Instant.now(), Map.of("INGESTION_MAX_BACKLOG", "1"))) {
      Run result = assertTimeoutPreemptively(HANG, () -> run(Map.of("key", TestEngine.ADMIN_KEY,
          "urls", "http://127.0.0.1:" + node.port, "learners", "20", "events", "400", "rate", "2000",
          "wait", "false", "refusals-ok", "true")));
      assertTrue(result.ok(), result.report());
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "of which (\\d+) accepted \\(\\d+ events/s\\) and (\\d+) refused 503 with Retry-After").matcher(result.report());
      assertTrue(m.find(), result.report());
      int accepted = Integer.parseInt(m.group(1));
      int refusedAnswers = Integer.parseInt(m.group(2));
      assertTrue(accepted > 0 && refusedAnswers > 0, result.report());
      assertEquals(400, accepted + refusedAnswers, result.report());
      assertTrue(result.report().contains("every one of the " + accepted + " events answered 202 is applied"),
          result.report());
      assertTrue(result.report().contains("HTTP statuses: {202=" + accepted + ", 503=" + refusedAnswers + "}"),
          result.report());
    }
  }

  @Test
  void a503WithoutRetryAfterIsAFailureEvenInAnOverloadRun() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer node = storeDownNode(vertx);
      Run result = assertTimeoutPreemptively(HANG, () -> run(Map.of("urls", "http://127.0.0.1:" + node.actualPort(),
          "learners", "10", "events", "500", "concurrency", "1", "refusals-ok", "true")));
      assertFalse(result.ok(), result.report());
      assertTrue(result.report().contains("FAILED: the run stopped after 11 of 500 requests failed"), result.report());
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void anAcceptedEventThatIsNeverAppliedFailsTheRun() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // Accepts every event, and answers a resent one as a duplicate without an outcome: never applied.
      HttpServer node = fakeNode(vertx, req -> {
        String body = req.path().endsWith("/xp") ? "{\"entries\":[]}"
            : req.path().contains("/around/") ? "{\"entries\":[{\"xp\":0}]}"
            : req.method().name().equals("GET") ? "{\"xp\":0}"
            : req.query() != null && req.query().contains("wait=true") ? "{\"eventId\":\"x\",\"status\":\"duplicate\"}"
            : "{\"eventId\":\"x\",\"status\":\"accepted\"}";
        int status = req.method().name().equals("POST") && (req.query() == null || !req.query().contains("wait=true"))
            ? 202 : 200;
        req.body().onSuccess(b -> req.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(body));
      });
      LoadGenerator generator = new LoadGenerator(Map.of("urls", "http://127.0.0.1:" + node.actualPort(),
          "learners", "2", "events", "6", "concurrency", "2", "wait", "false"));
      generator.appliedDeadlineMs = 1_000;
      Run result = assertTimeoutPreemptively(HANG, () -> run(generator));
      String report = result.report();
      assertFalse(result.ok(), report);
      assertTrue(report.contains("invariant 4 (XP == ledger sum == global score) holds for 2 learners"), report);
      assertTrue(report.contains("FAILED: 6 of the 6 events answered 202 are not applied after 1 s"), report);
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void theInvariantChecksGoRoundRobinOverTheNodesLikeTheEvents() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      // Two nodes that apply every event and know every learner with 0 XP; each counts its reads.
      AtomicInteger[] reads = {new AtomicInteger(), new AtomicInteger()};
      HttpServer[] nodes = new HttpServer[2];
      for (int n = 0; n < 2; n++) {
        AtomicInteger count = reads[n];
        nodes[n] = fakeNode(vertx, req -> {
          if (req.method().name().equals("GET") && req.path().startsWith("/api/")) {
            count.incrementAndGet();
          }
          String body = req.path().endsWith("/xp") ? "{\"entries\":[]}"
              : req.path().contains("/around/") ? "{\"entries\":[{\"xp\":0}]}"
              : req.method().name().equals("GET") ? "{\"xp\":0}"
              : "{\"eventId\":\"x\",\"status\":\"applied\"}";
          req.body().onSuccess(b -> req.response().putHeader("content-type", "application/json").end(body));
        });
      }
      LoadGenerator generator = new LoadGenerator(Map.of("urls",
          "http://127.0.0.1:" + nodes[0].actualPort() + ",http://127.0.0.1:" + nodes[1].actualPort(),
          "learners", "4", "events", "8", "concurrency", "2"));
      Run result = assertTimeoutPreemptively(HANG, () -> run(generator));
      assertTrue(result.report().contains("invariant 4 (XP == ledger sum == global score) holds for 4 learners"),
          result.report());
      // Three reads per learner (profile, ledger, board), two learners on each node.
      assertEquals(6, reads[0].get(), result.report());
      assertEquals(6, reads[1].get(), result.report());
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void requestsBeyondTheConnectionBoundWaitForAFreeConnection() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
      HttpServer node = TestEngine.await(vertx.createHttpServer()
          .connectionHandler(c -> connections.incrementAndGet())
          .requestHandler(req -> vertx.setTimer(20, t -> req.response().setStatusCode(202).end("{}")))
          .listen(0, "127.0.0.1"));
      io.vertx.core.Promise<java.util.List<Integer>> all = io.vertx.core.Promise.promise();
      vertx.runOnContext(v -> {
        KeepAliveHttp http = new KeepAliveHttp(vertx, "http://127.0.0.1:" + node.actualPort(), 10_000, null, 4);
        java.util.List<io.vertx.core.Future<Integer>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
          sent.add(http.send(http.postRequest("/api/v1/events", io.vertx.core.buffer.Buffer.buffer("{}"))));
        }
        io.vertx.core.Future.all(sent).map(f -> sent.stream().map(io.vertx.core.Future::result).toList())
            .onComplete(all);
      });
      java.util.List<Integer> statuses = all.future().await(30, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(java.util.Collections.nCopies(50, 202), statuses);
      assertTrue(connections.get() <= 4, connections.get() + " connections for a bound of 4");
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  /**
   * An open loop sends each request when its planned time comes, which is where its latency is
   * counted from; sent one interval later, every latency was one interval too long (5 ms at 200 a
   * second).
   */
  @Test
  void anOpenLoopRequestIsDueAtItsPlannedTime() {
    int rate = 200;
    assertTrue(LoadGenerator.due(0, 0, rate, 0, 0), "the first at once");
    assertFalse(LoadGenerator.due(1, 4_999_999, rate, 0, 0));
    assertTrue(LoadGenerator.due(1, 5_000_000, rate, 0, 0), "the second 5 ms later");
    // 10 history requests (at 0 to 45 ms), a 100 ms lull, then the measured ones from 150 ms
    assertTrue(LoadGenerator.due(9, 45_000_000, rate, 10, 100_000_000));
    assertFalse(LoadGenerator.due(10, 149_999_999, rate, 10, 100_000_000), "the lull");
    assertTrue(LoadGenerator.due(10, 150_000_000, rate, 10, 100_000_000), "the first measured, at 50 + 100 ms");
    assertTrue(LoadGenerator.due(11, 155_000_000, rate, 10, 100_000_000));
    assertFalse(LoadGenerator.due(12, 155_000_000, rate, 10, 100_000_000));
  }
}
