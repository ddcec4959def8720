package io.learnquest.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Badge definitions as written (JSON), validated before they are put here. */
public interface BadgeCatalogStore {
  Future<List<JsonObject>> all();

  /** Adds or replaces the definition with this badgeId. */
  Future<Void> put(JsonObject definition);
}
