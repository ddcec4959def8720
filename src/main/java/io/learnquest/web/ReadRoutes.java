package io.learnquest.web;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.JsonMapping;
import io.learnquest.bus.StrictJson;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.leaderboard.Board;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.function.Supplier;

/** The read side of the API: learners, the badge catalog and leaderboards, each answered over the bus. */
final class ReadRoutes {
  static final int DEFAULT_LEDGER_LIMIT = 50;
  static final int MAX_LEDGER_LIMIT = 1000;
  static final int MAX_PAGE_SIZE = 100;
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int DEFAULT_WINDOW = 25;
  static final int MAX_WINDOW = 100;
  /**
   * The admin rebuild answers when every total is merged, which grows with the learners: 6 to 8 s
   * per 2 million board totals on a 2-core machine (docs/benchmarks.md), soon past a read's 10 s.
   */
  static final long REBUILD_TIMEOUT_MS = 600_000;

  private final Vertx vertx;
  private final Clock clock;
  private final BadgeRuleParser badgeRules;
  private RequestValidation document;

  ReadRoutes(Vertx vertx, EngineContext context) {
    this.vertx = vertx;
    this.clock = context.clock();
    this.badgeRules = new BadgeRuleParser(name -> context.config().eventTypes().find(name).isPresent());
  }

  /** The API document, checked after the badge parser: it names a problem with its own code first. */
  void validateWith(RequestValidation document) {
    this.document = document;
  }

  void profile(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.RULES_PROFILE, learner(ctx)));
  }

  void ledger(RoutingContext ctx) {
    answer(ctx, () -> {
      int limit = intParam(ctx, "limit", DEFAULT_LEDGER_LIMIT, 1, MAX_LEDGER_LIMIT);
      return ask(Addresses.XP_LEDGER, learner(ctx).put("limit", limit));
    });
  }

  void badges(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.BADGES_LEARNER, learner(ctx)));
  }

  void transitions(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.RULES_TRANSITIONS, learner(ctx)));
  }

  void flags(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.RULES_FLAGS,
        learner(ctx).put("limit", intParam(ctx, "limit", DEFAULT_LEDGER_LIMIT, 1, MAX_LEDGER_LIMIT))));
  }

  /** {@code GET /api/v1/flags?cursor=}: every learner's flags, oldest first, a page at a time. */
  void allFlags(RoutingContext ctx) {
    answer(ctx, () -> {
      String cursor = ctx.request().getParam("cursor");
      long after = 0;
      if (cursor != null) {
        try {
          after = Long.parseLong(cursor);
        } catch (NumberFormatException e) {
          after = -1;
        }
        if (after < 0) {
          throw HttpErrors.badParam("cursor", "cursor must be the next value of a previous page");
        }
      }
      return ask(Addresses.RULES_ALL_FLAGS, new JsonObject().put("after", after)
          .put("limit", intParam(ctx, "limit", DEFAULT_LEDGER_LIMIT, 1, MAX_LEDGER_LIMIT)));
    });
  }

  void catalog(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.BADGES_CATALOG, new JsonObject()));
  }

  /** {@code PUT /api/v1/badges/{badgeId}}: add or replace a definition; validated whole. */
  void defineBadge(RoutingContext ctx) {
    answer(ctx, () -> {
      if (!(StrictJson.decode(ctx.body().buffer()) instanceof JsonObject definition)) {
        throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "the body must be a JSON badge definition", null);
      }
      String badgeId = ctx.pathParam("badgeId");
      Object given = definition.getValue("badgeId");
      if (given != null && !badgeId.equals(given)) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE, "badgeId in the body differs from the path",
            "badgeId");
      }
      definition.put("badgeId", badgeId);
      // The same parse the badges verticle does, here first so that its codes come before the document's.
      BadgeDefinition.parse(JsonMapping.plainMap(definition), badgeRules, "");
      InvalidInputException refusal = document.bodyRefusal(ctx, definition);
      if (refusal != null) {
        throw refusal;
      }
      return ask(Addresses.BADGES_DEFINE, definition);
    });
  }

  /**
   * {@code DELETE /api/v1/badges/{badgeId}}: retires the badge (204; again 204 when retired already,
   * 404 when never defined). It is no longer listed nor awarded; awards already made stay.
   */
  void retireBadge(RoutingContext ctx) {
    String badgeId = ctx.pathParam("badgeId");
    if (!BadgeDefinition.isValidBadgeId(badgeId)) {
      HttpErrors.fail(ctx, HttpErrors.badParam("badgeId", "badgeId must be 1 to 128 characters of A-Z a-z 0-9 . _ : -"));
      return;
    }
    ask(Addresses.BADGES_RETIRE, new JsonObject().put("badgeId", badgeId))
        .onSuccess(retired -> HttpErrors.noContent(ctx))
        .onFailure(e -> HttpErrors.fail(ctx, e));
  }

  void globalBoard(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.LEADERBOARDS_PAGE, page(ctx, board(ctx, Board.GLOBAL))));
  }

  void courseBoard(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.LEADERBOARDS_PAGE, page(ctx, board(ctx, courseScope(ctx)))));
  }

  void globalAround(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.LEADERBOARDS_AROUND, around(ctx, board(ctx, Board.GLOBAL))));
  }

  void courseAround(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.LEADERBOARDS_AROUND, around(ctx, board(ctx, courseScope(ctx)))));
  }

  /**
   * Waits for the whole rebuild (200, its result with its {@code jobId}), or with {@code ?wait=false}
   * answers 202 with the job at once; {@code GET /api/v1/jobs/{jobId}} then shows its progress.
   */
  void rebuildLeaderboards(RoutingContext ctx) {
    boolean wait = !"false".equals(ctx.request().getParam("wait"));
    Bus.requestWithin(vertx, Addresses.LEADERBOARDS_REBUILD, new JsonObject().put("wait", wait),
            wait ? REBUILD_TIMEOUT_MS : Bus.DEFAULT_TIMEOUT_MS)
        .onSuccess(body -> HttpErrors.json(ctx, wait ? 200 : 202, body))
        .onFailure(e -> HttpErrors.fail(ctx, e));
  }

  void sweepInactivity(RoutingContext ctx) {
    answer(ctx, () -> ask(Addresses.RULES_INACTIVITY_SWEEP, new JsonObject()));
  }

  private Future<JsonObject> ask(String address, JsonObject request) {
    return Bus.request(vertx, address, request);
  }

  /** Runs a handler whose bad parameters throw, and writes its answer or its error. */
  static void answer(RoutingContext ctx, Supplier<Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(body -> HttpErrors.json(ctx, 200, body)).onFailure(e -> HttpErrors.fail(ctx, e));
  }

  private static JsonObject learner(RoutingContext ctx) {
    String learnerId = ctx.pathParam("learnerId");
    if (!EventValidator.isValidLearnerId(learnerId)) {
      throw HttpErrors.badParam("learnerId", "learnerId must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -");
    }
    return new JsonObject().put("learnerId", learnerId);
  }

  private static String courseScope(RoutingContext ctx) {
    String courseId = ctx.pathParam("courseId");
    if (!EventValidator.isValidLearnerId(courseId)) {
      throw HttpErrors.badParam("courseId", "courseId must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -");
    }
    return Board.course(courseId, Board.ALL_TIME).scope();
  }

  /** {@code period=all-time|weekly}, and {@code week=2026-W48} for a past week (implies weekly). */
  private Board board(RoutingContext ctx, String scope) {
    String period = ctx.request().getParam("period", Board.ALL_TIME);
    String week = ctx.request().getParam("week");
    if (!period.equals(Board.ALL_TIME) && !period.equals("weekly")) {
      throw HttpErrors.badParam("period", "period must be all-time or weekly");
    }
    if (week != null) {
      if (!Board.isWeek(week)) {
        throw HttpErrors.badParam("week", "week must be an ISO week such as 2026-W48");
      }
      if (ctx.request().getParam("period") != null && period.equals(Board.ALL_TIME)) {
        throw HttpErrors.badParam("week", "week goes with period=weekly, not all-time");
      }
      return new Board(scope, week);
    }
    return new Board(scope, period.equals(Board.ALL_TIME) ? Board.ALL_TIME : Board.weekOf(clock.instant()));
  }

  private static JsonObject page(RoutingContext ctx, Board board) {
    return new JsonObject().put("scope", board.scope()).put("period", board.period())
        .put("page", intParam(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE))
        .put("size", intParam(ctx, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE));
  }

  private static JsonObject around(RoutingContext ctx, Board board) {
    return learner(ctx).put("scope", board.scope()).put("period", board.period())
        .put("window", intParam(ctx, "window", DEFAULT_WINDOW, 0, MAX_WINDOW));
  }

  static int intParam(RoutingContext ctx, String name, int fallback, int min, int max) {
    String text = ctx.request().getParam(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // answered below
    }
    throw HttpErrors.badParam(name, name + " must be an integer from " + min + " to " + max);
  }
}
