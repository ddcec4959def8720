package io.learnquest.web;

import io.learnquest.metrics.EngineMetrics;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;

/**
 * The router's first handler: times each request from its arrival to the end of its answer, for
 * {@code learnquest_http_server_response_time_seconds}, labelled by the route that answered it
 * (its template, such as {@code /api/v1/learners/:learnerId}, never the raw path), the method and
 * the status code. A request answered before a route of its own took it (no such route, the
 * node stopping) has the route {@code ""}; one whose connection closed before its answer ended is
 * not counted.
 */
final class ResponseTimes {
  private final EngineMetrics metrics;

  ResponseTimes(EngineMetrics metrics) {
    this.metrics = metrics;
  }

  void handle(RoutingContext ctx) {
    long arrived = System.nanoTime();
    ctx.addEndHandler(answered -> {
      if (answered.succeeded()) {
        Route route = ctx.currentRoute();
        String template = route == null || route.getPath() == null ? "" : route.getPath();
        metrics.httpAnswered(template, ctx.request().method().name(), ctx.response().getStatusCode(),
            System.nanoTime() - arrived);
      }
    });
    ctx.next();
  }
}
