package io.learnquest.badges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.EngineContext;
import io.learnquest.badges.BadgesService.Badge;
import io.learnquest.badges.BadgesService.CatalogChanged;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Failure;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.store.StoreFactory;
import io.learnquest.support.AppliedEvents;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The badges verticle deployed alone: the catalog read, defined and retired over the bus, each
 * change published on {@code badges.catalog.changed} before it is answered, and a learner's awards.
 */
@ExtendWith(VertxExtension.class)
class BadgesVerticleTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-05T10:00:00Z"), ZoneOffset.UTC);

  private static Future<Void> deploy(Vertx vertx) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    BadgeRuleParser parser = new BadgeRuleParser(name -> config.eventTypes().find(name).isPresent());
    BadgeDefinition first = BadgeDefinition.parse(Map.of("badgeId", "first_lesson", "name", "First Steps",
        "tier", "bronze", "rule", Map.of("event", "lesson_completed", "count", 1)), parser, "");
    RuleSet rules = RuleSet.defaults(new BadgeCatalog(1, List.of(first)));
    LearningEvent lesson = new LearningEvent("b-1", "ana", "lesson_completed", Instant.parse("2026-03-01T10:00:00Z"),
        null, null, "l-1", null, 2, false);
    return StoreFactory.create(vertx, config, CLOCK).compose(stores -> AppliedEvents.commit(stores, rules,
            List.of(lesson))
        .compose(v -> vertx.deployVerticle(new BadgesVerticle(new EngineContext(config, stores, CLOCK)))))
        .mapEmpty();
  }

  private static final String TENANT = io.learnquest.domain.Tenants.DEFAULT;

  private static Badge helper() {
    return new Badge("helper", "Helper", null, "gold", null, Map.of("metric", "peers_helped", "gte", 3));
  }

  /**
   * Makes the change {@code ask} from one context, on which the change notices are heard too: the
   * list of what arrived there, in order, once the answer came ("answer" last).
   */
  private static Future<List<String>> askHearingNotices(Vertx vertx, Supplier<Future<?>> ask) {
    Promise<List<String>> heard = Promise.promise();
    vertx.runOnContext(v -> {
      List<String> order = new ArrayList<>();
      var notices = vertx.eventBus().<CatalogChanged>consumer(Addresses.BADGES_CATALOG_CHANGED,
          m -> order.add("notice " + m.body().tenant() + " " + m.body().badgeId()));
      notices.completion()
          .compose(registered -> ask.get())
          .onSuccess(answer -> order.add("answer"))
          .onComplete(ar -> notices.unregister().onComplete(u -> {
            if (ar.succeeded()) {
              heard.complete(order);
            } else {
              heard.fail(ar.cause());
            }
          }));
    });
    return heard.future();
  }

  private static Future<List<String>> catalogIds(BadgesService badges, String tenant) {
    return badges.catalog(tenant).map(catalog -> catalog.badges().stream().map(Badge::badgeId).toList());
  }

  @Test
  void aDefinitionIsStoredCleanListedAndNoticedBeforeItIsAnswered(Vertx vertx, VertxTestContext test) {
    BadgesService badges = new BadgesService(vertx);
    Badge clean = new Badge("helper", "Helper", "", "gold", null, Map.of("metric", "peers_helped", "gte", 3));
    deploy(vertx)
        .compose(v -> askHearingNotices(vertx, () -> badges.define(TENANT, helper()).andThen(test.succeeding(
            answered -> test.verify(() -> assertEquals(clean, answered, "the definition as stored"))))))
        .compose(order -> {
          test.verify(() -> assertEquals(List.of("notice default helper", "answer"), order));
          return badges.catalog(TENANT);
        })
        .onComplete(test.succeeding(catalog -> test.verify(() -> {
          Badge listed = catalog.badges().stream().filter(b -> b.badgeId().equals("helper")).findFirst().orElseThrow();
          assertEquals(clean, listed);
          // as GET /api/v1/badges writes it
          assertEquals(new JsonObject().put("badgeId", "helper").put("name", "Helper").put("description", "")
              .put("tier", "gold").putNull("iconUrl")
              .put("rule", new JsonObject().put("metric", "peers_helped").put("gte", 3)),
              new JsonObject(Json.encode(listed)));
          test.completeNow();
        })));
  }

  @Test
  void aRetiredBadgeIsNoticedBeforeTheAnswerAndNoLongerListed(Vertx vertx, VertxTestContext test) {
    BadgesService badges = new BadgesService(vertx);
    deploy(vertx)
        .compose(v -> catalogIds(badges, TENANT))
        .compose(before -> {
          test.verify(() -> assertTrue(before.contains("first_lesson"), before.toString()));
          return askHearingNotices(vertx, () -> badges.retire(TENANT, "first_lesson"));
        })
        .compose(order -> {
          test.verify(() -> assertEquals(List.of("notice default first_lesson", "answer"), order));
          return Future.all(catalogIds(badges, TENANT), catalogIds(badges, "acme"));
        })
        .onComplete(test.succeeding(after -> test.verify(() -> {
          List<String> own = after.resultAt(0);
          List<String> other = after.resultAt(1);
          assertFalse(own.contains("first_lesson"), own.toString());
          assertTrue(other.contains("first_lesson"), "another tenant's catalog keeps it: " + other);
          test.completeNow();
        })));
  }

  @Test
  void retiringABadgeNeverDefinedIsNotFoundAndAnInvalidDefinitionIsRefused(Vertx vertx, VertxTestContext test) {
    BadgesService badges = new BadgesService(vertx);
    deploy(vertx)
        .compose(v -> badges.retire(TENANT, "never").map("answered").recover(e -> {
              test.verify(() -> assertEquals(Failure.NOT_FOUND,
                  assertInstanceOf(Failure.EngineException.class, e).failure()));
              return badges.define(TENANT, new Badge("helper", "Helper", null, "gold", null,
                  Map.of("metric", "nonsense", "gte", 1))).map("answered");
            }))
        .onComplete(test.failing(e -> test.verify(() -> {
          Failure.EngineException refused = assertInstanceOf(Failure.EngineException.class, e);
          assertEquals(Failure.INVALID_INPUT, refused.failure());
          assertEquals("invalid_rule", refused.body().getString("error"));
          assertEquals("rule.metric", refused.body().getString("field"));
          test.completeNow();
        })));
  }

  @Test
  void aLearnersAwardsAreServedAndAnUnknownLearnerIsNotFound(Vertx vertx, VertxTestContext test) {
    BadgesService badges = new BadgesService(vertx);
    deploy(vertx)
        .compose(v -> badges.awards(TENANT, "ana"))
        .compose(ana -> {
          test.verify(() -> {
            assertEquals(List.of(new BadgeAward("first_lesson", "First Steps", "bronze",
                Instant.parse("2026-03-01T10:00:00Z"), "b-1")), ana.badges());
            // as GET /api/v1/learners/ana/badges writes it
            assertEquals(new JsonObject().put("badges", new JsonArray().add(new JsonObject()
                .put("badgeId", "first_lesson").put("name", "First Steps").put("tier", "bronze")
                .put("awardedAt", "2026-03-01T10:00:00Z").put("eventId", "b-1"))), new JsonObject(Json.encode(ana)));
          });
          return badges.awards(TENANT, "nobody");
        })
        .onComplete(test.failing(e -> test.verify(() -> {
          assertEquals(Failure.NOT_FOUND, assertInstanceOf(Failure.EngineException.class, e).failure());
          test.completeNow();
        })));
  }

  @Test
  void erasingATenantDropsItsDefinitionsItsCatalogStartsFromTheDefaultAgain(Vertx vertx, VertxTestContext test) {
    BadgesService badges = new BadgesService(vertx);
    deploy(vertx)
        .compose(v -> badges.define(TENANT, helper()))
        .compose(defined -> askHearingNotices(vertx, () -> badges.eraseTenant(TENANT)))
        .compose(order -> {
          test.verify(() -> assertEquals(List.of("notice default null", "answer"), order));
          return catalogIds(badges, TENANT);
        })
        .onComplete(test.succeeding(ids -> test.verify(() -> {
          assertFalse(ids.contains("helper"), ids.toString());
          assertTrue(ids.contains("first_lesson"), ids.toString());
          test.completeNow();
        })));
  }
}
