package io.learnquest.web;

import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.json.StrictJson;
import io.learnquest.rules.RulesService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/v1/events/{eventId}/void {"reason"}} (admin): the event's learner becomes the
 * replay of their other events (docs/api.md, "Voiding an event").
 */
final class VoidRoutes {
  static final int MAX_REASON = 500;

  private final RulesService rules;

  VoidRoutes(Vertx vertx) {
    this.rules = new RulesService(vertx);
  }

  /** The void waits for the learner's earlier events to be applied (the facade allows it the time). */
  void voidEvent(RoutingContext ctx) {
    ReadRoutes.answerRecord(ctx, () -> {
      String eventId = eventId(ctx);
      return rules.voidEvent(RequestTenant.of(ctx), eventId, reason(ctx));
    });
  }

  private static String eventId(RoutingContext ctx) {
    String eventId = ctx.pathParam("eventId");
    if (!EventValidator.isValidEventId(eventId)) {
      throw HttpErrors.badParam("eventId", "eventId must be an eventId as accepted by POST /api/v1/events");
    }
    return eventId;
  }

  private static String reason(RoutingContext ctx) {
    if (!(StrictJson.decode(ctx.body().buffer()) instanceof JsonObject body)) {
      throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "the body must be a JSON object {\"reason\"}", null);
    }
    Object reason = body.getValue("reason");
    if (reason == null) {
      throw new InvalidInputException(ErrorCodes.MISSING_FIELD, "reason is required", "reason");
    }
    if (!(reason instanceof String text)) {
      throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "reason must be a string", "reason");
    }
    if (text.isBlank() || text.length() > MAX_REASON) {
      throw new InvalidInputException(ErrorCodes.INVALID_VALUE, "reason must be 1 to " + MAX_REASON + " characters",
          "reason");
    }
    InputLimits.requireText(text, "reason");
    return text;
  }
}
