package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.EngineProcess;
import io.learnquest.bench.EventMix;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Invariant 2 (no lost acceptance) under SIGKILL: an engine process is killed while events are
 * being accepted and applied, then restarted. Every event answered 202 must be applied exactly
 * once, and every learner must end exactly as if the accepted events had been applied one by one
 * in the embedded default (which this test does, in acceptance order, to compare).
 */
class CrashRecoveryTest {
  static final int LEARNERS = 40;
  static final int PER_LEARNER = 30;
  static final int SENDERS = 8;
  static final int KILL_AFTER_ACCEPTED = 300;
  static final String NO_SWEEP = Long.toString(Duration.ofDays(1).toMillis());

  @Test
  void everyAcceptedEventIsAppliedExactlyOnceAcrossAKill() throws Exception {
    TestStores.emptyTestDatabase();
    Map<String, String> env = new HashMap<>(TestStores.postgresEnv());
    env.put("CONF_DIR", "conf");
    env.put("RECOVERY_INTERVAL_MS", "500");
    env.put("LOG_LEVEL", "WARN");
    // Old occurredAt values would make a periodic sweep fire at a moment that differs between this
    // node and the reference; events catch inactivity up by themselves, deterministically.
    env.put("INACTIVITY_SWEEP_INTERVAL_MS", NO_SWEEP);
    Path log = Files.createTempFile("crash-recovery-engine", ".log");
    String runId = "crash" + System.nanoTime() % 100_000;
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6L * PER_LEARNER));
    List<JsonObject> events = EventMix.generate(runId, LEARNERS, PER_LEARNER, start, Duration.ofHours(6), 42);

    Map<String, Integer> answers = new ConcurrentHashMap<>();
    AtomicInteger accepted = new AtomicInteger();
    try (EngineProcess engine = new EngineProcess(env, log)) {
      engine.start();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
      List<Future<?>> sent = new ArrayList<>();
      // Each sender owns some learners and sends their events in order, retrying what fails (as a
      // real client would) until it gets an answer.
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        sent.add(senders.submit(() -> {
          for (int i = 0; i < events.size(); i++) {
            if ((i % LEARNERS) % SENDERS != sender) {
              continue;
            }
            JsonObject event = events.get(i);
            int status;
            while ((status = post(http, engine.base() + "/api/v1/events", event)) < 0 || status == 503) {
              sleep(50);
            }
            answers.merge(event.getString("eventId"), status, (a, b) -> a == 202 ? a : b);
            if (status == 202) {
              accepted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      TestEngine.eventually(Duration.ofSeconds(60), () -> accepted.get() >= KILL_AFTER_ACCEPTED);
      engine.kill();
      int acceptedAtKill = accepted.get();
      long pendingAtKill = pendingCount();
      System.out.println("killed with " + acceptedAtKill + " accepted, " + pendingAtKill + " not yet applied");
      engine.start();
      for (Future<?> f : sent) {
        f.get(120, TimeUnit.SECONDS);
      }
      senders.shutdown();
      assertTrue(acceptedAtKill < events.size(), "the kill landed while events were still flowing");

      // Wait until the restarted node has applied everything it accepted, then compare.
      TestEngine.eventually(Duration.ofSeconds(90), () -> pendingCount() == 0);
      Set<String> answered202 = answers.entrySet().stream().filter(e -> e.getValue() == 202).map(Map.Entry::getKey)
          .collect(Collectors.toSet());
      assertEquals(events.size(), answers.size(), "every event got an answer");
      List<JsonObject> log202 = acceptedInOrder();
      assertTrue(log202.stream().map(e -> e.getString("eventId")).collect(Collectors.toSet())
          .containsAll(answered202), "every event answered 202 is in the log");
      assertEquals(events.size(), log202.size(), "every event is in the log once");

      try (TestEngine reference = TestEngine.startMemoryAt(Instant.now(),
        Map.of("INACTIVITY_SWEEP_INTERVAL_MS", NO_SWEEP))) {
        for (JsonObject e : log202) {
          reference.apply(e);
        }
        TestEngine crashed = TestEngine.client(engine.port);
        List<String> learners = events.stream().map(e -> e.getString("learnerId")).distinct().toList();
        for (String learner : learners) {
          assertEquals(comparable(reference.profile(learner)), comparable(crashed.profile(learner)), learner);
          assertEquals(ledgerSignature(reference, learner), ledgerSignature(crashed, learner), learner);
          assertEquals(reference.get("/api/v1/learners/" + learner + "/transitions").json(),
              crashed.get("/api/v1/learners/" + learner + "/transitions").json(), learner);
        }
        DurabilitySupport.assertXpConsistent(crashed, learners);
        assertEquals(DurabilitySupport.board(reference, "/api/v1/leaderboards/global"),
            DurabilitySupport.board(crashed, "/api/v1/leaderboards/global"));
        assertEquals(DurabilitySupport.board(reference, "/api/v1/leaderboards/courses/course-1"),
            DurabilitySupport.board(crashed, "/api/v1/leaderboards/courses/course-1"));
        crashed.close();
      }
    }
  }

  /** The profile without its read-side streak fields, which depend on each node's "today". */
  static JsonObject comparable(JsonObject profile) {
    JsonObject copy = profile.copy();
    copy.getJsonObject("streak").remove("current");
    copy.getJsonObject("streak").remove("atRisk");
    return copy;
  }

  static List<String> ledgerSignature(TestEngine engine, String learner) {
    JsonArray entries = engine.get("/api/v1/learners/" + learner + "/xp?limit=1000").json().getJsonArray("entries");
    return entries.stream().map(o -> {
      JsonObject e = (JsonObject) o;
      return e.getString("eventId") + "/" + e.getString("activity") + "/" + e.getLong("xp") + "/" + e.getString("reason");
    }).toList();
  }

  static int post(HttpClient http, String url, JsonObject body) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static long pendingCount() {
    return TestStores.query("SELECT count(*) FROM events WHERE NOT applied").get(0).getLong(0);
  }

  /** The accepted events as recorded, in acceptance order. */
  static List<JsonObject> acceptedInOrder() {
    List<JsonObject> list = new ArrayList<>();
    TestStores.query("SELECT payload FROM events ORDER BY seq")
        .forEach(row -> list.add(new JsonObject(row.getValue(0).toString())));
    return list;
  }
}
