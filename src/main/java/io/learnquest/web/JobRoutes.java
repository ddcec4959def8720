package io.learnquest.web;

import io.learnquest.bus.Failure;
import io.learnquest.bus.Tenancy;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.jobs.Jobs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/v1/jobs} and {@code GET /api/v1/jobs/{jobId}}: long work (leaderboard rebuilds)
 * with its progress, as any node of the cluster published it. A job of a tenant's data (it names
 * its {@code tenant}) is that tenant's alone: another tenant neither lists it nor finds it (404);
 * work of the whole node (no tenant, such as the recovery at start-up) is listed to every tenant.
 */
final class JobRoutes {
  private final Jobs jobs;

  JobRoutes(Vertx vertx) {
    this.jobs = new Jobs(vertx);
  }

  void list(RoutingContext ctx) {
    String tenant = RequestTenant.of(ctx);
    jobs.list().onSuccess(list -> HttpErrors.json(ctx, 200, new JsonObject().put("jobs",
            new JsonArray(list.stream().filter(job -> visibleTo(job, tenant)).toList()))))
        .onFailure(e -> HttpErrors.fail(ctx, e));
  }

  void get(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    String tenant = RequestTenant.of(ctx);
    jobs.get(jobId).onSuccess(job -> {
      if (job == null || !visibleTo(job, tenant)) {
        HttpErrors.json(ctx, 404, Failure.body(ErrorCodes.NOT_FOUND, "no job " + jobId + " (finished jobs are kept a day)",
            "jobId"));
      } else {
        HttpErrors.json(ctx, 200, job);
      }
    }).onFailure(e -> HttpErrors.fail(ctx, e));
  }

  private static boolean visibleTo(JsonObject job, String tenant) {
    String of = job.getString(Tenancy.FIELD);
    return of == null || of.equals(tenant);
  }
}
