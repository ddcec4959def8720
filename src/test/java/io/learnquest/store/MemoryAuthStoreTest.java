package io.learnquest.store;

import io.learnquest.store.memory.MemoryAuthStore;
import org.junit.jupiter.api.BeforeEach;

class MemoryAuthStoreTest extends AuthStoreContract {
  private MemoryAuthStore store;

  @BeforeEach
  void fresh() {
    store = new MemoryAuthStore();
  }

  @Override
  protected AuthStore store() {
    return store;
  }
}
