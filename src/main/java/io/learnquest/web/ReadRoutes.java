package io.learnquest.web;

import io.learnquest.EngineContext;
import io.learnquest.badges.BadgesService;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.IdShape;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.rules.RulesService;
import io.learnquest.streaks.StreaksService;
import io.learnquest.xp.XpService;
import io.learnquest.leaderboards.LeaderboardsService.AroundQuery;
import io.learnquest.leaderboards.LeaderboardsService.PageQuery;
import io.learnquest.json.JsonMapping;
import io.learnquest.json.StrictJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The read side of the API: learners, the badge catalog and leaderboards, each answered over the bus by its owner. */
final class ReadRoutes {
  static final int DEFAULT_LEDGER_LIMIT = 50;
  static final int MAX_LEDGER_LIMIT = 1000;
  static final int MAX_PAGE_SIZE = 100;
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int DEFAULT_WINDOW = 25;
  static final int MAX_WINDOW = 100;

  private final LeaderboardsService leaderboards;
  private final StreaksService streaks;
  private final XpService xp;
  private final BadgesService badges;
  private final RulesService rules;
  private final Clock clock;
  private final BadgeRuleParser badgeRules;
  private RequestValidation document;

  ReadRoutes(Vertx vertx, EngineContext context) {
    this.leaderboards = new LeaderboardsService(vertx);
    this.streaks = new StreaksService(vertx);
    this.xp = new XpService(vertx);
    this.badges = new BadgesService(vertx);
    this.rules = new RulesService(vertx);
    this.clock = context.clock();
    this.badgeRules = new BadgeRuleParser(name -> context.config().eventTypes().find(name).isPresent());
  }

  /** The API document, checked after the badge parser: it names a problem with its own code first. */
  void validateWith(RequestValidation document) {
    this.document = document;
  }

  /**
   * The profile, from the three verticles that own its parts, asked at once: the learner's
   * progression, XP and counters (rules), their streak as of today (streaks) and their badges (badges).
   */
  void profile(RoutingContext ctx) {
    answerRecord(ctx, () -> {
      String tenant = RequestTenant.of(ctx);
      String learnerId = learnerId(ctx);
      Future<RulesService.Profile> learner = rules.profile(tenant, learnerId);
      Future<StreaksService.Streak> streak = streaks.streak(tenant, learnerId);
      Future<BadgesService.Awards> awards = badges.awards(tenant, learnerId);
      return Future.all(learner, streak, awards).map(all -> LearnerProfile.of(learner.result(), streak.result(),
          awards.result().badges()));
    });
  }

  /** {@code GET /api/v1/learners/{id}}: the parts of three verticles, as one answer. */
  record LearnerProfile(String learnerId, String state, long xp, int level, Long nextLevelXp, String timezone,
                        StreaksService.Streak streak, Map<String, Long> counters, List<ProfileBadge> badges) {
    static LearnerProfile of(RulesService.Profile learner, StreaksService.Streak streak, List<BadgeAward> awards) {
      return new LearnerProfile(learner.learnerId(), learner.state(), learner.xp(), learner.level(),
          learner.nextLevelXp(), learner.timezone(), streak, learner.counters(),
          awards.stream().map(a -> new ProfileBadge(a.badgeId(), a.name(), a.tier(), a.awardedAt())).toList());
    }
  }

  /** A badge as the profile lists it (the awarding event is in {@code /badges}). */
  record ProfileBadge(String badgeId, String name, String tier, Instant awardedAt) {
  }

  void ledger(RoutingContext ctx) {
    answerRecord(ctx, () -> {
      String learnerId = learnerId(ctx);
      return xp.ledger(RequestTenant.of(ctx), learnerId, cursor(ctx),
          intParam(ctx, "limit", DEFAULT_LEDGER_LIMIT, 1, MAX_LEDGER_LIMIT));
    });
  }

  void badges(RoutingContext ctx) {
    answerRecord(ctx, () -> badges.awards(RequestTenant.of(ctx), learnerId(ctx)));
  }

  void transitions(RoutingContext ctx) {
    answerRecord(ctx, () -> rules.transitions(RequestTenant.of(ctx), learnerId(ctx)));
  }

  void flags(RoutingContext ctx) {
    answerRecord(ctx, () -> rules.flags(RequestTenant.of(ctx), learnerId(ctx),
        intParam(ctx, "limit", DEFAULT_LEDGER_LIMIT, 1, MAX_LEDGER_LIMIT)));
  }

  /** {@code ?cursor=}: the {@code next} of a previous page (a non-negative number), or null for the first page. */
  private static Long cursor(RoutingContext ctx) {
    String cursor = ctx.request().getParam("cursor");
    if (cursor == null) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(cursor);
    } catch (NumberFormatException e) {
      value = -1;
    }
    if (value < 0) {
      throw HttpErrors.badParam("cursor", "cursor must be the next value of a previous page");
    }
    return value;
  }

  /** {@code GET /api/v1/flags?cursor=}: every learner's flags, oldest first, a page at a time. */
  void allFlags(RoutingContext ctx) {
    answerRecord(ctx, () -> {
      Long after = cursor(ctx);
      return rules.allFlags(RequestTenant.of(ctx), after == null ? 0 : after,
          intParam(ctx, "limit", DEFAULT_LEDGER_LIMIT, 1, MAX_LEDGER_LIMIT));
    });
  }

  void catalog(RoutingContext ctx) {
    answerRecord(ctx, () -> badges.catalog(RequestTenant.of(ctx)));
  }

  /** {@code PUT /api/v1/badges/{badgeId}}: add or replace a definition; validated whole. */
  void defineBadge(RoutingContext ctx) {
    answerRecord(ctx, () -> {
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
      BadgeDefinition parsed = BadgeDefinition.parse(JsonMapping.plainMap(definition), badgeRules, "");
      InvalidInputException refusal = document.bodyRefusal(ctx, definition);
      if (refusal != null) {
        throw refusal;
      }
      return badges.define(RequestTenant.of(ctx), BadgesService.Badge.of(parsed));
    });
  }

  /**
   * {@code DELETE /api/v1/badges/{badgeId}}: retires the badge (204; again 204 when retired already,
   * 404 when never defined). It is no longer listed nor awarded; awards already made stay.
   */
  void retireBadge(RoutingContext ctx) {
    String badgeId = ctx.pathParam("badgeId");
    if (!BadgeDefinition.isValidBadgeId(badgeId)) {
      HttpErrors.fail(ctx, HttpErrors.badParam("badgeId", IdShape.EVENT_ID.refusal("badgeId")));
      return;
    }
    badges.retire(RequestTenant.of(ctx), badgeId)
        .onSuccess(retired -> HttpErrors.noContent(ctx))
        .onFailure(e -> HttpErrors.fail(ctx, e));
  }

  void globalBoard(RoutingContext ctx) {
    answerRecord(ctx, () -> leaderboards.page(page(ctx, board(ctx, Board.GLOBAL))));
  }

  void courseBoard(RoutingContext ctx) {
    answerRecord(ctx, () -> leaderboards.page(page(ctx, board(ctx, courseScope(ctx)))));
  }

  void globalAround(RoutingContext ctx) {
    answerRecord(ctx, () -> leaderboards.around(around(ctx, board(ctx, Board.GLOBAL))));
  }

  void courseAround(RoutingContext ctx) {
    answerRecord(ctx, () -> leaderboards.around(around(ctx, board(ctx, courseScope(ctx)))));
  }

  /**
   * Waits for the whole rebuild (200, its result with its {@code jobId}), or with {@code ?wait=false}
   * answers 202 with the job at once; {@code GET /api/v1/jobs/{jobId}} then shows its progress.
   */
  void rebuildLeaderboards(RoutingContext ctx) {
    boolean wait = !"false".equals(ctx.request().getParam("wait"));
    String tenant = RequestTenant.of(ctx);
    Future<? extends Record> answer = wait ? leaderboards.rebuild(tenant) : leaderboards.startRebuild(tenant);
    answer.onSuccess(body -> HttpErrors.json(ctx, wait ? 200 : 202, body)).onFailure(e -> HttpErrors.fail(ctx, e));
  }

  void sweepInactivity(RoutingContext ctx) {
    answerRecord(ctx, () -> rules.sweep(RequestTenant.of(ctx)));
  }

  /** Runs a handler whose bad parameters throw, and writes its answer (a message record, as its JSON) or its error. */
  static void answerRecord(RoutingContext ctx, Supplier<Future<? extends Record>> handler) {
    Future<? extends Record> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(body -> HttpErrors.json(ctx, 200, body)).onFailure(e -> HttpErrors.fail(ctx, e));
  }

  private static String learnerId(RoutingContext ctx) {
    String learnerId = ctx.pathParam("learnerId");
    if (!EventValidator.isValidLearnerId(learnerId)) {
      throw HttpErrors.badParam("learnerId", IdShape.LEARNER_ID.refusal("learnerId"));
    }
    return learnerId;
  }

  private static String courseScope(RoutingContext ctx) {
    String courseId = ctx.pathParam("courseId");
    if (!EventValidator.isValidLearnerId(courseId)) {
      throw HttpErrors.badParam("courseId", IdShape.LEARNER_ID.refusal("courseId"));
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

  private static PageQuery page(RoutingContext ctx, Board board) {
    return new PageQuery(RequestTenant.of(ctx), board.scope(), board.period(),
        intParam(ctx, "page", 1, 1, Integer.MAX_VALUE / MAX_PAGE_SIZE),
        intParam(ctx, "size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE));
  }

  private static AroundQuery around(RoutingContext ctx, Board board) {
    return new AroundQuery(RequestTenant.of(ctx), board.scope(), board.period(), learnerId(ctx),
        intParam(ctx, "window", DEFAULT_WINDOW, 0, MAX_WINDOW));
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
