package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.config.ConfigLoader;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every verticle deployed with three instances: same exact results, badges once, boards exact. */
class MultiInstanceApiTest {
  @TempDir
  Path conf;
  TestEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void threeInstancesOfEveryVerticleApplyEachLearnersEventsExactlyAndInOrder() throws IOException {
    JsonObject config = new JsonObject(Files.readString(Path.of("conf/engine.json")));
    JsonObject instances = config.getJsonObject("instances");
    instances.fieldNames().forEach(name -> instances.put(name, 3));
    Files.writeString(conf.resolve("engine.json"), config.encodePrettily());
    Files.copy(Path.of("conf/badges.json"), conf.resolve("badges.json"));
    Map<String, String> env = new HashMap<>();
    if (TestEngine.DURABLE) {
      env.putAll(TestStores.postgresEnv());
      TestStores.emptyTestDatabase();
    }
    env.put("HTTP_PORT", "0");
    engine = TestEngine.start(ConfigLoader.load(conf, TestEngine.withTestDefaults(env)));

    // A badge defined through one badges instance is evaluated by all of them.
    JsonObject tenLessons = new JsonObject().put("name", "Ten").put("tier", "gold")
        .put("rule", new JsonObject().put("event", "lesson_completed").put("count", 10));
    assertEquals(200, engine.put("/api/v1/badges/ten_lessons", tenLessons).status());

    List<CompletableFuture<TestEngine.Response>> sent = new ArrayList<>();
    for (int learner = 0; learner < 6; learner++) {
      for (int i = 0; i < 12; i++) {
        JsonObject e = event("m-" + learner + "-" + i, "multi-" + learner, "lesson_completed")
            .put("objectId", "lesson-" + i).put("courseId", "c" + learner % 2);
        sent.add(CompletableFuture.supplyAsync(() -> engine.post("/api/v1/events?wait=true", e)));
      }
    }
    sent.forEach(f -> assertEquals(200, f.join().status(), f.join().body()));

    JsonArray board = engine.get("/api/v1/leaderboards/global").json().getJsonArray("entries");
    assertEquals(6, board.size());
    for (int learner = 0; learner < 6; learner++) {
      String id = "multi-" + learner;
      JsonObject profile = engine.profile(id);
      assertEquals(12 * 52, profile.getLong("xp"), id);
      assertEquals(12, profile.getJsonObject("counters").getLong("lessonsCompleted"), id);
      JsonArray badges = engine.get("/api/v1/learners/" + id + "/badges").json().getJsonArray("badges");
      assertEquals(List.of("first_lesson", "ten_lessons"),
          badges.stream().map(b -> ((JsonObject) b).getString("badgeId")).toList(), id);
      assertEquals(1, engine.get("/api/v1/learners/" + id + "/transitions").json().getJsonArray("transitions").size());
      JsonArray ledger = engine.get("/api/v1/learners/" + id + "/xp?limit=100").json().getJsonArray("entries");
      assertEquals(12, ledger.size());
      assertEquals(12 * 52, ledger.stream().mapToLong(x -> ((JsonObject) x).getLong("xp")).sum());
    }
    board.forEach(row -> assertEquals(12 * 52, ((JsonObject) row).getLong("xp")));
  }
}
