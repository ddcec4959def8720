package io.learnquest.store.memory;

import io.learnquest.store.BadgeCatalogStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The badge catalog in memory, seeded from {@code conf/badges.json}. */
public final class MemoryBadgeCatalogStore implements BadgeCatalogStore {
  private final Map<String, JsonObject> byId = new LinkedHashMap<>();

  public MemoryBadgeCatalogStore(List<JsonObject> seed) {
    seed.forEach(d -> byId.put(d.getString("badgeId"), d.copy()));
  }

  @Override
  public synchronized Future<List<JsonObject>> all() {
    return Future.succeededFuture(byId.values().stream().map(JsonObject::copy).toList());
  }

  @Override
  public synchronized Future<Void> put(JsonObject definition) {
    byId.put(definition.getString("badgeId"), definition.copy());
    return Future.succeededFuture();
  }
}
