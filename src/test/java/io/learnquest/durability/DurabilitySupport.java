package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a node's leaderboards and checks invariant 4 through the public API. */
final class DurabilitySupport {
  private DurabilitySupport() {
  }

  /** A whole board as learnerId to XP, in rank order, read page by page. */
  static List<String> board(TestEngine engine, String path) {
    List<String> rows = new ArrayList<>();
    for (int page = 1; ; page++) {
      TestEngine.Response r = engine.get(path + (path.contains("?") ? "&" : "?") + "size=100&page=" + page);
      assertEquals(200, r.status(), r.body());
      JsonArray entries = r.json().getJsonArray("entries");
      entries.forEach(e -> {
        JsonObject entry = (JsonObject) e;
        rows.add(entry.getLong("rank") + ":" + entry.getString("learnerId") + ":" + entry.getLong("xp"));
      });
      if (entries.size() < 100) {
        return rows;
      }
    }
  }

  /** Invariant 4: profile XP == ledger sum == all-time global score, for each learner. */
  static Map<String, Long> assertXpConsistent(TestEngine engine, List<String> learners) {
    Map<String, Long> global = new HashMap<>();
    board(engine, "/api/v1/leaderboards/global").forEach(row -> {
      String[] parts = row.split(":");
      global.put(parts[1], Long.parseLong(parts[2]));
    });
    Map<String, Long> xp = new HashMap<>();
    for (String learner : learners) {
      long profileXp = engine.profile(learner).getLong("xp");
      JsonArray ledger = engine.get("/api/v1/learners/" + learner + "/xp?limit=1000").json().getJsonArray("entries");
      long sum = ledger.stream().mapToLong(e -> ((JsonObject) e).getLong("xp")).sum();
      assertEquals(profileXp, sum, "ledger sum of " + learner);
      if (profileXp > 0) {
        assertEquals(profileXp, global.get(learner), "global score of " + learner);
      }
      xp.put(learner, profileXp);
    }
    return xp;
  }
}
