package io.learnquest.store;

import io.learnquest.store.memory.MemoryBadgeCatalogStore;
import org.junit.jupiter.api.BeforeEach;

class MemoryBadgeCatalogStoreTest extends BadgeCatalogStoreContract {
  private MemoryBadgeCatalogStore store;

  @BeforeEach
  void fresh() {
    store = new MemoryBadgeCatalogStore(SEED);
  }

  @Override
  protected BadgeCatalogStore catalog() {
    return store;
  }

  @Override
  protected BadgeCatalogStore restarted() {
    return new MemoryBadgeCatalogStore(SEED);
  }

  @Override
  protected boolean durable() {
    return false;
  }
}
