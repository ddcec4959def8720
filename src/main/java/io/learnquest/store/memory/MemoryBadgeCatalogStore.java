package io.learnquest.store.memory;

import io.learnquest.store.BadgeCatalogStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The badge catalogs in memory, one per tenant, each starting from {@code conf/badges.json} the
 * first time the tenant's catalog is used.
 */
public final class MemoryBadgeCatalogStore implements BadgeCatalogStore {
  private final List<JsonObject> seed;
  private final Map<String, Catalog> tenants = new HashMap<>();

  private static final class Catalog {
    final Map<String, JsonObject> byId = new LinkedHashMap<>();
    final Set<String> retired = new HashSet<>();
  }

  public MemoryBadgeCatalogStore(List<JsonObject> seed) {
    this.seed = seed.stream().map(JsonObject::copy).toList();
  }

  private Catalog catalog(String tenant) {
    return tenants.computeIfAbsent(tenant, t -> {
      Catalog catalog = new Catalog();
      seed.forEach(d -> catalog.byId.put(d.getString("badgeId"), d.copy()));
      return catalog;
    });
  }

  @Override
  public synchronized Future<List<JsonObject>> all(String tenant) {
    Catalog catalog = catalog(tenant);
    return Future.succeededFuture(catalog.byId.entrySet().stream()
        .filter(e -> !catalog.retired.contains(e.getKey()))
        .map(e -> e.getValue().copy()).toList());
  }

  @Override
  public synchronized Future<Void> put(String tenant, JsonObject definition) {
    Catalog catalog = catalog(tenant);
    String badgeId = definition.getString("badgeId");
    catalog.byId.put(badgeId, definition.copy());
    catalog.retired.remove(badgeId);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Boolean> retire(String tenant, String badgeId) {
    Catalog catalog = catalog(tenant);
    if (!catalog.byId.containsKey(badgeId)) {
      return Future.succeededFuture(false);
    }
    catalog.retired.add(badgeId);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> eraseTenant(String tenant) {
    tenants.remove(tenant);
    return Future.succeededFuture();
  }
}
