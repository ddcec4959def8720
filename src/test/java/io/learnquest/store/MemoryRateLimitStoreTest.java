package io.learnquest.store;

import io.learnquest.store.memory.MemoryRateLimitStore;

/** The rate-limit contract against the embedded default. */
class MemoryRateLimitStoreTest extends RateLimitStoreContract {
  private final MemoryRateLimitStore store = new MemoryRateLimitStore();

  @Override
  protected RateLimitStore store() {
    return store;
  }
}
