package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.array;
import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.grant;
import static io.learnquest.api.ApiTestSupport.grants;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.quiz;
import static io.learnquest.api.ApiTestSupport.streak;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/rules.md, "XP and levels" and "Streaks": what is configurable (base XP, pass mark, level curve, freezes, custom
 * event types with their own base XP) changes the arithmetic as configured, through real HTTP.
 */
class ConfigurationApiTest {
  @TempDir
  Path tempDir;
  TestEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  private void startWithEnv(Map<String, String> env) {
    engine = TestEngine.start(env);
  }

  /** Starts on a copy of conf/ whose engine.json is changed by {@code change}. */
  private void startWithEngineJson(Consumer<JsonObject> change) {
    try {
      JsonObject engineJson = new JsonObject(Files.readString(Path.of("conf", "engine.json")));
      change.accept(engineJson);
      Files.writeString(tempDir.resolve("engine.json"), engineJson.encodePrettily());
      Files.copy(Path.of("conf", "badges.json"), tempDir.resolve("badges.json"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    engine = TestEngine.start(ConfigLoader.load(tempDir, TestEngine.withTestDefaults(Map.of("HTTP_PORT", "0"))));
  }

  @Test
  void theQuizPassMarkIsConfigurable() {
    startWithEnv(Map.of("XP_PASS_MARK", "70"));
    JsonObject failed = engine.apply(quiz("pm-1", "ana", 69).put("objectId", "q-1"));
    assertJson(array(), failed.getJsonArray("xpGranted"));
    JsonObject passed = engine.apply(quiz("pm-2", "ana", 70).put("objectId", "q-1"));
    assertJson(grants(grant("quiz_pass", 100, 105, 105)), passed.getJsonArray("xpGranted"));
    assertEquals(1, engine.profile("ana").getJsonObject("counters").getLong("quizzesPassed"));
  }

  @Test
  void theNumberOfFreezesIsConfigurable() {
    startWithEnv(Map.of("STREAK_MAX_FREEZES", "0"));
    engine.apply(lesson("f-1", "ben").put("occurredAt", "2026-11-24T10:00:00Z"));
    JsonObject two = engine.apply(lesson("f-2", "ben").put("occurredAt", "2026-11-25T10:00:00Z"));
    assertJson(streak(2, 2, 0, true, false), two.getJsonObject("streak"));
    // one missed day, no freeze: broken
    JsonObject broken = engine.apply(lesson("f-3", "ben").put("occurredAt", "2026-11-27T10:00:00Z"));
    assertJson(streak(1, 2, 0, false, true), broken.getJsonObject("streak"));
  }

  @Test
  void baseXpAndTheLevelCurveAreConfigurable() {
    startWithEngineJson(conf -> {
      conf.getJsonObject("xp").getJsonObject("baseXp").put("lesson", 80).put("streak", 40);
      conf.put("levels", new JsonObject().put("baseXp", 50).put("factor", 3).put("maxLevel", 100));
    });
    // 80 * 105 / 100 = 84: level 2 starts at 50 * 3 = 150
    JsonObject o1 = engine.apply(lesson("c-1", "cal").put("occurredAt", "2026-11-26T10:00:00Z"));
    assertJson(grants(grant("lesson", 80, 105, 84)), o1.getJsonArray("xpGranted"));
    assertEquals(1, o1.getInteger("level"));
    assertEquals(150, engine.profile("cal").getLong("nextLevelXp"));
    // day 2: 88 + floor(40 * 1.10) = 44 -> 216, level 2 (150 <= 216 < 450)
    JsonObject o2 = engine.apply(lesson("c-2", "cal"));
    assertJson(grants(grant("lesson", 80, 110, 88), grant("streak", 40, 110, 44)), o2.getJsonArray("xpGranted"));
    assertEquals(216, o2.getLong("totalXp"));
    assertEquals(2, o2.getInteger("level"));
    assertTrue(o2.getBoolean("levelUp"));
    assertEquals(450, engine.profile("cal").getLong("nextLevelXp"));
  }

  @Test
  void nextLevelXpIsNullAtTheTopLevel() {
    startWithEngineJson(conf -> conf.put("levels", new JsonObject().put("baseXp", 100).put("factor", 2)
        .put("maxLevel", 3)));
    // 525 XP would be level 3 anyway; 1050 would be 4 but the top is 3
    engine.apply(course("t-1", "dee", 50).put("objectId", "c-1"));
    JsonObject o = engine.apply(course("t-2", "dee", 50).put("objectId", "c-2"));
    assertEquals(1050, o.getLong("totalXp"));
    assertEquals(3, o.getInteger("level"));
    JsonObject profile = engine.profile("dee");
    assertEquals(3, profile.getInteger("level"));
    assertTrue(profile.containsKey("nextLevelXp"));
    assertNull(profile.getValue("nextLevelXp"));
  }

  @Test
  void aCustomEventTypeCarriesItsOwnBaseXp() {
    startWithEngineJson(conf -> conf.getJsonObject("eventTypes").put("custom", array(
        new JsonObject().put("name", "video_watched").put("baseXp", 30).put("study", true),
        new JsonObject().put("name", "exam_taken").put("baseXp", 300).put("study", true)
            .put("scoreRequired", true))));
    JsonObject v1 = engine.apply(TestEngine.event("v-1", "eli", "video_watched").put("objectId", "vid-1")
        .put("difficulty", 4).put("occurredAt", "2026-11-26T10:00:00Z"));
    // 30 * (100 + 5 + 20) / 100 = 37.5 -> 37
    assertJson(grants(grant("video_watched", 30, 125, 37)), v1.getJsonArray("xpGranted"));
    // study: extends the streak on the next day; a repeat of the same video earns only the streak bonus
    JsonObject v2 = engine.apply(TestEngine.event("v-2", "eli", "video_watched").put("objectId", "vid-1"));
    assertJson(grants(grant("streak", 25, 110, 27)), v2.getJsonArray("xpGranted"));
    assertTrue(v2.getBoolean("repeat"));
    assertEquals(2, v2.getJsonObject("streak").getInteger("current"));
    // 300 * 110 / 100 = 330
    JsonObject exam = engine.apply(TestEngine.event("x-1", "eli", "exam_taken").put("score", 75));
    assertJson(grants(grant("exam_taken", 300, 110, 330)), exam.getJsonArray("xpGranted"));
    assertEquals(37 + 27 + 330, exam.getLong("totalXp"));
    assertError(engine.post("/api/v1/events", TestEngine.event("x-2", "eli", "exam_taken")), 400, "missing_field",
        "score");

    JsonObject body = new JsonObject().put("name", "Binge").put("tier", "bronze").put("rule",
        new JsonObject().put("event", "video_watched").put("count", 2));
    assertEquals(200, engine.put("/api/v1/badges/binge", body).status());
    assertJson(array("binge"), engine.apply(TestEngine.event("v-3", "eli", "video_watched").put("objectId", "vid-2"))
        .getJsonArray("badgesAwarded"));
  }
}
