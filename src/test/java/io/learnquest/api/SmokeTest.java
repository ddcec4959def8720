package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SmokeTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  @Test
  void firstLessonEarns52XpAndTheFirstLessonBadge() {
    JsonObject outcome = engine.apply(event("e-1", "ana", "lesson_completed").put("objectId", "lesson-1"));
    assertEquals(52, outcome.getLong("totalXp"));
    assertEquals("first_lesson", outcome.getJsonArray("badgesAwarded").getString(0));
    assertEquals(52, engine.profile("ana").getLong("xp"));
  }
}
