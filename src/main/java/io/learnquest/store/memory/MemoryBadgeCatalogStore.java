package io.learnquest.store.memory;

import io.learnquest.store.BadgeCatalogStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The badge catalog in memory, seeded from {@code conf/badges.json}. */
public final class MemoryBadgeCatalogStore implements BadgeCatalogStore {
  private final Map<String, JsonObject> byId = new LinkedHashMap<>();
  private final Set<String> retired = new HashSet<>();

  public MemoryBadgeCatalogStore(List<JsonObject> seed) {
    seed.forEach(d -> byId.put(d.getString("badgeId"), d.copy()));
  }

  @Override
  public synchronized Future<List<JsonObject>> all() {
    return Future.succeededFuture(byId.entrySet().stream()
        .filter(e -> !retired.contains(e.getKey()))
        .map(e -> e.getValue().copy()).toList());
  }

  @Override
  public synchronized Future<Void> put(JsonObject definition) {
    String badgeId = definition.getString("badgeId");
    byId.put(badgeId, definition.copy());
    retired.remove(badgeId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> retire(String badgeId) {
    if (!byId.containsKey(badgeId)) {
      return Future.succeededFuture(false);
    }
    retired.add(badgeId);
    return Future.succeededFuture(true);
  }
}
