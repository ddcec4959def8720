package io.learnquest.store;

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
}
