package io.learnquest.store;

import io.learnquest.store.memory.MemoryLeaderboardStore;
import org.junit.jupiter.api.BeforeEach;

class MemoryLeaderboardStoreTest extends LeaderboardStoreContract {
  private MemoryLeaderboardStore store;

  @BeforeEach
  void fresh() {
    store = new MemoryLeaderboardStore();
  }

  @Override
  protected LeaderboardStore store() {
    return store;
  }
}
