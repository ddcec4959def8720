package io.learnquest.api;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.FailingLearnerStore;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whether an event's object earned activity XP before is the one fact of a learner's history their
 * next event needs. A node reads all of a learner's earned objects with the learner, then keeps
 * marks of them beside the cached learner: a first completion needs no read of the store, a repeat
 * is confirmed by the store, and the XP is what it always was.
 */
class EarnedObjectsReadApiTest {
  private final AtomicReference<FailingLearnerStore> store = new AtomicReference<>();
  private final TestEngine engine = FailingLearnerStore.engine(Map.of(), store);

  @AfterEach
  void close() {
    engine.close();
  }

  private static JsonObject lesson(String eventId, String learnerId, String objectId) {
    return event(eventId, learnerId, "lesson_completed").put("objectId", objectId);
  }

  @Test
  void aCachedLearnersFirstCompletionsReadNothingAndARepeatIsConfirmed() {
    assertEquals(52, engine.apply(lesson("er-1", "eli", "l1")).getLong("totalXp"));
    assertEquals(1, store.get().earnedListReads.get(), "the learner's earned objects read with the learner");
    assertEquals(0, store.get().earnedLookups.get(), "a learner with no row has earned nothing");

    assertEquals(104, engine.apply(lesson("er-2", "eli", "l2")).getLong("totalXp"));
    assertEquals(156, engine.apply(lesson("er-3", "eli", "l3")).getLong("totalXp"));
    assertEquals(0, store.get().earnedLookups.get(), "objects without a mark were not earned: no read");

    JsonObject repeat = engine.apply(lesson("er-4", "eli", "l1"));
    assertEquals(156, repeat.getLong("totalXp"), "a repeat earns no activity XP: " + repeat);
    assertEquals(1, store.get().earnedLookups.get(), "a marked object is asked of the store");
    assertEquals(1, store.get().earnedListReads.get(), "the learner stayed cached");
    Replay.assertXpConsistent(engine, List.of("eli"));
  }

  @Test
  void aChainUsesTheMarksAsOneEventDoes() {
    engine.apply(lesson("ec-0", "fay", "l0"));
    JsonArray batch = new JsonArray()
        .add(lesson("ec-1", "fay", "l1"))
        .add(lesson("ec-2", "fay", "l0"))
        .add(lesson("ec-3", "fay", "l1"));
    assertEquals(200, engine.post("/api/v1/events/batch", new JsonObject().put("events", batch)).status());

    // One learner's events apply in order: once this one is, the batch's are too.
    assertEquals(156, engine.apply(lesson("ec-4", "fay", "l2")).getLong("totalXp"), "l0, l1 and l2 earn once each");
    assertEquals(1, store.get().earnedListReads.get(), "the learner stayed cached");
    Replay.assertXpConsistent(engine, List.of("fay"));
  }
}
