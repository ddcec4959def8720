package io.learnquest.jobs;

import io.learnquest.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long work (a leaderboard rebuild, recovery of a backlog) as jobs: each one's progress is
 * logged at most every {@link #LOG_INTERVAL_MS} and kept in a map of the cluster's shared data
 * (a Hazelcast map in cluster mode), so {@code GET /api/v1/jobs/{jobId}} on any node shows it.
 * Finished jobs are kept {@link #KEEP_FINISHED} and then forgotten; jobs are not durable (a node's
 * restart redoes its own start-up work anyway).
 */
public final class Jobs {
  static final String MAP = "learnquest.jobs";
  static final long PUBLISH_INTERVAL_MS = 1_000;
  static final long LOG_INTERVAL_MS = 5_000;
  static final Duration KEEP_FINISHED = Duration.ofHours(24);
  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  private final Vertx vertx;
  private final EngineMetrics metrics;

  public Jobs(Vertx vertx) {
    this.vertx = vertx;
    this.metrics = EngineMetrics.of(vertx);
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  /** Starts a job of {@code kind} over {@code total} items (0 when not known yet). */
  public Job start(String kind, long total, JsonObject details) {
    Job job = new Job(kind, total, details);
    LOG.info("Job {} ({}) started: {} to do", job.jobId, kind, total);
    job.publish(true);
    return job;
  }

  /** The job as its node last published it, or null when there is none by that id. */
  public Future<JsonObject> get(String jobId) {
    return map().compose(m -> m.get(jobId));
  }

  /** Every job known to the cluster, the latest started first. */
  public Future<List<JsonObject>> list() {
    return map().compose(AsyncMap::values).map(values -> {
      List<JsonObject> jobs = new ArrayList<>(values);
      jobs.sort(Comparator.comparing((JsonObject j) -> j.getString("startedAt")).reversed()
          .thenComparing(j -> j.getString("jobId")));
      return jobs;
    });
  }

  /**
   * A job's progress as {@code GET /api/v1/jobs/{jobId}} shows it, before its details and result:
   * {@code etaSeconds} null while unknown, times as ISO-8601 text, {@code finishedAt} null while it runs.
   */
  public record Status(String jobId, String kind, String state, long processed, long total, double percent,
                       double ratePerSecond, Long etaSeconds, String startedAt, String finishedAt) {
  }

  /** One job, driven from the event loop of the verticle doing the work. */
  public final class Job {
    private final String jobId = UUID.randomUUID().toString();
    private final String kind;
    private final JsonObject details;
    private final Instant startedAt = Instant.now();
    private final Progress progress;
    private long lastPublished;
    private long lastLogged;
    private String state = RUNNING;
    private Instant finishedAt;
    private JsonObject result;
    private String error;

    private Job(String kind, long total, JsonObject details) {
      this.kind = kind;
      this.details = details == null ? new JsonObject() : details.copy();
      long now = System.nanoTime();
      this.progress = new Progress(total, now);
      this.lastPublished = now;
      this.lastLogged = now;
    }

    public String jobId() {
      return jobId;
    }

    /** Items done so far. */
    public long processed() {
      return progress.processed();
    }

    public void total(long total) {
      progress.total(total);
      publish(false);
    }

    public void advance(long items) {
      progress.advance(items);
      long now = System.nanoTime();
      if (now - lastLogged >= LOG_INTERVAL_MS * 1_000_000) {
        lastLogged = now;
        LOG.info("Job {} ({}): {}", jobId, kind, progress.describe(now));
      }
      publish(false);
    }

    public void done(JsonObject result) {
      finish(DONE, result, null);
      LOG.info("Job {} ({}) done in {} ms: {} of {} {}", jobId, kind, progress.elapsed(System.nanoTime()).toMillis(),
          progress.processed(), progress.total(), result == null ? "" : result.encode());
    }

    public void failed(Throwable cause) {
      finish(FAILED, null, cause.getMessage() == null ? cause.toString() : cause.getMessage());
      LOG.warn("Job {} ({}) failed after {} of {}: {}", jobId, kind, progress.processed(), progress.total(), error);
    }

    private void finish(String state, JsonObject result, String error) {
      if (!RUNNING.equals(this.state)) {
        return;
      }
      this.state = state;
      this.result = result;
      this.error = error;
      this.finishedAt = Instant.now();
      publish(true);
    }

    /** The job's progress now, without its details and result. */
    public Status status() {
      long now = System.nanoTime();
      Duration eta = RUNNING.equals(state) ? progress.eta(now) : Duration.ZERO;
      return new Status(jobId, kind, state, progress.processed(), progress.total(), progress.percent(),
          Math.round(progress.ratePerSecond(now) * 10) / 10.0, eta == null ? null : (eta.toMillis() + 999) / 1000,
          startedAt.toString(), finishedAt == null ? null : finishedAt.toString());
    }

    /** What {@code GET /api/v1/jobs/{jobId}} answers. */
    public JsonObject toJson() {
      Status status = status();
      JsonObject json = new JsonObject()
          .put("jobId", status.jobId())
          .put("kind", status.kind())
          .put("state", status.state())
          .put("processed", status.processed())
          .put("total", status.total())
          .put("percent", status.percent())
          .put("ratePerSecond", status.ratePerSecond())
          .put("etaSeconds", status.etaSeconds())
          .put("startedAt", status.startedAt())
          .put("finishedAt", status.finishedAt());
      details.forEach(e -> json.put(e.getKey(), e.getValue()));
      if (result != null) {
        json.put("result", result);
      }
      if (error != null) {
        json.put("error", error);
      }
      return json;
    }

    private void publish(boolean now) {
      long t = System.nanoTime();
      metrics.jobProgress(kind, progress.processed(), progress.total(), RUNNING.equals(state));
      if (!now && t - lastPublished < PUBLISH_INTERVAL_MS * 1_000_000) {
        return;
      }
      lastPublished = t;
      JsonObject json = toJson();
      map().compose(m -> RUNNING.equals(state) ? m.put(jobId, json) : m.put(jobId, json, KEEP_FINISHED.toMillis()))
          .onFailure(e -> LOG.debug("Job {} not published: {}", jobId, e.toString()));
    }
  }
}
