package io.learnquest.xp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.learnquest.EngineContext;
import io.learnquest.bus.Failure;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.store.StoreFactory;
import io.learnquest.support.AppliedEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The xp verticle deployed alone: the ledger, the audit trail of a learner's XP, over the bus. */
@ExtendWith(VertxExtension.class)
class XpVerticleTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-05T10:00:00Z"), ZoneOffset.UTC);
  private static final RuleSet RULES = RuleSet.defaults(BadgeCatalog.EMPTY);

  private static LearningEvent lesson(String eventId, String at, String objectId) {
    return new LearningEvent(eventId, "ana", "lesson_completed", Instant.parse(at), null, null, objectId, null, 2,
        false);
  }

  /** ana: a lesson on day 1, the same lesson again (a repeat), another lesson on day 2. */
  private static Future<Void> deploy(Vertx vertx) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    return StoreFactory.create(vertx, config, CLOCK).compose(stores -> AppliedEvents.commit(stores, RULES, List.of(
            lesson("x-1", "2026-03-01T10:00:00Z", "l-1"),
            lesson("x-2", "2026-03-01T11:00:00Z", "l-1"),
            lesson("x-3", "2026-03-02T10:00:00Z", "l-2")))
        .compose(v -> vertx.deployVerticle(new XpVerticle(new EngineContext(config, stores, CLOCK)))))
        .mapEmpty();
  }

  private static JsonObject line(String eventId, String activity, long base, int pct, long xp, String reason,
                                 String at) {
    return new JsonObject().put("eventId", eventId).put("activity", activity).put("baseXp", base)
        .put("multiplierPct", pct).put("xp", xp).put("reason", reason).put("at", at);
  }

  @Test
  void theLedgerListsEveryLineNewestFirstRepeatsIncluded(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(v -> new XpService(vertx).ledger(io.learnquest.domain.Tenants.DEFAULT, "ana", null, 50).map(ledger -> new JsonObject(Json.encode(ledger))))
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertEquals(new JsonArray()
              .add(line("x-3", "streak", 25, 110, 27, "streak_bonus", "2026-03-02T10:00:00Z"))
              .add(line("x-3", "lesson", 50, 110, 55, "activity", "2026-03-02T10:00:00Z"))
              .add(line("x-2", "lesson", 50, 105, 0, "repeat", "2026-03-01T11:00:00Z"))
              .add(line("x-1", "lesson", 50, 105, 52, "activity", "2026-03-01T10:00:00Z")),
              answer.getJsonArray("entries"));
          test.completeNow();
        })));
  }

  @Test
  void theLimitKeepsTheNewestLines(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(v -> new XpService(vertx).ledger(io.learnquest.domain.Tenants.DEFAULT, "ana", null, 1).map(ledger -> new JsonObject(Json.encode(ledger))))
        .onComplete(test.succeeding(answer -> test.verify(() -> {
          assertEquals(1, answer.getJsonArray("entries").size());
          assertEquals("x-3", answer.getJsonArray("entries").getJsonObject(0).getString("eventId"));
          assertNotNull(answer.getString("next"), "older lines remain");
          test.completeNow();
        })));
  }

  @Test
  void theCursorReadsTheWholeTrailPageByPage(Vertx vertx, VertxTestContext test) {
    XpService xp = new XpService(vertx);
    List<String> lines = new ArrayList<>();
    deploy(vertx)
        .compose(v -> xp.ledger(io.learnquest.domain.Tenants.DEFAULT, "ana", null, 3))
        .compose(first -> {
          first.entries().forEach(e -> lines.add(e.eventId() + "/" + e.activity()));
          return xp.ledger(io.learnquest.domain.Tenants.DEFAULT, "ana", Long.valueOf(first.next()), 3);
        })
        .onComplete(test.succeeding(second -> test.verify(() -> {
          second.entries().forEach(e -> lines.add(e.eventId() + "/" + e.activity()));
          assertEquals(List.of("x-3/streak", "x-3/lesson", "x-2/lesson", "x-1/lesson"), lines);
          assertNull(second.next(), "the last page has no next");
          test.completeNow();
        })));
  }

  @Test
  void anUnknownLearnerIsNotFound(Vertx vertx, VertxTestContext test) {
    deploy(vertx).compose(v -> new XpService(vertx).ledger(io.learnquest.domain.Tenants.DEFAULT, "nobody", null, 50).map(ledger -> new JsonObject(Json.encode(ledger))))
        .onComplete(test.failing(e -> test.verify(() -> {
          assertEquals(Failure.NOT_FOUND, assertInstanceOf(Failure.EngineException.class, e).failure());
          test.completeNow();
        })));
  }
}
