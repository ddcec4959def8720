package io.learnquest.web;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/jobs} and {@code GET /api/v1/jobs/{jobId}}: a leaderboard rebuild is a job,
 * answered at once with {@code ?wait=false}, whose progress counts the totals it has written.
 */
class JobsApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start(Map.of("LEADERBOARDS_REBUILD_PAGE_SIZE", "2"));

  /** ana and ben on 4 boards each (global and course, all-time and weekly): 8 totals, in 4 pages of 2. */
  /** Two learners, each on four boards. */
  private void eightTotals() {
    engine.apply(event("j-1", "ana", "lesson_completed").put("courseId", "java-101").put("objectId", "l-1"));
    engine.apply(event("j-2", "ben", "lesson_completed").put("courseId", "java-101").put("objectId", "l-1"));
  }

  @Test
  void aRebuildAskedNotToWaitAnswersItsJobWhoseProgressReachesTheTotal() {
    eightTotals();
    TestEngine.Response started = engine.post("/api/v1/admin/leaderboards/rebuild?wait=false", "");
    assertEquals(202, started.status(), started.body());
    String jobId = started.json().getString("jobId");
    assertNotNull(jobId, started.body());
    assertEquals("leaderboard_rebuild", started.json().getString("kind"));

    TestEngine.eventually(Duration.ofSeconds(15),
        () -> "done".equals(engine.get("/api/v1/jobs/" + jobId).json().getString("state")));
    JsonObject job = engine.get("/api/v1/jobs/" + jobId).json();
    // a rebuild reads the totals learner by learner, and counts its progress in learners
    assertEquals(2, job.getLong("processed"), job.encode());
    assertEquals(2, job.getLong("total"), job.encode());
    assertEquals(100.0, job.getDouble("percent"));
    assertEquals(0, job.getLong("etaSeconds"));
    assertNotNull(job.getString("startedAt"));
    assertNotNull(job.getString("finishedAt"));
    assertEquals(new JsonObject().put("boards", 4).put("entries", 8),
        new JsonObject().put("boards", job.getJsonObject("result").getValue("boards"))
            .put("entries", job.getJsonObject("result").getValue("entries")));

    JsonArray all = engine.get("/api/v1/jobs").json().getJsonArray("jobs");
    assertTrue(all.stream().anyMatch(j -> jobId.equals(((JsonObject) j).getString("jobId"))), all.encode());
  }

  @Test
  void aRebuildThatWaitsNamesItsJob() {
    eightTotals();
    TestEngine.Response rebuilt = engine.post("/api/v1/admin/leaderboards/rebuild", "");
    assertEquals(200, rebuilt.status(), rebuilt.body());
    String jobId = rebuilt.json().getString("jobId");
    assertEquals(8, rebuilt.json().getLong("entries"));
    TestEngine.eventually(Duration.ofSeconds(15), () -> engine.get("/api/v1/jobs/" + jobId).status() == 200);
    assertEquals("done", engine.get("/api/v1/jobs/" + jobId).json().getString("state"));
  }

  @Test
  void anUnknownJobIs404() {
    TestEngine.Response r = engine.get("/api/v1/jobs/no-such-job");
    assertEquals(404, r.status());
    assertEquals("not_found", r.json().getString("error"));
    assertEquals("jobId", r.json().getString("field"));
  }
}
