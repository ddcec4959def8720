package io.learnquest.web;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.domain.event.EventValidator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin routes of the quarantine: events that could not be applied after a bounded number of
 * tries, listed with their reason, retried or discarded.
 */
final class QuarantineRoutes {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  static final long RETRY_TIMEOUT_MS = 60_000;

  private final Vertx vertx;

  QuarantineRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** {@code GET /api/v1/admin/quarantine?limit=}: {@code {count, events: [...]}}, oldest first. */
  void list(RoutingContext ctx) {
    ReadRoutes.answer(ctx, () -> Bus.request(vertx, Addresses.RULES_QUARANTINE_LIST,
        new JsonObject().put("limit", ReadRoutes.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT))));
  }

  /** {@code POST /api/v1/admin/quarantine/{eventId}/retry}. */
  void retry(RoutingContext ctx) {
    // It drains the event's learner before answering, which may take longer than a read.
    ReadRoutes.answer(ctx, () -> Bus.requestWithin(vertx, Addresses.RULES_QUARANTINE_RETRY, eventId(ctx),
        RETRY_TIMEOUT_MS));
  }

  /** {@code POST /api/v1/admin/quarantine/{eventId}/discard}. */
  void discard(RoutingContext ctx) {
    ReadRoutes.answer(ctx, () -> Bus.request(vertx, Addresses.RULES_QUARANTINE_DISCARD, eventId(ctx)));
  }

  private static JsonObject eventId(RoutingContext ctx) {
    String eventId = ctx.pathParam("eventId");
    if (!EventValidator.isValidEventId(eventId)) {
      throw HttpErrors.badParam("eventId", "eventId must be an eventId as accepted by POST /api/v1/events");
    }
    return new JsonObject().put("eventId", eventId);
  }
}
