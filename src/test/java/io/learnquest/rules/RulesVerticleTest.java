package io.learnquest.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.EngineContext;
import io.learnquest.badges.BadgesService;
import io.learnquest.badges.BadgesService.Badge;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.Wire;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.store.EventLog;
import io.learnquest.store.Stores;
import io.learnquest.store.StoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rules verticle deployed alone, with a stand-in for the badges verticle's catalog: events
 * nudged over the bus are applied and committed in process, the catalog copy is taken at start and
 * again only after a change notice, and the learner's part of the profile is served.
 */
@ExtendWith(VertxExtension.class)
class RulesVerticleTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-05T10:00:00Z"), ZoneOffset.UTC);

  private static Badge badge(String badgeId, int lessons) {
    return new Badge(badgeId, badgeId, "", "bronze", null, Map.of("event", "lesson_completed", "count", lessons));
  }

  private static LearningEvent lesson(int n) {
    return new LearningEvent("r-" + n, "ana", "lesson_completed", Instant.parse("2026-03-0" + n + "T10:00:00Z"), null,
        null, "l-" + n, null, 2, false);
  }

  /** A stand-in for {@code badges.catalog}: answers the current list and counts the requests. */
  private record Catalog(List<Badge> badges, AtomicInteger asked) {
  }

  private static final String TENANT = io.learnquest.domain.Tenants.DEFAULT;

  private static Future<Stores> deploy(Vertx vertx, Catalog catalog) {
    var config = ConfigLoader.load(Path.of("conf"), Map.of());
    BadgesService.registerCodecs(vertx);
    return Bus.answer(vertx, Addresses.BADGES_CATALOG, (BadgesService.CatalogQuery request) -> {
          catalog.asked().incrementAndGet();
          return Future.succeededFuture(new BadgesService.Catalog(catalog.badges()));
        })
        .compose(v -> StoreFactory.create(vertx, config, CLOCK))
        .compose(stores -> vertx.deployVerticle(new RulesVerticle(new EngineContext(config, stores, CLOCK)))
            .map(stores));
  }

  /** Appends the event, nudges the rules over the bus, and waits until it is applied. */
  private static Future<Void> applied(Vertx vertx, Stores stores, LearningEvent event) {
    return stores.events().append(io.learnquest.domain.Tenants.DEFAULT, List.of(event), null).compose(appended -> {
      vertx.eventBus().send(Addresses.RULES_LEARNER_PENDING, new LearnersPending(List.of(new io.learnquest.store.LearnerRef(io.learnquest.domain.Tenants.DEFAULT, event.learnerId()))));
      Promise<Void> done = Promise.promise();
      poll(vertx, stores, event.eventId(), done, 200);
      return done.future();
    });
  }

  private static void poll(Vertx vertx, Stores stores, String eventId, Promise<Void> done, int triesLeft) {
    stores.events().event(io.learnquest.domain.Tenants.DEFAULT, eventId).onComplete(ar -> {
      if (ar.succeeded() && ar.result().map(e -> e.applied()).orElse(false)) {
        done.complete();
      } else if (triesLeft == 0) {
        done.fail("event " + eventId + " not applied");
      } else {
        vertx.setTimer(25, t -> poll(vertx, stores, eventId, done, triesLeft - 1));
      }
    });
  }

  private static Future<List<String>> awards(Stores stores) {
    return stores.learners().badges(io.learnquest.domain.Tenants.DEFAULT, "ana").map(list -> list.stream().map(BadgeAward::badgeId).sorted().toList());
  }

  @Test
  void eventsAreAppliedInProcessUnderTheCatalogCopyRefreshedOnlyAfterANotice(Vertx vertx, VertxTestContext test) {
    Catalog catalog = new Catalog(new CopyOnWriteArrayList<>(List.of(badge("one_lesson", 1))), new AtomicInteger());
    deploy(vertx, catalog).compose(stores -> applied(vertx, stores, lesson(1))
            .compose(v -> awards(stores))
            .compose(first -> {
              test.verify(() -> {
                assertEquals(List.of("one_lesson"), first);
                assertEquals(1, catalog.asked().get(), "one copy, taken at start");
              });
              // A badge defined meanwhile: without a notice the copy stays as it was.
              catalog.badges().add(badge("two_lessons", 2));
              return applied(vertx, stores, lesson(2)).compose(v -> awards(stores));
            })
            .compose(second -> {
              test.verify(() -> {
                assertEquals(List.of("one_lesson"), second);
                assertEquals(1, catalog.asked().get());
              });
              catalog.badges().add(badge("three_lessons", 3));
              vertx.eventBus().publish(Addresses.BADGES_CATALOG_CHANGED,
                  new BadgesService.CatalogChanged(io.learnquest.domain.Tenants.DEFAULT, "three_lessons"));
              return applied(vertx, stores, lesson(3)).compose(v -> awards(stores));
            })
            .compose(third -> {
              test.verify(() -> {
                // two_lessons is met too (3 lessons >= 2): evaluated on every event, awarded once
                assertEquals(List.of("one_lesson", "three_lessons", "two_lessons"), third);
                assertEquals(2, catalog.asked().get(), "a fresh copy after the notice, one only");
              });
              return new RulesService(vertx).profile(TENANT, "ana");
            }))
        .onComplete(test.succeeding(profile -> test.verify(() -> {
          // 52 + (55 + 27) + (57 + 28)
          assertEquals(new JsonObject().put("learnerId", "ana").put("state", "ACTIVE").put("xp", 219L)
              .put("level", 2).put("nextLevelXp", 400L).put("timezone", "UTC")
              .put("counters", new JsonObject().put("lessonsCompleted", 3L).put("quizzesPassed", 0L)
                  .put("perfectQuizzes", 0L).put("coursesCompleted", 0L).put("peersHelped", 0L)),
              new JsonObject(Json.encode(profile)));
          assertEquals(profile, acrossNodes(profile));
          test.completeNow();
        })));
  }

  /** {@code reply} as a peer node reads it: encoded once and read back ({@code bus/Wire}). */
  private static <T> T acrossNodes(T reply) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) reply.getClass();
    return Wire.decode(Wire.encode(reply), type);
  }

  private static LearningEvent laterLesson(String eventId) {
    return new LearningEvent(eventId, "ana", "lesson_completed", Instant.parse("2026-03-04T10:00:00Z"), null,
        null, "q-" + eventId, null, 2, false);
  }

  @Test
  void servesTransitionsFlagsTheSweepTheQuarantineAndVoids(Vertx vertx, VertxTestContext test) {
    Catalog catalog = new Catalog(new CopyOnWriteArrayList<>(), new AtomicInteger());
    RulesService rules = new RulesService(vertx);
    deploy(vertx, catalog).compose(stores -> applied(vertx, stores, lesson(1))
            .compose(v -> rules.transitions(TENANT, "ana"))
            .compose(transitions -> {
              test.verify(() -> {
                Transition first = transitions.transitions().get(0);
                assertEquals(List.of(ProgressionState.ONBOARDING, ProgressionState.ACTIVE, "r-1"),
                    List.of(first.from(), first.to(), first.eventId()));
                assertEquals(transitions, acrossNodes(transitions));
              });
              return Future.all(rules.flags(TENANT, "ana", 10), rules.allFlags(TENANT, 0, 10),
                  rules.flags(TENANT, "nobody", 10).map("answered").otherwise(e -> ((Failure.EngineException) e)
                      .failure().name()));
            })
            .compose(flags -> {
              test.verify(() -> {
                assertEquals(new RulesService.LearnerFlags(List.of()), flags.resultAt(0));
                assertEquals(new RulesService.FlagPage(List.of(), null), flags.resultAt(1));
                assertEquals("NOT_FOUND", flags.resultAt(2));
              });
              return rules.sweep(TENANT);
            })
            .compose(sweep -> {
              // the learner studied two days ago: nothing is due
              test.verify(() -> assertEquals(new RulesService.Sweep(true, 0), sweep));
              // two events accepted, never nudged, moved into the quarantine
              return stores.events().append(TENANT, List.of(laterLesson("x-1"), laterLesson("x-2")), null)
                  .compose(a -> stores.events().quarantine(TENANT, "x-1", "store_refused: test", 3))
                  .compose(a -> stores.events().quarantine(TENANT, "x-2", "store_refused: test", 3))
                  .compose(a -> rules.quarantined(TENANT, 1));
            })
            .compose(quarantine -> {
              test.verify(() -> {
                assertEquals(2, quarantine.count());
                RulesService.Quarantined first = quarantine.events().get(0);
                assertEquals(List.of("x-1", "ana", "store_refused: test", 3),
                    List.of(first.eventId(), first.learnerId(), first.reason(), first.attempts()));
                assertEquals(quarantine, acrossNodes(quarantine));
              });
              return rules.retryQuarantined(TENANT, "x-1");
            })
            .compose(retried -> {
              test.verify(() -> {
                assertEquals("applied", retried.status());
                assertEquals("x-1", retried.outcome().eventId());
                assertEquals(retried, acrossNodes(retried));
                // as the HTTP answer: an applied retry names no reason nor attempts
                JsonObject written = new JsonObject(Json.encode(retried));
                assertEquals(List.of("eventId", "learnerId", "status", "outcome"), List.copyOf(written.fieldNames()));
              });
              return rules.discardQuarantined(TENANT, "x-2");
            })
            .compose(discarded -> {
              test.verify(() -> {
                assertEquals(List.of("x-2", "ana", "discarded"),
                    List.of(discarded.eventId(), discarded.learnerId(), discarded.status()));
                assertEquals(discarded, acrossNodes(discarded));
              });
              return rules.discardQuarantined(TENANT, "x-2").map("answered").otherwise(e ->
                  ((Failure.EngineException) e).failure().name());
            })
            .compose(again -> {
              test.verify(() -> assertEquals("NOT_FOUND", again));
              return rules.voidEvent(TENANT, "x-1", "test void");
            }))
        .onComplete(test.succeeding(voided -> test.verify(() -> {
          assertEquals(List.of("x-1", "ana", "voided", "test void"),
              List.of(voided.eventId(), voided.learnerId(), voided.status(), voided.reason()));
          assertTrue(voided.xpChange() < 0, "the void took the event's XP away: " + voided.xpChange());
          assertEquals(voided, acrossNodes(voided));
          test.completeNow();
        })));
  }

  @Test
  void answersReadyAndErasesATenantsEventsAndLearners(Vertx vertx, VertxTestContext test) {
    Catalog catalog = new Catalog(new CopyOnWriteArrayList<>(), new AtomicInteger());
    RulesService rules = new RulesService(vertx);
    String tenant = io.learnquest.domain.Tenants.DEFAULT;
    deploy(vertx, catalog).compose(stores -> rules.ready()
            .compose(ready -> applied(vertx, stores, lesson(1)))
            .compose(v -> rules.eraseTenant(tenant))
            .compose(erased -> Future.all(stores.events().event(tenant, "r-1"), stores.learners().learner(tenant, "ana"))))
        .onComplete(test.succeeding(read -> test.verify(() -> {
          assertEquals(java.util.Optional.empty(), read.resultAt(0), "the event is gone");
          assertEquals(java.util.Optional.empty(), read.resultAt(1), "and the learner");
          test.completeNow();
        })));
  }

  /**
   * A leaderboard write that answers after the event stopped waiting for it (past
   * {@link EventApplier#PROJECTION_TIMEOUT_MS}) still lands, so it asks for no rebuild; a write that
   * fails does. (Taking the first for a failure rebuilt every board at each slow moment of Redis.)
   */
  @Test
  void onlyALeaderboardWriteThatFailedMarksTheBoardsForARebuild(Vertx vertx, VertxTestContext test) {
    Catalog catalog = new Catalog(new CopyOnWriteArrayList<>(), new AtomicInteger());
    List<String> dirty = new CopyOnWriteArrayList<>();
    List<String> written = new CopyOnWriteArrayList<>();
    LeaderboardsService.registerCodecs(vertx);
    vertx.eventBus().<LeaderboardsService.Dirty>consumer(Addresses.LEADERBOARDS_DIRTY,
        m -> dirty.add(m.body().eventId()));
    RequestBatcher.<LeaderboardsService.ScoresUpdate, Void>serve(vertx, Addresses.LEADERBOARDS_UPDATE, update -> {
      if (update.learnerId().equals("bo")) {
        return Future.failedFuture(new IllegalStateException("the projection refused the write"));
      }
      Promise<Void> slow = Promise.promise();
      vertx.setTimer(EventApplier.PROJECTION_TIMEOUT_MS + 500, t -> {
        written.add(update.learnerId());
        slow.complete();
      });
      return slow.future();
    }).compose(v -> deploy(vertx, catalog))
        .compose(stores -> applied(vertx, stores, lesson(1))
            .compose(v -> {
              Promise<Void> landed = Promise.promise();
              vertx.setTimer(EventApplier.PROJECTION_TIMEOUT_MS + 1_000, t -> landed.complete());
              return landed.future();
            })
            .compose(v -> {
              test.verify(() -> {
                assertEquals(List.of("ana"), written, "the slow write landed");
                assertEquals(List.of(), dirty, "a slow write asks for no rebuild");
              });
              return applied(vertx, stores, new LearningEvent("r-bo", "bo", "lesson_completed",
                  Instant.parse("2026-03-05T09:00:00Z"), null, null, "l-1", null, 2, false));
            })
            .compose(v -> {
              Promise<Void> told = Promise.promise();
              vertx.setTimer(500, t -> told.complete());
              return told.future();
            }))
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertEquals(List.of("r-bo"), dirty, "a failed write asks for a rebuild");
          test.completeNow();
        })));
  }

  /**
   * Two rules instances on one node: each runs a recovery pass as it starts, and afterwards only
   * the holder of the sweeper lease runs the periodic pass (each pass scans every pending event).
   */
  @Test
  void onlyTheLeaseHolderRunsThePeriodicRecoveryPass(Vertx vertx, VertxTestContext test) {
    passesByInstance(vertx, ConfigLoader.load(Path.of("conf"), Map.of("RECOVERY_INTERVAL_MS", "50")))
        .onComplete(test.succeeding(counts -> test.verify(() -> {
          assertOneHolder(counts);
          test.completeNow();
        })));
  }

  /**
   * The same on a clustered node, where the lease is the cluster manager's lock: a second instance
   * of the member holding it must not take it too.
   */
  @Test
  void onAClusteredNodeTooOnlyOneInstanceHoldsTheLease(VertxTestContext test) {
    // Nothing pending from earlier tests: a backlog at start would add the start-up progress job's
    // checks of the log to one instance's count.
    io.learnquest.support.TestStores.emptyTestDatabase();
    int port = 25_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(400) * 10;
    Map<String, String> env = io.learnquest.support.TestStores.postgresEnv();
    env.putAll(Map.of("RECOVERY_INTERVAL_MS", "50", "CLUSTER", "true",
        "CLUSTER_NAME", "lq-rules-" + java.util.UUID.randomUUID(), "CLUSTER_PORT", Integer.toString(port),
        "CLUSTER_MEMBERS", "127.0.0.1:" + port));
    var config = ConfigLoader.load(Path.of("conf"), env);
    io.learnquest.Nodes.vertx(config)
        .compose(clustered -> passesByInstance(clustered, config)
            .andThen(done -> clustered.close()))
        .onComplete(test.succeeding(counts -> test.verify(() -> {
          assertOneHolder(counts);
          test.completeNow();
        })));
  }

  private static void assertOneHolder(List<Integer> counts) {
    // twenty intervals: the holder passed once at start and then about every 50 ms
    assertEquals(2, counts.size(), "both instances passed at start: " + counts);
    assertEquals(1, counts.get(0), "the instance without the lease passed only at start: " + counts);
    assertTrue(counts.get(1) >= 5, "the lease holder passes every interval: " + counts);
  }

  /**
   * Deploys two rules instances, and answers after a second how many recovery passes each ran
   * (fewest first).
   */
  private static Future<List<Integer>> passesByInstance(Vertx vertx, io.learnquest.config.EngineConfig config) {
    Map<io.vertx.core.Context, AtomicInteger> passes = new java.util.concurrent.ConcurrentHashMap<>();
    BadgesService.registerCodecs(vertx);
    return Bus.answer(vertx, Addresses.BADGES_CATALOG,
            (BadgesService.CatalogQuery request) -> Future.succeededFuture(new BadgesService.Catalog(List.of())))
        .compose(v -> StoreFactory.create(vertx, config, CLOCK))
        .compose(stores -> {
          EventLog log = stores.events();
          EventLog counted = (EventLog) java.lang.reflect.Proxy.newProxyInstance(EventLog.class.getClassLoader(),
              new Class<?>[] {EventLog.class}, (proxy, method, args) -> {
                if (method.getName().equals("learnersWithPending")) {
                  // a timer runs on a duplicate of its verticle's context: counted by the verticle's own
                  passes.computeIfAbsent(((io.vertx.core.internal.ContextInternal) Vertx.currentContext()).unwrap(),
                      c -> new AtomicInteger()).incrementAndGet();
                }
                try {
                  return method.invoke(log, args);
                } catch (java.lang.reflect.InvocationTargetException e) {
                  throw e.getCause();
                }
              });
          EngineContext context = new EngineContext(config, new Stores(counted, stores.learners(),
              stores.leaderboards(), stores.badgeCatalog(), stores.auth(), stores.rateLimits(),
              stores.connectionLeases(), stores.closer()), CLOCK);
          return vertx.deployVerticle(() -> new RulesVerticle(context), new io.vertx.core.DeploymentOptions().setInstances(2));
        })
        .compose(id -> vertx.timer(1_000))
        .map(t -> passes.values().stream().map(AtomicInteger::get).sorted().toList());
  }
}
