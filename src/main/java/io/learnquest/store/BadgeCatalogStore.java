package io.learnquest.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Badge definitions as written (JSON), validated before they are put here. Each tenant has a catalog
 * of its own, which starts as a copy of the default catalog ({@code conf/badges.json}) the first
 * time the tenant's catalog is read or changed.
 */
public interface BadgeCatalogStore {
  /** The tenant's definitions in force (not retired), in the order they were first defined. */
  Future<List<JsonObject>> all(String tenant);

  /** Adds or replaces the definition with this badgeId; a retired badge put again is in force again. */
  Future<Void> put(String tenant, JsonObject definition);

  /**
   * Retires the badge: it leaves {@link #all} and is no longer awarded; awards already made are
   * the learners' and stay. True when a definition with this badgeId exists (retired already or
   * not), false when there is none.
   */
  Future<Boolean> retire(String tenant, String badgeId);

  /** Drops the tenant's catalog; should the tenant come back, it starts from the default catalog again. */
  Future<Void> eraseTenant(String tenant);
}
