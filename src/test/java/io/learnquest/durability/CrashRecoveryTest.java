package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.bench.EventMix;
import io.learnquest.support.EngineProcess;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
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
            while ((status = EngineProcess.post(http, engine.base() + "/api/v1/events", event)) < 0 || status == 503) {
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
      long pendingAtKill = Replay.pendingCount();
      System.out.println("killed with " + acceptedAtKill + " accepted, " + pendingAtKill + " not yet applied");
      engine.start();
      for (Future<?> f : sent) {
        f.get(120, TimeUnit.SECONDS);
      }
      senders.shutdown();
      assertTrue(acceptedAtKill < events.size(), "the kill landed while events were still flowing");

      // Wait until the restarted node has applied everything it accepted, then compare.
      TestEngine.eventually(Duration.ofSeconds(90), () -> Replay.pendingCount() == 0);
      Set<String> answered202 = answers.entrySet().stream().filter(e -> e.getValue() == 202).map(Map.Entry::getKey)
          .collect(Collectors.toSet());
      assertEquals(events.size(), answers.size(), "every event got an answer");
      List<JsonObject> log202 = Replay.acceptedInOrder();
      assertTrue(log202.stream().map(e -> e.getString("eventId")).collect(Collectors.toSet())
          .containsAll(answered202), "every event answered 202 is in the log");
      assertEquals(events.size(), log202.size(), "every event is in the log once");

      try (TestEngine crashed = TestEngine.client(engine.port)) {
        Replay.assertNodeEqualsReplay(crashed, log202, Map.of("INACTIVITY_SWEEP_INTERVAL_MS", NO_SWEEP),
            List.of("course-1"));
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
