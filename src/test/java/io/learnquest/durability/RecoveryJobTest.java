package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.learnquest.config.ConfigLoader;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Recovery after a crash shows its progress: a node that starts on a database with accepted but
 * unapplied events counts them, follows them as a job of kind {@code recovery} in
 * {@code GET /api/v1/jobs} (processed / total, rate, ETA) until every one is applied, and says so
 * in its log. The backlog is made by a node that accepts events but runs no rules instance (the
 * state a crash between accepting and applying leaves), so its size is known exactly.
 */
class RecoveryJobTest {
  static final int LEARNERS = 30;
  static final int PER_LEARNER = 5;

  @Test
  void aNodeStartingOnABacklogFollowsItAsAJobUntilEveryEventIsApplied() {
    TestStores.emptyTestDatabase();
    String run = "recovery" + System.nanoTime() % 1_000_000;
    try (TestEngine acceptOnly = TestEngine.startDurable(Map.of("RULES_INSTANCES", "0"))) {
      for (int i = 0; i < LEARNERS * PER_LEARNER; i++) {
        JsonObject event = TestEngine.event(run + "-" + i, run + "-learner-" + i % LEARNERS, "lesson_completed")
            .put("courseId", "recovery-101").put("objectId", "recovery-lesson-" + i);
        assertEquals(202, acceptOnly.post("/api/v1/events", event).status());
      }
    }
    int backlog = LEARNERS * PER_LEARNER;
    assertEquals(backlog, Replay.pendingCount(), "the node without rules left every event pending");

    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    List<Logger> loggers = List.of(logging.getLogger("io.learnquest.rules.RecoveryProgress"),
        logging.getLogger("io.learnquest.jobs.Jobs"));
    lines.setContext(logging);
    lines.start();
    loggers.forEach(l -> {
      l.setLevel(Level.INFO);
      l.addAppender(lines);
    });
    Map<String, String> env = new HashMap<>(TestStores.postgresEnv());
    env.put("HTTP_PORT", "0");
    // Later than the events' acceptance on the tests' standing clock: they were accepted before this start.
    try (TestEngine restarted = TestEngine.start(ConfigLoader.load(Path.of("conf"), TestEngine.withTestDefaults(env)),
        TestEngine.START.plus(Duration.ofMinutes(1)))) {
      AtomicReference<JsonObject> job = new AtomicReference<>();
      TestEngine.eventually(Duration.ofSeconds(60), () -> {
        JsonArray jobs = restarted.get("/api/v1/jobs").json().getJsonArray("jobs");
        jobs.stream().map(JsonObject.class::cast).filter(j -> "recovery".equals(j.getString("kind")))
            .findFirst().ifPresent(job::set);
        return job.get() != null && "done".equals(job.get().getString("state"));
      });
      JsonObject done = job.get();
      assertEquals(backlog, done.getLong("processed"), done::encode);
      assertEquals(backlog, done.getLong("total"), done::encode);
      assertEquals(100.0, done.getDouble("percent"), done::encode);
      assertEquals(0L, done.getLong("etaSeconds"), done::encode);
      assertTrue(done.getDouble("ratePerSecond") > 0, done::encode);
      assertEquals(new JsonObject().put("applied", backlog).put("waitingAtStart", backlog),
          done.getJsonObject("result"), done::encode);
      assertEquals(done, restarted.get("/api/v1/jobs/" + done.getString("jobId")).json());
      assertEquals(0, Replay.pendingCount(), "the job ended only once nothing accepted before the start was pending");

      List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      String jobId = done.getString("jobId");
      assertTrue(logged.contains("Recovery: " + backlog + " accepted events wait to be applied (job " + jobId
          + "); progress every 5 s"), logged::toString);
      assertTrue(logged.stream().anyMatch(l -> l.startsWith("Job " + jobId + " (recovery) done in ")
          && l.contains(backlog + " of " + backlog)), logged::toString);
    } finally {
      loggers.forEach(l -> {
        l.detachAppender(lines);
        l.setLevel(null);
      });
    }
  }

  @Test
  void aNodeStartingWithNothingPendingStartsNoRecoveryJob() {
    TestStores.emptyTestDatabase();
    try (TestEngine node = TestEngine.startDurable(Map.of())) {
      node.apply(TestEngine.event("nothing-pending-1", "nothing-pending", "daily_login"));
      JsonArray jobs = node.get("/api/v1/jobs").json().getJsonArray("jobs");
      assertTrue(jobs.stream().map(JsonObject.class::cast).noneMatch(j -> "recovery".equals(j.getString("kind"))),
          jobs::encode);
    }
  }
}
