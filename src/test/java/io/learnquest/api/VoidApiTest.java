package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.push.WsClient;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/events/{eventId}/void}: the learner becomes the replay of their other events
 * (compared with an engine that never got the event), the ledger compensates, revoked badges are
 * pushed, boards follow; twice is a no-op, the eventId stays burnt. Runs on the embedded default
 * and, with {@code -Dtest.store=postgres}, on the durable stores.
 */
class VoidApiTest {
  private final TestEngine engine = TestEngine.start();

  @AfterEach
  void close() {
    engine.close();
  }

  private static JsonObject reason(String why) {
    return new JsonObject().put("reason", why);
  }

  private static JsonObject in(JsonObject event, String courseId) {
    return event.put("courseId", courseId);
  }

  /** ana: two lessons and a perfect quiz (the only way she got perfect_quiz); bob: a lesson. */
  private static List<JsonObject> history() {
    return List.of(
        in(lesson("v-1", "ana"), "java-101").put("objectId", "l-1"),
        in(quiz("v-2", "ana", 100), "java-101").put("objectId", "q-1"),
        in(lesson("v-3", "ana"), "java-102").put("objectId", "l-2"),
        in(lesson("v-4", "bob"), "java-101").put("objectId", "l-1"));
  }

  private static final List<String> BOARDS = List.of("/api/v1/leaderboards/global",
      "/api/v1/leaderboards/global?period=weekly", "/api/v1/leaderboards/courses/java-101",
      "/api/v1/leaderboards/courses/java-102");

  @Test
  void theLearnerBecomesTheReplayOfTheirOtherEventsAndTheBadgeOnlyTheEventEarnedIsRevokedLive() {
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana");
         TestEngine reference = TestEngine.startMemoryAt(TestEngine.START, Map.of())) {
      for (JsonObject e : history()) {
        engine.apply(e);
        if (!e.getString("eventId").equals("v-2")) {
          reference.apply(e);
        }
      }
      long quizXp = engine.get("/api/v1/learners/ana/xp?limit=100").json().getJsonArray("entries").stream()
          .map(JsonObject.class::cast).filter(l -> l.getString("eventId").equals("v-2"))
          .mapToLong(l -> l.getLong("xp")).sum();
      assertTrue(quizXp > 0);
      int framesBefore = ws.awaitFrames(1).size();

      JsonObject answer = ok(engine.post("/api/v1/events/v-2/void", reason("score entered by mistake")));
      assertEquals("v-2", answer.getString("eventId"));
      assertEquals("ana", answer.getString("learnerId"));
      assertEquals("voided", answer.getString("status"));
      assertEquals("score entered by mistake", answer.getString("reason"));
      assertEquals(new JsonArray().add("perfect_quiz"), answer.getJsonArray("badgesRevoked"));
      long xpChange = answer.getLong("xpChange");
      assertTrue(xpChange <= -quizXp, "at least the quiz's own XP goes: " + answer);

      for (String learner : List.of("ana", "bob")) {
        assertEquals(Replay.comparable(reference.profile(learner)), Replay.comparable(engine.profile(learner)),
            learner);
      }
      for (String board : BOARDS) {
        assertEquals(Replay.board(reference, board), Replay.board(engine, board), board);
      }
      Map<String, Long> xp = Replay.assertXpConsistent(engine, List.of("ana", "bob"));
      assertEquals(reference.profile("ana").getLong("xp"), xp.get("ana"), "ledger sum == XP == global score");
      JsonArray ledger = ok(engine.get("/api/v1/learners/ana/xp?limit=100")).getJsonArray("entries");
      assertTrue(ledger.stream().map(JsonObject.class::cast).anyMatch(l -> l.getString("eventId").equals("v-2")
          && l.getString("reason").equals("void") && l.getLong("xp") == -quizXp), ledger::encodePrettily);
      assertEquals(List.of("first_lesson"), ok(engine.get("/api/v1/learners/ana/badges")).getJsonArray("badges")
          .stream().map(b -> ((JsonObject) b).getString("badgeId")).toList());

      JsonObject revoked = ws.awaitFrames(framesBefore + 1).stream()
          .filter(f -> f.getString("type").equals("badge_revoked")).findFirst()
          .orElseThrow(() -> new AssertionError("no badge_revoked frame in " + ws.frames()));
      assertEquals("ana", revoked.getString("learnerId"));
      assertEquals("v-2", revoked.getString("eventId"));
      assertEquals("perfect_quiz", revoked.getJsonObject("data").getString("badgeId"));
      assertEquals("gold", revoked.getJsonObject("data").getString("tier"));
    }
  }

  @Test
  void voidingTwiceAnswersTheSameAndChangesNothingAndTheEventIdStaysBurnt() {
    history().forEach(engine::apply);
    JsonObject first = ok(engine.post("/api/v1/events/v-2/void", reason("duplicate submission")));
    JsonObject profile = engine.profile("ana");
    List<String> ledger = Replay.ledgerSignature(engine, "ana");
    List<String> board = Replay.board(engine, "/api/v1/leaderboards/global");

    assertEquals(first, ok(engine.post("/api/v1/events/v-2/void", reason("duplicate submission"))));
    assertEquals(first, ok(engine.post("/api/v1/events/v-2/void", reason("another reason"))),
        "the first void's answer, whatever the reason given again");
    TestEngine.Response resent = engine.post("/api/v1/events?wait=true",
        in(quiz("v-2", "ana", 100), "java-101").put("objectId", "q-1"));
    assertEquals(200, resent.status(), resent.body());
    assertEquals("duplicate", resent.json().getString("status"));
    engine.apply(in(lesson("v-5", "ana"), "java-101").put("objectId", "l-3"));
    assertEquals(profile.getJsonObject("counters").getInteger("lessonsCompleted") + 1,
        engine.profile("ana").getJsonObject("counters").getInteger("lessonsCompleted"),
        "a later event applies on the voided learner");
    List<String> now = Replay.ledgerSignature(engine, "ana");
    assertEquals(ledger, now.subList(now.size() - ledger.size(), now.size()),
        "the older lines as they were (newest first), the voided quiz not applied again");
    assertTrue(now.subList(0, now.size() - ledger.size()).stream().allMatch(l -> l.startsWith("v-5/")), now::toString);
    assertEquals(profile.getJsonArray("badges"), engine.profile("ana").getJsonArray("badges"));
    Replay.assertXpConsistent(engine, List.of("ana", "bob"));
    assertEquals(board.size(), Replay.board(engine, "/api/v1/leaderboards/global").size());
  }

  @Test
  void anEventStillWaitingIsAppliedFirstThenVoided() {
    try (TestEngine reference = TestEngine.startMemoryAt(TestEngine.START, Map.of())) {
      engine.apply(in(lesson("w-1", "cy"), "java-101").put("objectId", "l-1"));
      reference.apply(in(lesson("w-1", "cy"), "java-101").put("objectId", "l-1"));
      TestEngine.Response accepted = engine.post("/api/v1/events",
          in(quiz("w-2", "cy", 100), "java-101").put("objectId", "q-1"));
      assertEquals(202, accepted.status(), accepted.body());
      JsonObject answer = ok(engine.post("/api/v1/events/w-2/void", reason("test")));
      assertEquals(new JsonArray().add("perfect_quiz"), answer.getJsonArray("badgesRevoked"));
      assertEquals(Replay.comparable(reference.profile("cy")), Replay.comparable(engine.profile("cy")));
      Replay.assertXpConsistent(engine, List.of("cy"));
    }
  }

  @Test
  void anUnknownEventIs404AndBadRequestsAre400ChangingNothing() {
    engine.apply(lesson("u-1", "ana"));
    assertError(engine.post("/api/v1/events/nope/void", reason("x")), 404, "not_found", "eventId");
    assertError(engine.post("/api/v1/events/u-1/void", new JsonObject()), 400, "missing_field", "reason");
    assertError(engine.post("/api/v1/events/u-1/void", new JsonObject().put("reason", 7)), 400, "invalid_type",
        "reason");
    assertError(engine.post("/api/v1/events/u-1/void", new JsonObject().put("reason", " ")), 400, "invalid_value",
        "reason");
    assertEquals(400, engine.post("/api/v1/events/u-1/void", "[1]").status());
    assertEquals(52, engine.profile("ana").getLong("xp"), "nothing voided");
  }

  @Test
  void onlyAnAdminVoids() {
    engine.apply(lesson("s-1", "ana"));
    JsonObject key = engine.post("/api/v1/keys", new JsonObject().put("name", "writer")
        .put("scopes", new JsonArray().add("events:write").add("learners:read").add("leaderboards:read"))).json();
    TestEngine.Response refused = engine.requestAs(key.getString("key"), HttpMethod.POST, "/api/v1/events/s-1/void",
        reason("x"));
    assertError(refused, 403, "forbidden", null);
    assertEquals(401, engine.requestAs("lq_no-such-key-0123456789abcdef0123456789", HttpMethod.POST,
        "/api/v1/events/s-1/void", reason("x")).status());
    assertEquals(52, engine.profile("ana").getLong("xp"), "nothing voided");
  }
}
