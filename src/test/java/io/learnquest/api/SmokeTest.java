package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmokeTest {
  TestEngine engine;

  @BeforeEach
  void start() {
    engine = TestEngine.start();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void firstLessonEarns52XpAndTheFirstLessonBadge() {
    JsonObject outcome = engine.apply(event("e-1", "ana", "lesson_completed").put("objectId", "lesson-1"));
    assertEquals(52, outcome.getLong("totalXp"));
    assertEquals("first_lesson", outcome.getJsonArray("badgesAwarded").getString(0));
    assertEquals(52, engine.profile("ana").getLong("xp"));
  }
}
