package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.OUTCOME_KEYS;
import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.assertJsonContent;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.bus.Addresses;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.Stores;
import io.learnquest.support.TestEngine;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/api.md: POST /api/v1/events, with and without ?wait=true, and duplicates. */
class EventsApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private static JsonObject status(String eventId, String status) {
    return new JsonObject().put("eventId", eventId).put("status", status);
  }

  @Test
  void anAcceptedEventAnswers202AndIsApplied() {
    TestEngine.Response r = engine.post("/api/v1/events", lesson("a-1", "ana").put("objectId", "l-1"));
    assertEquals(202, r.status(), r.body());
    assertJsonContent(r);
    assertJson(status("a-1", "accepted"), r.json());
    TestEngine.eventually(Duration.ofSeconds(10), () -> engine.get("/api/v1/learners/ana").status() == 200);
    assertEquals(52, engine.profile("ana").getLong("xp"));
  }

  @Test
  void aDuplicateWithoutWaitAnswers200DuplicateAndChangesNothing() {
    assertEquals(202, engine.post("/api/v1/events", lesson("d-1", "ben").put("objectId", "l-1")).status());
    TestEngine.Response again = engine.post("/api/v1/events", lesson("d-1", "ben").put("objectId", "l-1"));
    assertEquals(200, again.status(), again.body());
    assertJsonContent(again);
    assertJson(status("d-1", "duplicate"), again.json());

    // an event applied after both shows only the first was applied
    JsonObject marker = engine.apply(login("d-2", "ben"));
    assertEquals(52, marker.getLong("totalXp"));
    assertEquals(52, engine.profile("ben").getLong("xp"));
    assertEquals(1, ok(engine.get("/api/v1/learners/ben/xp")).getJsonArray("entries").size());
    assertJson(status("d-1", "duplicate"), engine.post("/api/v1/events", lesson("d-1", "ben").put("objectId", "l-1")).json());
  }

  @Test
  void theSameEventIdWithOtherContentIs409ConflictAndChangesNothing() {
    assertEquals(202, engine.post("/api/v1/events", lesson("c-1", "ben").put("objectId", "l-1")).status());
    engine.apply(login("c-0", "ben"));
    JsonObject before = engine.profile("ben");
    // another type, another object, another learner: each is a different event, not a retry
    for (JsonObject other : List.of(quiz("c-1", "ben", 100).put("objectId", "q-1"),
        lesson("c-1", "ben").put("objectId", "l-2"), lesson("c-1", "ana").put("objectId", "l-1"),
        lesson("c-1", "ben").put("objectId", "l-1").put("occurredAt", "2026-11-27T11:00:00Z"))) {
      assertError(engine.post("/api/v1/events", other), 409, "conflict", "eventId");
      assertError(engine.post("/api/v1/events?wait=true", other), 409, "conflict", "eventId");
    }
    assertEquals(before, engine.profile("ben"));
    assertEquals(404, engine.get("/api/v1/learners/ana").status(), "ana's event was not swallowed as ben's either");
    // A retry that leaves occurredAt out (it defaults to receipt) is still the same event.
    assertJson(status("c-1", "duplicate"), engine.post("/api/v1/events", lesson("c-1", "ben").put("objectId", "l-1")).json());
  }

  @Test
  void aDuplicateWithWaitAnswersTheFirstOutcomeMarkedDuplicate() {
    JsonObject first = engine.apply(lesson("w-1", "cat").put("objectId", "l-1"));
    assertEquals("processed", first.getString("status"));

    TestEngine.Response again = engine.post("/api/v1/events?wait=true", lesson("w-1", "cat").put("objectId", "l-1"));
    assertEquals(200, again.status(), again.body());
    JsonObject expected = first.copy().put("status", "duplicate");
    assertJson(expected, again.json());

    JsonObject profile = engine.profile("cat");
    assertEquals(52, profile.getLong("xp"));
    assertEquals(1, profile.getJsonArray("badges").size());
    assertEquals(1, ok(engine.get("/api/v1/learners/cat/xp")).getJsonArray("entries").size());
  }

  @Test
  void aDuplicateWithWaitRightAfterTheFirstWaitsForItsOutcome() {
    assertEquals(202, engine.post("/api/v1/events", lesson("p-1", "dee").put("objectId", "l-1")).status());
    TestEngine.Response dup = engine.post("/api/v1/events?wait=true", lesson("p-1", "dee").put("objectId", "l-1"));
    assertEquals(200, dup.status(), dup.body());
    assertJson(ApiTestSupport.outcome("p-1", "dee",
        ApiTestSupport.grants(ApiTestSupport.grant("lesson", 50, 105, 52)), 52, 1, false,
        ApiTestSupport.array("first_lesson"),
        ApiTestSupport.array(ApiTestSupport.step("ONBOARDING", "ACTIVE", "lesson_completed")),
        ApiTestSupport.streak(1, 1, 2, true, false), false).put("status", "duplicate"), dup.json());
  }

  @Test
  void theWaitOutcomeHasExactlyTheContractShape() {
    engine.apply(lesson("s-1", "eve").put("occurredAt", "2026-11-26T10:00:00Z"));
    JsonObject o = engine.apply(quiz("s-2", "eve", 100).put("objectId", "q-1").put("courseId", "algebra"));
    assertEquals(OUTCOME_KEYS, o.fieldNames());
    assertEquals("s-2", o.getString("eventId"));
    assertEquals("processed", o.getString("status"));
    assertEquals("eve", o.getString("learnerId"));
    JsonArray grants = o.getJsonArray("xpGranted");
    assertEquals(2, grants.size());
    for (int i = 0; i < grants.size(); i++) {
      assertEquals(Set.of("activity", "baseXp", "multiplierPct", "xp"), grants.getJsonObject(i).fieldNames());
    }
    assertEquals(Set.of("current", "longest", "freezesLeft", "extended", "broken"),
        o.getJsonObject("streak").fieldNames());
    assertJson(ApiTestSupport.array("perfect_quiz"), o.getJsonArray("badgesAwarded"));
    assertJson(ApiTestSupport.array(), o.getJsonArray("transitions"));
    // 52 + 220 + 27
    assertEquals(299, o.getLong("totalXp"));
    assertEquals(2, o.getInteger("level"));
    assertEquals(true, o.getBoolean("levelUp"));

    JsonObject noTransition = engine.apply(lesson("s-3", "eve"));
    assertJson(ApiTestSupport.array(), noTransition.getJsonArray("transitions"));
    JsonObject fresh = engine.apply(lesson("s-4", "fin"));
    JsonObject step = fresh.getJsonArray("transitions").getJsonObject(0);
    assertEquals(Set.of("from", "to", "event"), step.fieldNames());
  }

  @Test
  void eventsPostedWithoutWaitAreAppliedInAcceptanceOrder() {
    for (int day = 21; day <= 27; day++) {
      TestEngine.Response r = engine.post("/api/v1/events", lesson("o-" + day, "ord").put("objectId", "l-" + day)
          .put("occurredAt", "2026-11-" + day + "T10:00:00Z"));
      assertEquals(202, r.status(), r.body());
    }
    JsonObject marker = engine.apply(login("o-end", "ord"));
    // in order: a 7-day streak; out of order, earlier days would be late events and not extend it
    assertEquals(7, marker.getJsonObject("streak").getInteger("current"));
    // 52 + (55+27) + (57+28) + (60+30) + (62+31) + (65+32) + (67+33)
    assertEquals(599, marker.getLong("totalXp"));
    assertEquals(2, engine.get("/api/v1/learners/ord/badges").json().getJsonArray("badges").size());
  }

  /**
   * The nudge to the rules is held on the bus until the waiting request has had its answer (and the
   * periodic recovery pass, which would nudge too, is far off), so the event cannot be applied
   * within the wait whatever the machine's speed (a backlog of events to outrun made this depend on
   * timing), and is then applied once the nudge is let through.
   */
  @Test
  void waitGivesUpAfterItsTimeoutWith202AndTheEventIsStillApplied() {
    engine.close();
    try (TestEngine slow = TestEngine.start(java.util.Map.of("WAIT_TIMEOUT_MS", "100",
        "RECOVERY_INTERVAL_MS", "600000"))) {
      List<DeliveryContext<?>> held = new ArrayList<>();
      AtomicBoolean holding = new AtomicBoolean(true);
      slow.vertx.eventBus().addOutboundInterceptor(delivery -> {
        synchronized (held) {
          if (holding.get() && Addresses.RULES_LEARNER_PENDING.equals(delivery.message().address())) {
            held.add(delivery);
            return;
          }
        }
        delivery.next();
      });
      TestEngine.Response r = slow.post("/api/v1/events?wait=true", lesson("late-1", "slo").put("objectId", "l-1"));
      assertEquals(202, r.status(), r.body());
      assertJson(status("late-1", "accepted"), r.json());
      // the hold is what kept the event from being applied: its nudge waits there
      TestEngine.eventually(Duration.ofSeconds(10), () -> {
        synchronized (held) {
          return !held.isEmpty();
        }
      });
      List<DeliveryContext<?>> released;
      synchronized (held) {
        holding.set(false);
        released = List.copyOf(held);
      }
      released.forEach(DeliveryContext::next);
      TestEngine.eventually(Duration.ofSeconds(60), () -> slow.get("/api/v1/learners/slo").status() == 200
          && slow.profile("slo").getLong("xp") == 52);
      TestEngine.Response dup = slow.post("/api/v1/events?wait=true", lesson("late-1", "slo").put("objectId", "l-1"));
      assertEquals(200, dup.status(), dup.body());
      assertEquals("duplicate", dup.json().getString("status"));
      assertEquals(52, dup.json().getLong("totalXp"));
    }
  }

  /**
   * A node counts as started once its first recovery pass has read the backlog from the log, so an
   * event accepted after the start is applied by its own nudge, never by a pass that began before
   * it (that race made the wait test above flaky on a slow database). The log here runs that first
   * read a second late: the start waits for it, and what it found cannot include the event sent
   * after the start.
   */
  @Test
  void theFirstRecoveryPassHasReadTheLogBeforeTheNodeCountsAsStarted() {
    engine.close();
    AtomicBoolean firstPass = new AtomicBoolean(true);
    List<List<LearnerRef>> passes = new CopyOnWriteArrayList<>();
    try (TestEngine late = TestEngine.start(Map.of("RECOVERY_INTERVAL_MS", "600000"),
        stores -> withLateFirstRecoveryRead(stores, firstPass, passes))) {
      assertEquals(1, passes.size(), "started before its first recovery pass had read the log");
      assertEquals(202, late.post("/api/v1/events", lesson("after-start", "aft").put("objectId", "l-1")).status());
      TestEngine.eventually(Duration.ofSeconds(10), () -> late.get("/api/v1/learners/aft").status() == 200
          && late.profile("aft").getLong("xp") == 52);
      assertEquals(List.of(), passes.get(0));
    }
  }

  /** The stores, with an event log that starts its first recovery read a second after being asked. */
  private static Stores withLateFirstRecoveryRead(Stores stores,
      AtomicBoolean firstPass, List<List<LearnerRef>> passes) {
    EventLog real = stores.events();
    EventLog late = (EventLog) Proxy.newProxyInstance(
        EventLog.class.getClassLoader(), new Class<?>[] {EventLog.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("learnersWithPending") || !firstPass.getAndSet(false)) {
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
          Vertx vertx = Vertx.currentContext().owner();
          Promise<Object> answer = Promise.promise();
          vertx.setTimer(1_000, t -> real.learnersWithPending((Instant) args[0], (Integer) args[1])
              .onSuccess(passes::add)
              .onComplete(ar -> {
                if (ar.succeeded()) {
                  answer.complete(ar.result());
                } else {
                  answer.fail(ar.cause());
                }
              }));
          return answer.future();
        });
    return new Stores(late, stores.learners(), stores.leaderboards(), stores.badgeCatalog(), stores.auth(),
        stores.rateLimits(), stores.connectionLeases(), stores.closer());
  }

  /**
   * On one node with rules instances every outcome is pushed to the waiting request, so a request
   * still waiting past the push grace (500 ms) does not ask the log: here the event's nudge is held
   * for a second and the request gets its outcome by the push alone.
   */
  @Test
  void onOneNodeAWaitingRequestGetsItsOutcomeByPushWithoutAskingTheLog() {
    engine.close();
    try (TestEngine one = TestEngine.start(Map.of("WAIT_TIMEOUT_MS", "5000", "RECOVERY_INTERVAL_MS", "600000"))) {
      java.util.concurrent.atomic.AtomicInteger asks = new java.util.concurrent.atomic.AtomicInteger();
      List<DeliveryContext<?>> held = new ArrayList<>();
      AtomicBoolean holding = new AtomicBoolean(true);
      one.vertx.eventBus().addOutboundInterceptor(delivery -> {
        String address = delivery.message().address();
        if (Addresses.INGESTION_OUTCOME.equals(address)) {
          asks.incrementAndGet();
        }
        synchronized (held) {
          if (holding.get() && Addresses.RULES_LEARNER_PENDING.equals(address)) {
            held.add(delivery);
            one.vertx.setTimer(1_000, t -> {
              synchronized (held) {
                holding.set(false);
              }
              held.forEach(DeliveryContext::next);
            });
            return;
          }
        }
        delivery.next();
      });
      long start = System.nanoTime();
      TestEngine.Response r = one.post("/api/v1/events?wait=true", lesson("pushed-1", "pus").put("objectId", "l-1"));
      assertEquals(200, r.status(), r.body());
      assertEquals("processed", r.json().getString("status"));
      assertTrue(System.nanoTime() - start >= 1_000_000_000L, "the outcome came while its nudge was held");
      assertEquals(0, asks.get(), "asks of the log");
    }
  }

  /**
   * A request waiting on an engine that applies nothing (no rules on this node) asks the log with
   * growing pauses: 25 ms at first, at most 250 ms later. At a fixed 25 ms it asked about 100 times
   * in these 3 seconds; with the back-off, about 15.
   */
  @Test
  void aWaitingRequestPollsTheLogWithGrowingPauses() {
    engine.close();
    try (TestEngine idle = TestEngine.start(java.util.Map.of("WAIT_TIMEOUT_MS", "3000", "RULES_INSTANCES", "0"))) {
      java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
      idle.vertx.eventBus().addOutboundInterceptor(delivery -> {
        if (Addresses.INGESTION_OUTCOME.equals(delivery.message().address())) {
          polls.incrementAndGet();
        }
        delivery.next();
      });
      TestEngine.Response r = idle.post("/api/v1/events?wait=true", lesson("unapplied-1", "idl").put("objectId", "l-1"));
      assertEquals(202, r.status(), r.body());
      assertTrue(polls.get() >= 5 && polls.get() <= 25, "polls: " + polls.get());
    }
  }
}
