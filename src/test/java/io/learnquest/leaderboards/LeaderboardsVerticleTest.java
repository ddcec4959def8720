package io.learnquest.leaderboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.learnquest.EngineContext;
import io.learnquest.bus.Failure;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.leaderboards.LeaderboardsService.AroundQuery;
import io.learnquest.leaderboards.LeaderboardsService.BoardPage;
import io.learnquest.leaderboards.LeaderboardsService.Entry;
import io.learnquest.leaderboards.LeaderboardsService.PageQuery;
import io.learnquest.leaderboards.LeaderboardsService.Rebuilt;
import io.learnquest.leaderboards.LeaderboardsService.ScoresUpdate;
import io.learnquest.bus.Wire;
import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.support.AppliedEvents;
import io.vertx.core.json.JsonObject;
import io.learnquest.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leaderboards verticle deployed alone, asked over the bus with its typed messages. */
@ExtendWith(VertxExtension.class)
class LeaderboardsVerticleTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T10:00:00Z"), ZoneOffset.UTC);
  private static final String GLOBAL = new Board(Board.GLOBAL, Board.ALL_TIME).key();
  private static final String COURSE = Board.course("java-101", Board.ALL_TIME).key();

  private static Future<LeaderboardsService> deploy(Vertx vertx) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    return StoreFactory.create(vertx, config, CLOCK)
        .compose(stores -> vertx.deployVerticle(new LeaderboardsVerticle(new EngineContext(config, stores, CLOCK))))
        .map(id -> new LeaderboardsService(vertx));
  }

  /** Scores set in one turn: they travel as one batch, each answered alone. */
  private static Future<Void> scores(Vertx vertx, LeaderboardsService boards) {
    return Future.<Void>future(p -> vertx.runOnContext(v -> Future.all(
            boards.update(new ScoresUpdate(io.learnquest.domain.Tenants.DEFAULT, "ana", Map.of(GLOBAL, 50L, COURSE, 50L))),
            boards.update(new ScoresUpdate(io.learnquest.domain.Tenants.DEFAULT, "bo", Map.of(GLOBAL, 70L))),
            boards.update(new ScoresUpdate(io.learnquest.domain.Tenants.DEFAULT, "cy", Map.of(GLOBAL, 50L))))
        .<Void>mapEmpty().onComplete(p)));
  }

  @Test
  void setsScoresAndAnswersPagesInRankOrder(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(boards -> scores(vertx, boards)
            .compose(v -> boards.page(new PageQuery(io.learnquest.domain.Tenants.DEFAULT, Board.GLOBAL, Board.ALL_TIME, 1, 2)))
            .compose(first -> boards.page(new PageQuery(io.learnquest.domain.Tenants.DEFAULT, Board.GLOBAL, Board.ALL_TIME, 2, 2))
                .map(second -> List.of(first, second))))
        .onComplete(test.succeeding(pages -> test.verify(() -> {
          BoardPage first = pages.get(0);
          assertEquals(3, first.total());
          // XP descending, then learnerId ascending
          assertEquals(List.of(new Entry(1, "bo", 70, null), new Entry(2, "ana", 50, null)), first.entries());
          assertEquals(List.of(new Entry(3, "cy", 50, null)), pages.get(1).entries());
          // as the HTTP answer: a page names no current user
          assertEquals("{\"scope\":\"global\",\"period\":\"all-time\",\"total\":3,\"entries\":["
              + "{\"rank\":3,\"learnerId\":\"cy\",\"xp\":50}]}", Json.encode(pages.get(1)));
          test.completeNow();
        })));
  }

  @Test
  void answersTheWindowAroundALearnerAndNotFoundForOneWithoutAScore(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(boards -> scores(vertx, boards)
            .compose(v -> boards.around(new AroundQuery(io.learnquest.domain.Tenants.DEFAULT, Board.GLOBAL, Board.ALL_TIME, "cy", 1)))
            .compose(around -> boards.around(new AroundQuery(io.learnquest.domain.Tenants.DEFAULT, "course:java-101", Board.ALL_TIME, "bo", 5))
                .map(x -> around).recover(e -> {
                  test.verify(() -> {
                    assertEquals(Failure.NOT_FOUND, ((Failure.EngineException) e).failure());
                    assertEquals("learnerId", ((Failure.EngineException) e).body().getString("field"));
                  });
                  return Future.succeededFuture(around);
                })))
        .onComplete(test.succeeding(around -> test.verify(() -> {
          assertEquals(List.of(new Entry(2, "ana", 50, false), new Entry(3, "cy", 50, true)), around.entries());
          assertEquals("{\"rank\":3,\"learnerId\":\"cy\",\"xp\":50,\"isCurrentUser\":true}",
              Json.encode(around.entries().get(1)));
          test.completeNow();
        })));
  }

  @Test
  void aLowerScoreNeverLowersTheProjection(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(boards -> boards.update(new ScoresUpdate(io.learnquest.domain.Tenants.DEFAULT, "ana", Map.of(GLOBAL, 80L)))
            .compose(v -> boards.update(new ScoresUpdate(io.learnquest.domain.Tenants.DEFAULT, "ana", Map.of(GLOBAL, 30L))))
            .compose(v -> boards.page(new PageQuery(io.learnquest.domain.Tenants.DEFAULT, Board.GLOBAL, Board.ALL_TIME, 1, 10))))
        .onComplete(test.succeeding(page -> test.verify(() -> {
          assertEquals(List.of(new Entry(1, "ana", 80, null)), page.entries());
          assertNull(page.entries().get(0).isCurrentUser());
          test.completeNow();
        })));
  }

  @Test
  void answersReadyAndErasesOneTenantsBoardsOnly(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(boards -> boards.ready()
            .compose(ready -> scores(vertx, boards))
            .compose(v -> boards.update(new ScoresUpdate("acme", "zed", Map.of(GLOBAL, 90L))))
            .compose(v -> boards.eraseTenant("acme"))
            .compose(erased -> Future.all(
                boards.page(new PageQuery("acme", Board.GLOBAL, Board.ALL_TIME, 1, 10)),
                boards.page(new PageQuery(io.learnquest.domain.Tenants.DEFAULT, Board.GLOBAL, Board.ALL_TIME, 1, 10)))))
        .onComplete(test.succeeding(pages -> test.verify(() -> {
          BoardPage acme = pages.resultAt(0);
          BoardPage others = pages.resultAt(1);
          assertEquals(0, acme.total());
          assertEquals(List.of(), acme.entries());
          assertEquals(3, others.total(), "another tenant's boards stay");
          test.completeNow();
        })));
  }

  /** Deploys the leaderboards over a store that holds ana's durable totals of one lesson (52 XP). */
  private static Future<LeaderboardsService> deployOverDurableTotals(Vertx vertx) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    LearningEvent lesson = new LearningEvent("t-1", "ana", "lesson_completed", Instant.parse("2026-03-02T09:00:00Z"),
        null, null, "l-1", null, 2, false);
    return StoreFactory.create(vertx, config, CLOCK)
        .compose(stores -> AppliedEvents.commit(stores, RuleSet.defaults(BadgeCatalog.EMPTY), List.of(lesson))
            .compose(v -> vertx.deployVerticle(new LeaderboardsVerticle(new EngineContext(config, stores, CLOCK)))))
        .map(id -> new LeaderboardsService(vertx));
  }

  @Test
  void aRebuildRestoresTheDurableTotalsAndAnswersWhatItWroteOrItsJobAtOnce(Vertx vertx, VertxTestContext test) {
    String tenant = io.learnquest.domain.Tenants.DEFAULT;
    deployOverDurableTotals(vertx).compose(boards -> boards.update(new ScoresUpdate(tenant, "ghost", Map.of(GLOBAL, 999L)))
            .compose(v -> boards.rebuild(tenant))
            .compose(rebuilt -> {
              test.verify(() -> {
                assertEquals(List.of("boards", "entries", "generation", "jobId"),
                    List.copyOf(new JsonObject(Json.encode(rebuilt)).fieldNames()), "as the HTTP answer");
                assertEquals(rebuilt.entries(), (long) rebuilt.boards(), "one learner, one score per board");
                assertNotNull(rebuilt.generation());
                assertEquals(rebuilt, Wire.decode(Wire.encode(rebuilt), Rebuilt.class), "as a peer node reads it");
              });
              return boards.page(new PageQuery(tenant, Board.GLOBAL, Board.ALL_TIME, 1, 10));
            })
            .compose(page -> {
              test.verify(() -> assertEquals(List.of(new Entry(1, "ana", 52, null)), page.entries(),
                  "only the durable totals: the projection's own score went"));
              return boards.startRebuild(tenant);
            }))
        .onComplete(test.succeeding(job -> test.verify(() -> {
          assertEquals(List.of(LeaderboardsVerticle.REBUILD_JOB, "on request", tenant),
              List.of(job.kind(), job.reason(), job.tenant()));
          assertNotNull(job.jobId());
          assertEquals(List.of("jobId", "kind", "state", "processed", "total", "percent", "ratePerSecond", "etaSeconds",
              "startedAt", "finishedAt", "reason", "tenant"), List.copyOf(new JsonObject(Json.encode(job)).fieldNames()),
              "as GET /api/v1/jobs/{jobId} shows a job that has no result yet");
          test.completeNow();
        })));
  }
}
