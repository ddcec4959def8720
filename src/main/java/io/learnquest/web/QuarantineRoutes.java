package io.learnquest.web;

import io.learnquest.domain.event.EventValidator;
import io.learnquest.rules.RulesService;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin routes of the quarantine: events that could not be applied after a bounded number of
 * tries, listed with their reason, retried or discarded.
 */
final class QuarantineRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final RulesService rules;

  QuarantineRoutes(Vertx vertx) {
    this.rules = new RulesService(vertx);
  }

  /** {@code GET /api/v1/admin/quarantine?limit=}: {@code {count, events: [...]}}, oldest first. */
  void list(RoutingContext ctx) {
    ReadRoutes.answerRecord(ctx, () -> rules.quarantined(RequestTenant.of(ctx),
        ReadRoutes.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)));
  }

  /** {@code POST /api/v1/admin/quarantine/{eventId}/retry}. */
  void retry(RoutingContext ctx) {
    // It drains the event's learner before answering, which may take longer than a read.
    ReadRoutes.answerRecord(ctx, () -> rules.retryQuarantined(RequestTenant.of(ctx), eventId(ctx)));
  }

  /** {@code POST /api/v1/admin/quarantine/{eventId}/discard}. */
  void discard(RoutingContext ctx) {
    ReadRoutes.answerRecord(ctx, () -> rules.discardQuarantined(RequestTenant.of(ctx), eventId(ctx)));
  }

  private static String eventId(RoutingContext ctx) {
    String eventId = ctx.pathParam("eventId");
    if (!EventValidator.isValidEventId(eventId)) {
      throw HttpErrors.badParam("eventId", "eventId must be an eventId as accepted by POST /api/v1/events");
    }
    return eventId;
  }
}
