package io.learnquest.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Badge definitions as written (JSON), validated before they are put here. */
public interface BadgeCatalogStore {
  /** The definitions in force (not retired), in the order they were first defined. */
  Future<List<JsonObject>> all();

  /** Adds or replaces the definition with this badgeId; a retired badge put again is in force again. */
  Future<Void> put(JsonObject definition);

  /**
   * Retires the badge: it leaves {@link #all()} and is no longer awarded; awards already made are
   * the learners' and stay. True when a definition with this badgeId exists (retired already or
   * not), false when there is none.
   */
  Future<Boolean> retire(String badgeId);
}
