package io.learnquest.store.memory;

import io.learnquest.store.AuthStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Tenants and keys in memory (the embedded default): gone with the process. */
public final class MemoryAuthStore implements AuthStore {
  private final Map<String, Tenant> tenants = new TreeMap<>();
  private final Map<String, ApiKey> keysById = new HashMap<>();
  private final Map<String, ApiKey> keysByHash = new HashMap<>();

  @Override
  public synchronized Future<Boolean> createTenant(String tenantId, String name, Instant at) {
    if (tenants.containsKey(tenantId)) {
      return Future.succeededFuture(false);
    }
    tenants.put(tenantId, new Tenant(tenantId, name, at, null, List.of()));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Optional<Tenant>> tenant(String tenantId) {
    return Future.succeededFuture(Optional.ofNullable(tenants.get(tenantId)).map(MemoryAuthStore::copy));
  }

  @Override
  public synchronized Future<List<Tenant>> tenants() {
    return Future.succeededFuture(tenants.values().stream().map(MemoryAuthStore::copy).toList());
  }

  @Override
  public synchronized Future<Boolean> setLearnerTokens(String tenantId, JsonObject config) {
    Tenant t = tenants.get(tenantId);
    if (t == null) {
      return Future.succeededFuture(false);
    }
    tenants.put(tenantId, new Tenant(t.tenantId(), t.name(), t.createdAt(), config.copy(), t.origins()));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> setOrigins(String tenantId, List<String> origins) {
    Tenant t = tenants.get(tenantId);
    if (t == null) {
      return Future.succeededFuture(false);
    }
    tenants.put(tenantId, new Tenant(t.tenantId(), t.name(), t.createdAt(), t.learnerTokens(), List.copyOf(origins)));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> deleteTenant(String tenantId) {
    if (tenants.remove(tenantId) == null) {
      return Future.succeededFuture(false);
    }
    keysById.values().removeIf(k -> tenantId.equals(k.tenantId()));
    keysByHash.values().removeIf(k -> tenantId.equals(k.tenantId()));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Void> putKey(ApiKey key) {
    if (key.tenantId() != null && !tenants.containsKey(key.tenantId())) {
      return Future.failedFuture(new IllegalStateException("no tenant " + key.tenantId()));
    }
    ApiKey previous = keysById.put(key.keyId(), key);
    if (previous != null) {
      keysByHash.remove(previous.hash());
    }
    keysByHash.put(key.hash(), key);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Optional<ApiKey>> keyByHash(String hash) {
    return Future.succeededFuture(Optional.ofNullable(keysByHash.get(hash)));
  }

  @Override
  public synchronized Future<List<ApiKey>> keys(String tenantId) {
    List<ApiKey> list = new ArrayList<>(keysById.values().stream().filter(k -> tenantId.equals(k.tenantId())).toList());
    list.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::keyId));
    return Future.succeededFuture(list);
  }

  @Override
  public synchronized Future<Boolean> revokeKey(String tenantId, String keyId, Instant at) {
    ApiKey k = keysById.get(keyId);
    if (k == null || !tenantId.equals(k.tenantId())) {
      return Future.succeededFuture(false);
    }
    if (k.revokedAt() != null) {
      return Future.succeededFuture(true);
    }
    ApiKey revoked = new ApiKey(k.keyId(), k.tenantId(), k.name(), k.scopes(), k.hash(), k.createdAt(), at);
    keysById.put(keyId, revoked);
    keysByHash.put(k.hash(), revoked);
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<Boolean> anyKey() {
    return Future.succeededFuture(!keysById.isEmpty());
  }

  @Override
  public synchronized Future<Boolean> originAllowedAnywhere(String origin) {
    return Future.succeededFuture(tenants.values().stream().anyMatch(t -> t.origins().contains(origin)));
  }

  private static Tenant copy(Tenant t) {
    return new Tenant(t.tenantId(), t.name(), t.createdAt(), t.learnerTokens() == null ? null : t.learnerTokens().copy(),
        t.origins());
  }
}
