package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.board;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.ledgerSum;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static io.learnquest.api.ApiTestSupport.rank;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/rules.md, invariant 4, through the API: profile XP == ledger sum == all-time global score. */
class InvariantsApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  @Test
  void xpEqualsTheLedgerSumEqualsTheGlobalScoreAfterAMixOfEvents() {
    // ana (UTC): lesson, failed quiz, passed retake on day 2, a repeated lesson on day 3, a login, a late lesson
    engine.apply(lesson("a-1", "ana").put("objectId", "l-1").put("courseId", "c1")
        .put("occurredAt", "2026-11-25T10:00:00Z"));
    engine.apply(quiz("a-2", "ana", 50).put("objectId", "q-1").put("occurredAt", "2026-11-25T11:00:00Z"));
    engine.apply(quiz("a-3", "ana", 90).put("objectId", "q-1").put("courseId", "c1")
        .put("occurredAt", "2026-11-26T10:00:00Z"));
    engine.apply(lesson("a-4", "ana").put("objectId", "l-1").put("courseId", "c1")
        .put("occurredAt", "2026-11-27T10:00:00Z"));
    engine.apply(login("a-5", "ana"));
    engine.apply(lesson("a-6", "ana").put("objectId", "l-2").put("occurredAt", "2026-11-24T10:00:00Z"));
    assertEquals(200, engine.post("/api/v1/events", lesson("a-1", "ana").put("objectId", "l-1").put("courseId", "c1")
        .put("occurredAt", "2026-11-25T10:00:00Z")).status());
    assertEquals(409, engine.post("/api/v1/events", lesson("a-1", "ana").put("objectId", "l-9")).status());

    // ben (Tokyo): peer help late on the 26th, then a hard, timed course early on the 27th (local)
    engine.apply(helped("b-1", "ben").put("objectId", "p-1").put("occurredAt", "2026-11-26T23:30:00+09:00")
        .put("timezone", "Asia/Tokyo"));
    engine.apply(course("b-2", "ben", 95).put("courseId", "c1").put("difficulty", 5).put("timeBonus", true)
        .put("occurredAt", "2026-11-27T08:00:00+09:00"));

    // cho: a batch of three lessons, then a perfect quiz
    assertEquals(200, engine.post("/api/v1/events/batch", new JsonObject().put("events", array(
        lesson("c-1", "cho"), lesson("c-2", "cho"), lesson("c-3", "cho")))).status());
    engine.apply(quiz("c-4", "cho", 100).put("objectId", "q-9"));
    engine.apply(login("a-7", "ana"));

    Map<String, Long> expected = Map.of("ana", 274L, "ben", 984L, "cho", 366L);
    JsonArray global = ok(engine.get("/api/v1/leaderboards/global?size=100")).getJsonArray("entries");
    Map<String, Long> scores = new HashMap<>();
    for (int i = 0; i < global.size(); i++) {
      scores.put(global.getJsonObject(i).getString("learnerId"), global.getJsonObject(i).getLong("xp"));
    }
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      String learner = e.getKey();
      long xp = engine.profile(learner).getLong("xp");
      assertEquals(e.getValue(), xp, "profile xp of " + learner);
      assertEquals(xp, ledgerSum(engine, learner), "ledger sum of " + learner);
      assertEquals(xp, scores.get(learner), "all-time global score of " + learner);
    }
    assertJson(board("global", "all-time", 3, rank(1, "ben", 984), rank(2, "cho", 366), rank(3, "ana", 274)),
        ok(engine.get("/api/v1/leaderboards/global")));
    // course c1: ana 52 + 137 + 28, ben 827
    assertJson(board("course:c1", "all-time", 2, rank(1, "ben", 827), rank(2, "ana", 217)),
        ok(engine.get("/api/v1/leaderboards/courses/c1")));
  }
}
