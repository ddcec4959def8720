package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.jobs.Jobs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/jobs} and {@code GET /api/v1/jobs/{jobId}}: long work (leaderboard rebuilds)
 * with its progress, as any node of the cluster published it.
 */
final class JobRoutes {
  private final Jobs jobs;

  JobRoutes(Vertx vertx) {
    this.jobs = new Jobs(vertx);
  }

  void list(RoutingContext ctx) {
    jobs.list().onSuccess(list -> HttpErrors.json(ctx, 200, new JsonObject().put("jobs", new JsonArray(list))))
        .onFailure(e -> HttpErrors.fail(ctx, e));
  }

  void get(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    jobs.get(jobId).onSuccess(job -> {
      if (job == null) {
        HttpErrors.json(ctx, 404, Failure.body(ErrorCodes.NOT_FOUND, "no job " + jobId + " (finished jobs are kept a day)",
            "jobId"));
      } else {
        HttpErrors.json(ctx, 200, job);
      }
    }).onFailure(e -> HttpErrors.fail(ctx, e));
  }
}
