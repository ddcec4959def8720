package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.quiz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.kafka.EventRecords;
import io.learnquest.push.SseClient;
import io.learnquest.push.WsClient;
import io.learnquest.store.LeaderboardStore;
import io.learnquest.store.Stores;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two tenants with the same learnerIds, eventIds, courses and badge ids (with different rules):
 * nothing of one is visible to, or changed by, the other, through any route, push connection,
 * Kafka record, leaderboard rebuild or the erasure of the other. Tenant A is {@code default} (the
 * test admin key), tenant B ({@code school-b}) is created by the operator.
 */
class TenantIsolationTest {
  static final String OPERATOR_KEY = "lq_test-operator-key-of-the-isolation-test-0123456789";
  static final String A_KEY = TestEngine.ADMIN_KEY;
  static final String B = "school-b";
  static final Duration PATIENCE = Duration.ofSeconds(15);

  /** A twin badge: same id in both tenants, awarded at once in A and never in B. */
  static JsonObject twin(String name, long xp) {
    return new JsonObject().put("name", name).put("description", "The same id in two tenants.").put("tier", "gold")
        .put("rule", new JsonObject().put("metric", "xp").put("gte", xp));
  }

  static TestEngine.Response as(TestEngine engine, String key, HttpMethod method, String uri, Object body) {
    return engine.requestAs(key, method, uri, body);
  }

  static JsonObject ok(TestEngine.Response r, int status) {
    assertEquals(status, r.status(), r::body);
    return r.json();
  }

  static String createTenantB(TestEngine engine) {
    return ok(as(engine, OPERATOR_KEY, HttpMethod.POST, "/api/v1/tenants",
        new JsonObject().put("tenantId", B).put("name", "School B")), 201).getString("key");
  }

  static JsonObject applied(TestEngine engine, String key, JsonObject event) {
    return ok(as(engine, key, HttpMethod.POST, "/api/v1/events?wait=true", event), 200);
  }

  static List<String> ids(JsonArray rows, String field) {
    return rows.stream().map(r -> ((JsonObject) r).getString(field)).toList();
  }

  static Map<String, Long> board(TestEngine engine, String key, String uri) {
    Map<String, Long> xp = new HashMap<>();
    ok(as(engine, key, HttpMethod.GET, uri, null), 200).getJsonArray("entries")
        .forEach(e -> xp.put(((JsonObject) e).getString("learnerId"), ((JsonObject) e).getLong("xp")));
    return xp;
  }

  @Test
  void theSameIdsInTwoTenantsAreTwoLearnersThroughEveryRoute() {
    try (TestEngine engine = TestEngine.start(Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY))) {
      String bKey = createTenantB(engine);

      // the same badge id, with rules far apart
      ok(as(engine, A_KEY, HttpMethod.PUT, "/api/v1/badges/twin", twin("Twin of A", 1)), 200);
      ok(as(engine, bKey, HttpMethod.PUT, "/api/v1/badges/twin", twin("Twin of B", 1_000_000)), 200);
      assertEquals("Twin of A", catalogName(engine, A_KEY, "twin"));
      assertEquals("Twin of B", catalogName(engine, bKey, "twin"));

      // the same eventId for the same learnerId and course: applied in each tenant, no duplicate
      JsonObject a1 = applied(engine, A_KEY, lesson("e-1", "ana").put("courseId", "c1").put("objectId", "l-1"));
      JsonObject b1 = applied(engine, bKey, lesson("e-1", "ana").put("courseId", "c1").put("objectId", "l-1"));
      assertEquals("processed", a1.getString("status"));
      assertEquals("processed", b1.getString("status"), "B's e-1 is B's own event, not a duplicate of A's");
      assertTrue(a1.getJsonArray("badgesAwarded").contains("twin"));
      assertFalse(b1.getJsonArray("badgesAwarded").contains("twin"), "B's twin has B's rule");

      // A: a perfect quiz as e-2, a learner B does not have, and a self-help flag; B: e-2 is a lesson
      JsonObject a2 = applied(engine, A_KEY, quiz("e-2", "ana", 100).put("courseId", "c1").put("objectId", "q-1"));
      applied(engine, A_KEY, lesson("e-3", "solo").put("courseId", "c1").put("objectId", "l-1"));
      applied(engine, A_KEY, TestEngine.event("e-4", "ana", "peer_helped").put("objectId", "ana"));
      JsonObject batch = ok(as(engine, bKey, HttpMethod.POST, "/api/v1/events/batch", new JsonObject().put("events",
          new JsonArray().add(lesson("e-2", "ana").put("objectId", "l-2")).add(lesson("e-9", "bo")
              .put("courseId", "c1").put("objectId", "l-1")))), 200);
      assertEquals(List.of("accepted", "accepted"), ids(batch.getJsonArray("results"), "status"));
      TestEngine.eventually(PATIENCE, () -> as(engine, bKey, HttpMethod.GET, "/api/v1/learners/bo", null).status() == 200
          && ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana/xp", null), 200).getJsonArray("entries")
          .size() >= 2);

      // profiles: each tenant's own ana
      JsonObject anaA = ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana", null), 200);
      JsonObject anaB = ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana", null), 200);
      assertEquals(a2.getLong("totalXp"), anaA.getLong("xp"));
      assertNotEquals(anaA.getLong("xp"), anaB.getLong("xp"));
      assertEquals(List.of("twin"), ids(anaA.getJsonArray("badges"), "badgeId").stream().filter("twin"::equals)
          .toList());
      assertFalse(ids(anaB.getJsonArray("badges"), "badgeId").contains("twin"));

      // ledgers: the same eventIds, each tenant's own lines
      JsonArray ledgerA = ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana/xp", null), 200)
          .getJsonArray("entries");
      JsonArray ledgerB = ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana/xp", null), 200)
          .getJsonArray("entries");
      assertTrue(ids(ledgerA, "activity").contains("quiz_perfect"), ledgerA::encode);
      assertFalse(ids(ledgerB, "activity").contains("quiz_perfect"), ledgerB::encode);
      assertEquals(Set.of("e-1", "e-2"), Set.copyOf(ids(ledgerB, "eventId")));

      // badges, transitions and flags of each tenant's ana
      assertTrue(ids(ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana/badges", null), 200)
          .getJsonArray("badges"), "badgeId").contains("twin"));
      assertFalse(ids(ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana/badges", null), 200)
          .getJsonArray("badges"), "badgeId").contains("twin"));
      assertEquals("e-1", ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana/transitions", null), 200)
          .getJsonArray("transitions").getJsonObject(0).getString("eventId"));
      assertEquals(List.of("self_help"), ids(ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana/flags", null),
          200).getJsonArray("flags"), "rule"));
      assertEquals(List.of(), ids(ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana/flags", null), 200)
          .getJsonArray("flags"), "rule"));
      assertEquals(1, ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/flags", null), 200).getJsonArray("flags").size());
      assertEquals(0, ok(as(engine, bKey, HttpMethod.GET, "/api/v1/flags", null), 200).getJsonArray("flags").size());

      // a learner of A is absent in B, on every route
      for (String uri : List.of("/api/v1/learners/solo", "/api/v1/learners/solo/xp", "/api/v1/learners/solo/badges",
          "/api/v1/learners/solo/transitions", "/api/v1/learners/solo/flags",
          "/api/v1/leaderboards/global/around/solo", "/api/v1/leaderboards/courses/c1/around/solo")) {
        assertEquals(404, as(engine, bKey, HttpMethod.GET, uri, null).status(), uri);
        assertEquals(200, as(engine, A_KEY, HttpMethod.GET, uri, null).status(), uri);
      }

      // boards: global, course, weekly and around are each tenant's own
      for (String uri : List.of("/api/v1/leaderboards/global", "/api/v1/leaderboards/courses/c1",
          "/api/v1/leaderboards/global?period=weekly")) {
        Map<String, Long> boardA = board(engine, A_KEY, uri);
        Map<String, Long> boardB = board(engine, bKey, uri);
        assertTrue(boardA.containsKey("solo") && !boardA.containsKey("bo"), uri + " " + boardA);
        assertTrue(boardB.containsKey("bo") && !boardB.containsKey("solo"), uri + " " + boardB);
      }
      assertEquals(anaA.getLong("xp"), board(engine, A_KEY, "/api/v1/leaderboards/global").get("ana"));
      assertEquals(anaB.getLong("xp"), board(engine, bKey, "/api/v1/leaderboards/global").get("ana"));
      assertEquals(anaB.getLong("xp"), board(engine, bKey, "/api/v1/leaderboards/global/around/ana").get("ana"));

      // the quarantine and its admin routes: nothing of A reaches B
      assertEquals(0, ok(as(engine, bKey, HttpMethod.GET, "/api/v1/admin/quarantine", null), 200).getLong("count"));
      assertEquals(404, as(engine, bKey, HttpMethod.POST, "/api/v1/admin/quarantine/e-1/retry", new JsonObject())
          .status());
      assertEquals(404, as(engine, bKey, HttpMethod.POST, "/api/v1/admin/quarantine/e-1/discard", new JsonObject())
          .status());

      // B retires its twin; A's stays in force and is still awarded
      assertEquals(204, as(engine, bKey, HttpMethod.DELETE, "/api/v1/badges/twin", null).status());
      assertEquals("Twin of A", catalogName(engine, A_KEY, "twin"));
      assertEquals(null, catalogName(engine, bKey, "twin"));
      assertTrue(applied(engine, A_KEY, lesson("e-5", "newbie").put("objectId", "l-1"))
          .getJsonArray("badgesAwarded").contains("twin"));
    }
  }

  /**
   * A rebuild of A's boards leaves B's as they are, even a score B's durable totals lack (put into
   * B's projection directly); B's own rebuild then drops it.
   */
  /** The inactivity sweep an admin asks for moves the learners of the admin's own tenant only. */
  @Test
  void anAdminsSweepTouchesOnlyItsOwnTenant() {
    try (TestEngine engine = TestEngine.start(Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY))) {
      String bKey = createTenantB(engine);
      applied(engine, A_KEY, lesson("e-1", "ana"));
      applied(engine, bKey, lesson("e-1", "ana"));
      engine.clock.set(TestEngine.START.plus(java.time.Duration.ofDays(8)));

      assertEquals(1, sweepAs(engine, bKey), "B's ana is due");
      assertEquals("ACTIVE", ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana", null), 200)
          .getString("state"), "B's sweep leaves A's ana as she was");
      assertEquals("AT_RISK", ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana", null), 200)
          .getString("state"));
      assertEquals(1, sweepAs(engine, A_KEY), "A's ana is still due, for A's own sweep");
      assertEquals("AT_RISK", ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana", null), 200)
          .getString("state"));
    }
  }

  /** Sweeps as the key's tenant until one is not blocked by the periodic one; its transition count. */
  static int sweepAs(TestEngine engine, String key) {
    int[] transitions = {-1};
    TestEngine.eventually(PATIENCE, () -> {
      JsonObject body = ok(as(engine, key, HttpMethod.POST, "/api/v1/admin/inactivity/sweep", new JsonObject()), 200);
      transitions[0] = body.getInteger("transitions");
      return body.getBoolean("swept");
    });
    return transitions[0];
  }

  @Test
  void aRebuildOfOneTenantLeavesTheOthersBoardsAlone() {
    try (TestEngine engine = TestEngine.start(Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY))) {
      String bKey = createTenantB(engine);
      applied(engine, A_KEY, lesson("e-1", "ana").put("objectId", "l-1"));
      applied(engine, bKey, lesson("e-1", "ana").put("objectId", "l-1"));
      applied(engine, bKey, lesson("e-2", "bo").put("objectId", "l-1"));
      LeaderboardStore boards = engine.engine.context().stores().leaderboards();
      String global = Board.global(Board.ALL_TIME).key();
      TestEngine.await(boards.setScores(B, "ghost", Map.of(global, 9_999L)));
      Map<String, Long> before = board(engine, bKey, "/api/v1/leaderboards/global");
      assertEquals(9_999L, before.get("ghost"));
      Map<String, Long> aBefore = board(engine, A_KEY, "/api/v1/leaderboards/global");

      ok(as(engine, A_KEY, HttpMethod.POST, "/api/v1/admin/leaderboards/rebuild", new JsonObject()), 200);
      assertEquals(before, board(engine, bKey, "/api/v1/leaderboards/global"), "B's boards are untouched");
      assertEquals(aBefore, board(engine, A_KEY, "/api/v1/leaderboards/global"));
      assertEquals(List.of(new Standing("ghost", 9_999L)),
          TestEngine.await(boards.range(B, global, 0, 1)).standings());

      ok(as(engine, bKey, HttpMethod.POST, "/api/v1/admin/leaderboards/rebuild", new JsonObject()), 200);
      Map<String, Long> after = board(engine, bKey, "/api/v1/leaderboards/global");
      assertFalse(after.containsKey("ghost"), "B's rebuild restores B's durable totals");
      assertEquals(Set.of("ana", "bo"), after.keySet());
      assertEquals(aBefore, board(engine, A_KEY, "/api/v1/leaderboards/global"));
    }
  }

  /** A learner's live connections (WebSocket and SSE) receive their own tenant's frames only. */
  @Test
  void pushReachesTheConnectionsOfTheLearnersOwnTenantOnly() {
    try (TestEngine engine = TestEngine.start(Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY))) {
      String bKey = createTenantB(engine);
      try (WsClient wsA = WsClient.connect(engine, "/ws?learnerId=ana", Map.of("authorization", "Bearer " + A_KEY));
           WsClient wsB = WsClient.connect(engine, "/ws?learnerId=ana", Map.of("authorization", "Bearer " + bKey));
           SseClient sseA = SseClient.open(engine, "/api/v1/learners/ana/notifications", null, "Bearer " + A_KEY);
           SseClient sseB = SseClient.open(engine, "/api/v1/learners/ana/notifications", null, "Bearer " + bKey)) {
        assertEquals(200, sseA.status());
        assertEquals(200, sseB.status());
        // B's event first: its frames are published before A's, so any that leaked would be first in A's
        applied(engine, bKey, lesson("b-1", "ana").put("objectId", "l-1"));
        List<JsonObject> framesB = wsB.awaitFrames(1);
        assertEquals(Set.of("b-1"), eventIds(framesB));
        applied(engine, A_KEY, lesson("a-1", "ana").put("objectId", "l-1"));
        List<JsonObject> framesA = wsA.awaitFrames(1);
        List<JsonObject> sseFramesA = sseA.awaitFrames(framesA.size());
        TestEngine.eventually(PATIENCE, () -> sseB.frames().size() >= framesB.size());
        assertEquals(Set.of("a-1"), eventIds(wsA.frames()), "A's ana got no frame of B's ana");
        assertEquals(Set.of("a-1"), eventIds(sseFramesA));
        assertEquals(Set.of("b-1"), eventIds(wsB.frames()), "B's ana got no frame of A's ana");
        assertEquals(Set.of("b-1"), eventIds(sseB.frames()));
      }
    }
  }

  static Set<String> eventIds(List<JsonObject> frames) {
    return frames.stream().map(f -> f.getString("eventId")).collect(Collectors.toSet());
  }

  /**
   * Erasing tenant B ({@code DELETE /api/v1/tenants/school-b}) leaves nothing of B in any store, and
   * A whole; B created again starts empty, from the default badge catalog.
   */
  @Test
  void erasingATenantRemovesAllOfItsDataAndNothingElse() {
    try (TestEngine engine = TestEngine.start(Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY))) {
      String bKey = createTenantB(engine);
      ok(as(engine, bKey, HttpMethod.PUT, "/api/v1/badges/twin", twin("Twin of B", 1)), 200);
      applied(engine, A_KEY, lesson("e-1", "ana").put("objectId", "l-1"));
      applied(engine, bKey, lesson("e-1", "ana").put("objectId", "l-1"));
      applied(engine, bKey, TestEngine.event("e-2", "ana", "peer_helped").put("objectId", "ana"));
      JsonObject anaA = ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana", null), 200);
      Map<String, Long> boardA = board(engine, A_KEY, "/api/v1/leaderboards/global");

      assertEquals(204, as(engine, OPERATOR_KEY, HttpMethod.DELETE, "/api/v1/tenants/" + B, null).status());
      assertEquals(401, as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana", null).status(), "its keys are gone");
      Stores stores = engine.engine.context().stores();
      assertTrue(TestEngine.await(stores.events().event(B, "e-1")).isEmpty());
      assertTrue(TestEngine.await(stores.learners().learner(B, "ana")).isEmpty());
      assertEquals(List.of(), TestEngine.await(stores.learners().ledger(B, "ana", 10)));
      assertEquals(List.of(), TestEngine.await(stores.learners().flags(B, "ana", 10)));
      assertEquals(List.of(), TestEngine.await(stores.learners().notificationsAfter(B, "ana", 0, 10)));
      assertEquals(0L, TestEngine.await(stores.learners().boardLearnerCount(B)));
      assertTrue(TestEngine.await(stores.leaderboards().isEmpty(B)));
      assertFalse(TestEngine.await(stores.learners().tenantsWithBoards()).contains(B));
      assertEquals(404, as(engine, OPERATOR_KEY, HttpMethod.DELETE, "/api/v1/tenants/" + B, null).status());

      assertEquals(anaA, ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana", null), 200), "A is whole");
      assertEquals(boardA, board(engine, A_KEY, "/api/v1/leaderboards/global"));
      assertTrue(TestEngine.await(stores.events().event("default", "e-1")).orElseThrow().applied());

      String again = createTenantB(engine);
      assertEquals(404, as(engine, again, HttpMethod.GET, "/api/v1/learners/ana", null).status());
      assertEquals(null, catalogName(engine, again, "twin"), "the catalog starts from the default one again");
      assertEquals("processed", applied(engine, again, lesson("e-1", "ana").put("objectId", "l-1"))
          .getString("status"), "B's eventIds are free again");
    }
  }

  /**
   * KAFKA mode: the engine's records carry the tenant (key {@code tenant/learnerId}, header
   * {@code tenant}), and the intake applies an external producer's record to the tenant it names.
   */
  @Test
  void kafkaRecordsCarryTheirTenantAndTheIntakeKeepsTenantsApart() {
    Assumptions.assumeTrue(TestEngine.DURABLE, "Kafka mode runs on the durable stores");
    TestKafka kafka = TestKafka.fresh();
    TestStores.emptyTestDatabase();
    Map<String, String> env = new HashMap<>(kafka.env(2));
    env.put("LQ_OPERATOR_KEY", OPERATOR_KEY);
    env.put("LOG_LEVEL", "WARN");
    try (TestEngine engine = TestEngine.startDurable(env)) {
      String bKey = createTenantB(engine);
      JsonObject a1 = applied(engine, A_KEY, lesson("k-1", "ana").put("objectId", "l-1"));
      JsonObject b1 = applied(engine, bKey, quiz("k-1", "ana", 100).put("objectId", "q-1"));
      assertNotEquals(a1.getLong("totalXp"), b1.getLong("totalXp"));

      List<ConsumerRecord<String, String>> records = kafka.read(kafka.events, r -> r.key().endsWith("/ana"), 2,
          PATIENCE);
      assertEquals(Set.of("default/ana", B + "/ana"), records.stream().map(ConsumerRecord::key)
          .collect(Collectors.toSet()));
      records.forEach(r -> assertEquals(r.key().substring(0, r.key().indexOf('/')),
          new String(r.headers().lastHeader(EventRecords.TENANT_HEADER).value())));

      // an external producer's record for B: applied to B's carl only
      kafka.produce(kafka.events, B + "/carl", lesson("k-2", "carl").put("objectId", "l-1").encode(),
          Map.of(EventRecords.TENANT_HEADER, B));
      TestEngine.eventually(PATIENCE, () -> as(engine, bKey, HttpMethod.GET, "/api/v1/learners/carl", null)
          .status() == 200);
      assertEquals(404, as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/carl", null).status());
      // a record whose key names another tenant than its header is dead-lettered, applied nowhere
      kafka.produce(kafka.events, "default/dora", lesson("k-3", "dora").put("objectId", "l-1").encode(),
          Map.of(EventRecords.TENANT_HEADER, B));
      List<ConsumerRecord<String, String>> dead = kafka.read(kafka.deadLetters, r -> "default/dora".equals(r.key()), 1,
          PATIENCE);
      assertEquals(1, dead.size());
      assertEquals(404, as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/dora", null).status());
      assertEquals(404, as(engine, bKey, HttpMethod.GET, "/api/v1/learners/dora", null).status());
      assertEquals(b1.getLong("totalXp"), ok(as(engine, bKey, HttpMethod.GET, "/api/v1/learners/ana", null), 200)
          .getLong("xp"));
      assertEquals(a1.getLong("totalXp"), ok(as(engine, A_KEY, HttpMethod.GET, "/api/v1/learners/ana", null), 200)
          .getLong("xp"));
    }
  }

  static String catalogName(TestEngine engine, String key, String badgeId) {
    return ok(as(engine, key, HttpMethod.GET, "/api/v1/badges", null), 200).getJsonArray("badges").stream()
        .map(b -> (JsonObject) b).filter(b -> badgeId.equals(b.getString("badgeId")))
        .map(b -> b.getString("name")).findFirst().orElse(null);
  }
}
