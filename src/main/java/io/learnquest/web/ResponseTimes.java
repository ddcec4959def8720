package io.learnquest.web;

import io.learnquest.metrics.EngineMetrics;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Set;

/**
 * The router's first handler: times each request from its arrival to the end of its answer, for
 * {@code learnquest_http_server_response_time_seconds}, labelled by the route that took it (its
 * template, such as {@code /api/v1/learners/:learnerId}, never the raw path; kept when the request
 * then fails, so a 413 of the events route is the events route's), the method and the status code.
 * A request answered before a route took it (no such route, the node stopping) has the route
 * {@code ""}; a method other than the HTTP standard ones is {@code OTHER}, so a client cannot add
 * series by inventing methods. Not counted: a request whose connection closed before its answer
 * ended, and one refused before the router saw it (a malformed request line or headers,
 * {@link InvalidRequests}).
 */
final class ResponseTimes {
  /** Where a route leaves its template for the end of the request. */
  private static final String ROUTE = "learnquest.route.template";
  private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
      "TRACE", "PATCH");
  private static final String OTHER_METHOD = "OTHER";

  private final EngineMetrics metrics;

  ResponseTimes(EngineMetrics metrics) {
    this.metrics = metrics;
  }

  /**
   * A route's first handler: names the route the request is timed under. A platform handler (as
   * Vert.x Web's own timing and logging handlers are), so it runs before the route's guard and
   * body handler, whose refusals are then timed under the route.
   */
  static PlatformHandler naming(String template) {
    return ctx -> {
      ctx.put(ROUTE, template);
      ctx.next();
    };
  }

  void handle(RoutingContext ctx) {
    long arrived = System.nanoTime();
    ctx.addEndHandler(answered -> {
      if (answered.succeeded()) {
        String template = ctx.get(ROUTE);
        metrics.httpAnswered(template == null ? "" : template, methodLabel(ctx.request().method()),
            ctx.response().getStatusCode(), System.nanoTime() - arrived);
      }
    });
    ctx.next();
  }

  static String methodLabel(HttpMethod method) {
    String name = method.name();
    return METHODS.contains(name) ? name : OTHER_METHOD;
  }
}
