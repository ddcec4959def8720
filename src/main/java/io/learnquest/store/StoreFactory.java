package io.learnquest.store;

import io.learnquest.config.EngineConfig;
import io.learnquest.store.memory.MemoryBadgeCatalogStore;
import io.learnquest.store.memory.MemoryEngineStore;
import io.learnquest.store.memory.MemoryLeaderboardStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;

/** Builds the adapters that {@code store} in the configuration names. */
public final class StoreFactory {
  private StoreFactory() {
  }

  public static Future<Stores> create(Vertx vertx, EngineConfig config, Clock clock) {
    return switch (config.store()) {
      case "memory" -> {
        MemoryEngineStore engine = new MemoryEngineStore(clock, config.notificationHistory());
        yield Future.succeededFuture(new Stores(engine, engine, new MemoryLeaderboardStore(),
            new MemoryBadgeCatalogStore(config.badgeCatalog())));
      }
      default -> Future.failedFuture(new IllegalArgumentException("unknown store " + config.store()));
    };
  }
}
