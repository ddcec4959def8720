package io.learnquest.store;

import io.learnquest.store.memory.MemoryConnectionLeases;

/** The connection-lease contract against the embedded default. */
class MemoryConnectionLeasesTest extends ConnectionLeasesContract {
  private final MemoryConnectionLeases store = new MemoryConnectionLeases();

  @Override
  protected ConnectionLeases store() {
    return store;
  }
}
