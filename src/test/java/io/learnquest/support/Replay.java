package io.learnquest.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdicts of the durability and cluster tests: a node's learners and leaderboards against
 * the embedded default replaying the same accepted events one by one, and invariant 4 through the
 * public API.
 */
public final class Replay {
  private Replay() {
  }

  /** Accepted events not yet applied, in the test database. */
  public static long pendingCount() {
    return TestStores.query("SELECT count(*) FROM pending_events").get(0).getLong(0);
  }

  /** The accepted events as recorded in the test database, in acceptance order, voided ones left out. */
  public static List<JsonObject> acceptedInOrder() {
    List<JsonObject> list = new ArrayList<>();
    TestStores.query("SELECT payload FROM events e WHERE NOT EXISTS (SELECT 1 FROM voided_events v WHERE v.seq = e.seq)"
            + " ORDER BY seq")
        .forEach(row -> list.add(new JsonObject(row.getValue(0).toString())));
    return list;
  }

  /**
   * Applies {@code accepted} one by one to a fresh embedded-default engine and asserts that every
   * learner (profile, ledger, transitions) and the global and course leaderboards of {@code node}
   * are the same, and that invariant 4 holds on {@code node}.
   */
  public static void assertNodeEqualsReplay(TestEngine node, List<JsonObject> accepted, Map<String, String> env,
                                            List<String> courses) {
    try (TestEngine reference = TestEngine.startMemoryAt(Instant.now(), env)) {
      for (JsonObject e : accepted) {
        reference.apply(e);
      }
      List<String> learners = accepted.stream().map(e -> e.getString("learnerId")).distinct().toList();
      for (String learner : learners) {
        assertEquals(comparable(reference.profile(learner)), comparable(node.profile(learner)), learner);
        assertEquals(ledgerSignature(reference, learner), ledgerSignature(node, learner), learner);
        assertEquals(reference.get("/api/v1/learners/" + learner + "/transitions").json(),
            node.get("/api/v1/learners/" + learner + "/transitions").json(), learner);
      }
      assertXpConsistent(node, learners);
      assertEquals(board(reference, "/api/v1/leaderboards/global"), board(node, "/api/v1/leaderboards/global"));
      for (String course : courses) {
        String path = "/api/v1/leaderboards/courses/" + course;
        assertEquals(board(reference, path), board(node, path), path);
      }
    }
  }

  /** The profile without its read-side streak fields, which depend on each node's "today". */
  public static JsonObject comparable(JsonObject profile) {
    JsonObject copy = profile.copy();
    copy.getJsonObject("streak").remove("current");
    copy.getJsonObject("streak").remove("atRisk");
    return copy;
  }

  public static List<String> ledgerSignature(TestEngine engine, String learner) {
    JsonArray entries = engine.get("/api/v1/learners/" + learner + "/xp?limit=1000").json().getJsonArray("entries");
    return entries.stream().map(o -> {
      JsonObject e = (JsonObject) o;
      return e.getString("eventId") + "/" + e.getString("activity") + "/" + e.getLong("xp") + "/" + e.getString("reason");
    }).toList();
  }

  /** A whole board as rank:learnerId:xp rows, read page by page. */
  public static List<String> board(TestEngine engine, String path) {
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
  public static Map<String, Long> assertXpConsistent(TestEngine engine, List<String> learners) {
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
