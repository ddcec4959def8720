package io.learnquest.streaks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.learnquest.EngineContext;
import io.learnquest.bus.Failure;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.store.StoreFactory;
import io.learnquest.store.Stores;
import io.learnquest.support.AppliedEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
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

/** The streaks verticle deployed alone: a learner's streak as of the engine's today, over the bus. */
@ExtendWith(VertxExtension.class)
class StreaksVerticleTest {
  private static final RuleSet RULES = RuleSet.defaults(BadgeCatalog.EMPTY);

  private static LearningEvent lesson(String eventId, String at, String zone) {
    return new LearningEvent(eventId, "ana", "lesson_completed", Instant.parse(at), zone, null, eventId, null, 2,
        false);
  }

  /** Deploys streaks alone on the embedded default, with ana's lessons committed (Tokyo, two days). */
  private static Future<Void> deploy(Vertx vertx, Clock clock) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    return StoreFactory.create(vertx, config, clock).compose(stores -> commitLessons(stores)
        .compose(v -> vertx.deployVerticle(new StreaksVerticle(new EngineContext(config, stores, clock)))))
        .mapEmpty();
  }

  private static Future<Void> commitLessons(Stores stores) {
    // 2026-03-01 and 2026-03-02 in Tokyo (UTC+9); the second names no zone and keeps Tokyo
    return AppliedEvents.commit(stores, RULES, List.of(lesson("l-1", "2026-03-01T01:00:00Z", "Asia/Tokyo"),
        lesson("l-2", "2026-03-01T16:00:00Z", null)));
  }

  /** The typed answer as the JSON the profile shows under {@code streak}. */
  private static JsonObject asJson(StreaksService.Streak streak) {
    return new JsonObject().put("streak", new JsonObject(Json.encode(streak)));
  }

  /** The learner's streak as the verticle answers it, deployed with its clock at {@code instant}. */
  private static Future<JsonObject> streakAt(Vertx vertx, String instant, String learnerId) {
    return deploy(vertx, Clock.fixed(Instant.parse(instant), ZoneOffset.UTC))
        .compose(v -> new StreaksService(vertx).streak(io.learnquest.domain.Tenants.DEFAULT, learnerId))
        .map(StreaksVerticleTest::asJson);
  }

  @Test
  void aStreakStudiedTodayIsNotAtRisk(Vertx vertx, VertxTestContext test) {
    // 2026-03-02 in Tokyo: the day of the last lesson
    streakAt(vertx, "2026-03-02T05:00:00Z", "ana")
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertEquals(new JsonObject().put("streak", new JsonObject().put("current", 2).put("longest", 2)
              .put("freezesLeft", 2).put("lastStudyDate", "2026-03-02").put("atRisk", false)), answer);
          test.completeNow();
        })));
  }

  @Test
  void theNextDayInTheLearnersZoneItIsAtRiskAndPastItsFreezesItReadsZero(Vertx vertx, VertxTestContext test) {
    // 2026-03-03 in Tokyo already, though still 2026-03-02 in UTC
    streakAt(vertx, "2026-03-02T16:00:00Z", "ana")
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          JsonObject streak = answer.getJsonObject("streak");
          assertEquals(2, streak.getInteger("current"));
          assertEquals(true, streak.getBoolean("atRisk"));
          test.completeNow();
        })));
  }

  @Test
  void pastTheFreezesTheCurrentStreakReadsZero(Vertx vertx, VertxTestContext test) {
    // four days after the last: more than 1 + 2 freezes
    streakAt(vertx, "2026-03-06T05:00:00Z", "ana")
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          JsonObject streak = answer.getJsonObject("streak");
          assertEquals(0, streak.getInteger("current"));
          assertEquals(2, streak.getInteger("longest"));
          assertEquals(false, streak.getBoolean("atRisk"));
          test.completeNow();
        })));
  }

  @Test
  void anUnknownLearnerIsNotFound(Vertx vertx, VertxTestContext test) {
    streakAt(vertx, "2026-03-02T05:00:00Z", "nobody")
        .onComplete(test.failing(e -> test.verify(() -> {
          Failure.EngineException failure = assertInstanceOf(Failure.EngineException.class, e);
          assertEquals(Failure.NOT_FOUND, failure.failure());
          assertEquals("not_found", failure.body().getString("error"));
          test.completeNow();
        })));
  }
}
