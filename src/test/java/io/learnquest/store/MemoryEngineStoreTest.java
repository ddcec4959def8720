package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;

import io.learnquest.store.memory.MemoryEngineStore;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;

class MemoryEngineStoreTest extends EngineStoreContract {
  private MemoryEngineStore store;

  @BeforeEach
  void fresh() {
    store = new MemoryEngineStore(Clock.fixed(T0, java.time.ZoneOffset.UTC), notificationHistory());
  }

  @Override
  protected EventLog events() {
    return store;
  }

  @Override
  protected LearnerStore learners() {
    return store;
  }

  @Override
  protected int notificationHistory() {
    return 6;
  }

  @org.junit.jupiter.api.Test
  void pastItsBoundsTheEmbeddedStoreRefusesNewLearnersThenNewEventsAndKeepsWhatItHolds() {
    MemoryEngineStore small = new MemoryEngineStore(Clock.fixed(T0, java.time.ZoneOffset.UTC), 6, 2, 4);
    await(small.append(T, java.util.List.of(lesson("b1", "ana"), lesson("b2", "bob")), null));
    StoreException full = assertFull(small.append(T, java.util.List.of(lesson("b3", "cy")), null));
    org.junit.jupiter.api.Assertions.assertTrue(full.getMessage().contains("STORE=postgres"), full.getMessage());
    org.junit.jupiter.api.Assertions.assertTrue(full.getMessage().contains("memory.maxLearners"), full.getMessage());
    // A learner it holds may still add events, up to the bound of events; a duplicate is no new event.
    await(small.append(T, java.util.List.of(lesson("b3", "ana"), lesson("b4", "bob")), null));
    org.junit.jupiter.api.Assertions.assertFalse(await(small.append(T, java.util.List.of(lesson("b1", "ana")), null))
        .get(0).accepted());
    StoreException noRoom = assertFull(small.append(T, java.util.List.of(lesson("b5", "ana")), null));
    org.junit.jupiter.api.Assertions.assertTrue(noRoom.getMessage().contains("memory.maxEvents"), noRoom.getMessage());
    // Refused whole: nothing of a refused call was recorded.
    org.junit.jupiter.api.Assertions.assertEquals(2, await(small.pending(T, "ana", 10)).size());
    org.junit.jupiter.api.Assertions.assertTrue(await(small.event(T, "b5")).isEmpty());
  }

  private static StoreException assertFull(io.vertx.core.Future<?> append) {
    Throwable error = org.junit.jupiter.api.Assertions.assertThrows(Throwable.class, () -> await(append));
    Throwable cause = error;
    while (cause != null && !(cause instanceof StoreException)) {
      cause = cause.getCause();
    }
    org.junit.jupiter.api.Assertions.assertNotNull(cause, "expected store_full, got " + error);
    StoreException e = (StoreException) cause;
    org.junit.jupiter.api.Assertions.assertEquals(StoreException.Kind.FULL, e.kind());
    org.junit.jupiter.api.Assertions.assertEquals("store_full", e.kind().error());
    return e;
  }
}
