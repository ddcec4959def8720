package io.learnquest.web;

import io.vertx.ext.web.RoutingContext;

/**
 * The tenant of the caller of a request, as the route's guard proved it. Every handler that reads
 * or changes a tenant's data takes its tenant from here and from nowhere else (not from the body,
 * not from a parameter).
 */
public final class RequestTenant {
  public static final String KEY = "tenantId";

  private RequestTenant() {
  }

  /** The authenticated caller's tenant; a route without a guard has none, and that is a bug. */
  public static String of(RoutingContext ctx) {
    String tenantId = ctx.get(KEY);
    if (tenantId == null) {
      throw new IllegalStateException("no authenticated tenant on " + ctx.request().method() + " "
          + ctx.request().path());
    }
    return tenantId;
  }
}
