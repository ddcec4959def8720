package io.learnquest;

import io.learnquest.config.EngineConfig;
import io.learnquest.store.Stores;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * What every verticle of a node shares: configuration, the storage adapters and the clock (a
 * test passes its own clock here; no rule reads a global one).
 */
public record EngineContext(EngineConfig config, Stores stores, Clock clock, Map<String, Object> shared) {
  public EngineContext(EngineConfig config, Stores stores, Clock clock) {
    this(config, stores, clock, new ConcurrentHashMap<>());
  }

  /** One object per node and key, shared by every verticle instance of the node. */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Supplier<T> create) {
    return (T) shared.computeIfAbsent(key, k -> create.get());
  }

  /**
   * Whether this node holds the inactivity sweeper's lease: set by the rules verticle that holds
   * it, read by {@code /health}.
   */
  public AtomicBoolean inactivitySweeperHeld() {
    return shared("rules.inactivity.sweeper.held", AtomicBoolean::new);
  }
}
