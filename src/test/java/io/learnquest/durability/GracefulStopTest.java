package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.EngineProcess;
import io.learnquest.support.PrometheusText;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM while events flow, on an engine process (io.learnquest.Main): readiness answers 503 at
 * once (seen for certain: a request held in flight keeps the node up until the test has seen it),
 * the request in flight is finished (202, and applied), the process exits within
 * {@code shutdown.graceMs}, and every event answered 202 is applied:
 * with the durable stores it is in PostgreSQL, and applied there or by the next node on the same
 * database (recovery); with the embedded default, whose data ends with the process, the node has
 * applied it before exiting (it says so in its log when its grace left any unapplied).
 * {@code -DgracefulStop.repeats=N} repeats the stop per store (1 by default).
 */
class GracefulStopTest {
  static final int REPEATS = Integer.getInteger("gracefulStop.repeats", 1);
  static final long GRACE_MS = 10_000;
  /** A JVM's own exit after its shutdown hook, on a busy 2-core machine. */
  static final long EXIT_SLACK_MS = 5_000;
  static final int SENDERS = 6;
  static final int STOP_AFTER_ACCEPTED = 200;
  static final String GRACE_OVER = "Stopping: grace over with accepted events still unapplied";

  @ParameterizedTest(name = "store {0}")
  @ValueSource(strings = {"memory", "postgres"})
  void sigtermWhileEventsFlowStopsWithinTheGraceAndLosesNoAcceptedEvent(String store) throws Exception {
    for (int round = 0; round < REPEATS; round++) {
      stopWhileEventsFlow(store, round);
    }
  }

  private void stopWhileEventsFlow(String store, int round) throws Exception {
    Map<String, String> env = new HashMap<>();
    if (store.equals("postgres")) {
      TestStores.emptyTestDatabase();
      env.putAll(TestStores.postgresEnv());
    } else {
      env.put("STORE", "memory");
    }
    env.put("CONF_DIR", "conf");
    env.put("LOG_LEVEL", "INFO");
    env.put("SHUTDOWN_GRACE_MS", Long.toString(GRACE_MS));
    Path log = Files.createTempFile("graceful-stop-" + store, ".log");
    String run = "stop" + System.nanoTime() % 1_000_000_000L;
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicInteger shuttingDown = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    AtomicBoolean sending = new AtomicBoolean(true);
    try (EngineProcess engine = new EngineProcess(env, log)) {
      engine.start();
      HeldRequest held = HeldRequest.open(engine, TestEngine.event(run + "-held", run + "-held-learner",
          "lesson_completed").put("courseId", "stop-101").put("objectId", "stop-held"));
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
      List<Future<?>> sent = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        sent.add(senders.submit(() -> {
          for (int i = 0; sending.get(); i++) {
            String eventId = run + "-" + sender + "-" + i;
            JsonObject event = TestEngine.event(eventId, run + "-learner-" + (i % 20) + "-" + sender, "lesson_completed")
                .put("courseId", "stop-101").put("objectId", "stop-lesson-" + i);
            // Every third sender waits for the outcome: waits are in flight when the signal comes.
            String uri = engine.base() + (sender % 3 == 0 ? "/api/v1/events?wait=true" : "/api/v1/events");
            int status = EngineProcess.post(http, uri, event);
            if (status == 202 || status == 200) {
              accepted.add(eventId);
            } else if (status == 503) {
              shuttingDown.incrementAndGet();
            } else if (status < 0) {
              return null; // the node has gone
            } else {
              other.incrementAndGet();
            }
          }
          return null;
        }));
      }
      TestEngine.eventually(Duration.ofSeconds(60), () -> accepted.size() >= STOP_AFTER_ACCEPTED);

      // SIGTERM with a request in flight that cannot end before the test lets it: the node must
      // answer readiness 503 while it waits for that request, then finish it, then exit.
      long signalled = System.nanoTime();
      engine.terminate();
      TestEngine.eventually(Duration.ofSeconds(5), () -> {
        int ready = engine.status("/ready");
        assertTrue(ready != 200 || System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(1),
            "/ready still 200 a second after SIGTERM");
        assertTrue(engine.isAlive(), "the node exited with a request in flight");
        return ready == 503;
      });
      assertTrue(engine.isAlive(), store + " round " + round + ": the node exited with a request in flight");
      int heldStatus = held.finish();
      assertEquals(202, heldStatus, store + " round " + round + ": the request in flight at SIGTERM");
      accepted.add(held.eventId);
      boolean exited = engine.waitForExit(Duration.ofMillis(GRACE_MS + EXIT_SLACK_MS));
      long exitMs = (System.nanoTime() - signalled) / 1_000_000;
      sending.set(false);
      for (Future<?> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
      senders.shutdown();
      String nodeLog = engine.logText();
      assertTrue(exited, store + " round " + round + ": still running " + (GRACE_MS + EXIT_SLACK_MS)
          + " ms after SIGTERM; its log:\n" + tail(nodeLog));
      assertEquals(0, other.get(), store + " round " + round + ": answers other than 200, 202 and 503");
      assertTrue(nodeLog.contains("Shutdown complete"), store + " round " + round + ": " + tail(nodeLog));
      if (store.equals("postgres")) {
        assertAppliedByTheNextNode(env, accepted, log, store + " round " + round);
      } else {
        assertFalse(nodeLog.contains(GRACE_OVER),
            store + " round " + round + ": the embedded node exited with accepted events unapplied");
      }
      System.out.printf("GracefulStopTest %s round %d: %d accepted, %d refused while stopping, exited %d ms after "
          + "SIGTERM%n", store, round, accepted.size(), shuttingDown.get(), exitMs);
    }
  }

  /** Every accepted event is in PostgreSQL; a node started on it applies what the stop left pending. */
  private static void assertAppliedByTheNextNode(Map<String, String> env, Set<String> accepted, Path log,
                                                 String what) {
    String ids = String.join("','", accepted);
    long recorded = TestStores.query("SELECT count(*) FROM events WHERE event_id IN ('" + ids + "')").get(0)
        .getLong(0);
    assertEquals(accepted.size(), recorded, what + ": events answered 202 but not in PostgreSQL");
    long pendingAfterStop = TestStores.query("SELECT count(*) FROM pending_events").get(0).getLong(0);
    if (pendingAfterStop > 0) {
      Map<String, String> next = new HashMap<>(env);
      next.put("RECOVERY_INTERVAL_MS", "500");
      try (EngineProcess restarted = new EngineProcess(next, log)) {
        restarted.start();
        TestEngine.eventually(Duration.ofSeconds(90),
            () -> TestStores.query("SELECT count(*) FROM pending_events").get(0).getLong(0) == 0);
      }
    }
    long applied = TestStores.query("SELECT count(*) FROM events e JOIN event_outcomes o ON o.seq = e.seq "
        + "WHERE e.event_id IN ('" + ids + "')").get(0).getLong(0);
    assertEquals(accepted.size(), applied, what + ": events answered 202 and never applied");
  }

  /**
   * A POST whose body arrives a byte at a time (a space every second between the JSON's tokens),
   * so it stays in flight, its connection active, until {@link #finish} sends the rest: a request
   * the node has let in and must finish before it exits. Opened before the senders start, it is
   * the only request in flight when {@code learnquest_http_requests_in_flight} first reads 1.
   */
  static final class HeldRequest {
    private static final int PADDING = 600;
    final String eventId;
    private final Socket socket;
    private final OutputStream out;
    private final byte[] rest;
    private final Thread dripper;
    private int dripped;

    private HeldRequest(String eventId, Socket socket, byte[] rest) throws IOException {
      this.eventId = eventId;
      this.socket = socket;
      this.out = socket.getOutputStream();
      this.rest = rest;
      this.dripper = new Thread(this::drip, "held-request-drip");
      dripper.setDaemon(true);
    }

    static HeldRequest open(EngineProcess engine, JsonObject event) throws Exception {
      String json = event.encode();
      byte[] body = ("{" + " ".repeat(PADDING) + json.substring(1)).getBytes(StandardCharsets.UTF_8);
      Socket socket = new Socket("127.0.0.1", engine.port);
      socket.setSoTimeout((int) (GRACE_MS + EXIT_SLACK_MS));
      String head = "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:" + engine.port
          + "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + TestEngine.ADMIN_KEY
          + "\r\nContent-Length: " + body.length + "\r\n\r\n{";
      HeldRequest held = new HeldRequest(event.getString("eventId"), socket,
          Arrays.copyOfRange(body, 1, body.length));
      held.out.write(head.getBytes(StandardCharsets.UTF_8));
      held.out.flush();
      held.dripper.start();
      TestEngine.eventually(Duration.ofSeconds(30), () -> requestsInFlight(engine) == 1);
      return held;
    }

    private void drip() {
      try {
        while (true) {
          Thread.sleep(1_000);
          synchronized (this) {
            if (dripped >= PADDING - 1) {
              return;
            }
            out.write(rest, dripped++, 1);
            out.flush();
          }
        }
      } catch (InterruptedException | IOException e) {
        // finished, or the connection is gone (then finish() reports it)
      }
    }

    /** Sends the rest of the body; the answer's status. */
    int finish() throws IOException {
      dripper.interrupt();
      synchronized (this) {
        out.write(rest, dripped, rest.length - dripped);
        out.flush();
      }
      try (socket) {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String statusLine = in.readLine();
        assertTrue(statusLine != null && statusLine.startsWith("HTTP/1.1 "), "status line: " + statusLine);
        return Integer.parseInt(statusLine.substring(9, 12));
      }
    }

    /** The node's {@code learnquest_http_requests_in_flight}; -1 when /metrics did not answer. */
    private static double requestsInFlight(EngineProcess engine) {
      try {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(engine.base() + "/metrics")).timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());
        return new PrometheusText(metrics.body()).value("learnquest_http_requests_in_flight");
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
  }

  private static String tail(String text) {
    return text.length() <= 6_000 ? text : text.substring(text.length() - 6_000);
  }
}
