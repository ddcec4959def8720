package io.learnquest.store.postgres;

import io.learnquest.store.AuthStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Tenants and keys in PostgreSQL (tables {@code tenants} and {@code api_keys}). */
public final class PgAuthStore implements AuthStore {
  static final String CREATE_TENANT = """
      INSERT INTO tenants (tenant_id, name, created_at) VALUES ($1, $2, $3)
      ON CONFLICT (tenant_id) DO NOTHING""";
  static final String TENANT = "SELECT * FROM tenants WHERE tenant_id = $1";
  static final String TENANTS = "SELECT * FROM tenants ORDER BY tenant_id";
  static final String SET_LEARNER_TOKENS = "UPDATE tenants SET learner_tokens = $2::jsonb WHERE tenant_id = $1";
  static final String SET_ORIGINS = "UPDATE tenants SET origins = $2::jsonb WHERE tenant_id = $1";
  /** Its keys go with it (ON DELETE CASCADE). */
  static final String DELETE_TENANT = "DELETE FROM tenants WHERE tenant_id = $1";
  static final String PUT_KEY = """
      INSERT INTO api_keys (key_id, tenant_id, name, scopes, key_hash, created_at, revoked_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (key_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, name = EXCLUDED.name,
        scopes = EXCLUDED.scopes, key_hash = EXCLUDED.key_hash, created_at = EXCLUDED.created_at,
        revoked_at = EXCLUDED.revoked_at""";
  static final String KEY_BY_HASH = "SELECT * FROM api_keys WHERE key_hash = $1";
  static final String KEYS = "SELECT * FROM api_keys WHERE tenant_id = $1 ORDER BY created_at, key_id";
  static final String REVOKE_KEY = """
      UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) WHERE tenant_id = $1 AND key_id = $2""";
  static final String ANY_KEY = "SELECT EXISTS (SELECT 1 FROM api_keys)";
  static final String ORIGIN_ANYWHERE = "SELECT EXISTS (SELECT 1 FROM tenants WHERE origins @> jsonb_build_array($1::text))";

  private final Pool pool;

  public PgAuthStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Boolean> createTenant(String tenantId, String name, Instant at) {
    return PgEngineStore.guard(pool.preparedQuery(CREATE_TENANT).execute(Tuple.of(tenantId, name, time(at)))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Optional<Tenant>> tenant(String tenantId) {
    return PgEngineStore.guard(pool.preparedQuery(TENANT).execute(Tuple.of(tenantId)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(tenant(it.next())) : Optional.empty();
    }));
  }

  @Override
  public Future<List<Tenant>> tenants() {
    return PgEngineStore.guard(pool.query(TENANTS).execute().map(rows -> {
      List<Tenant> list = new ArrayList<>();
      rows.forEach(r -> list.add(tenant(r)));
      return list;
    }));
  }

  @Override
  public Future<Boolean> setLearnerTokens(String tenantId, JsonObject config) {
    return PgEngineStore.guard(pool.preparedQuery(SET_LEARNER_TOKENS).execute(Tuple.of(tenantId, config.copy()))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Boolean> setOrigins(String tenantId, List<String> origins) {
    return PgEngineStore.guard(pool.preparedQuery(SET_ORIGINS)
        .execute(Tuple.of(tenantId, new JsonArray(new ArrayList<>(origins))))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Boolean> deleteTenant(String tenantId) {
    return PgEngineStore.guard(pool.preparedQuery(DELETE_TENANT).execute(Tuple.of(tenantId))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Void> putKey(ApiKey key) {
    return PgEngineStore.guard(pool.preparedQuery(PUT_KEY).execute(Tuple.of(key.keyId(), key.tenantId(), key.name(),
        key.scopes().toArray(String[]::new), key.hash(), time(key.createdAt()), time(key.revokedAt()))).mapEmpty());
  }

  @Override
  public Future<Optional<ApiKey>> keyByHash(String hash) {
    return PgEngineStore.guard(pool.preparedQuery(KEY_BY_HASH).execute(Tuple.of(hash)).map(rows -> {
      var it = rows.iterator();
      return it.hasNext() ? Optional.of(key(it.next())) : Optional.empty();
    }));
  }

  @Override
  public Future<List<ApiKey>> keys(String tenantId) {
    return PgEngineStore.guard(pool.preparedQuery(KEYS).execute(Tuple.of(tenantId)).map(rows -> {
      List<ApiKey> list = new ArrayList<>();
      rows.forEach(r -> list.add(key(r)));
      return list;
    }));
  }

  @Override
  public Future<Boolean> revokeKey(String tenantId, String keyId, Instant at) {
    return PgEngineStore.guard(pool.preparedQuery(REVOKE_KEY).execute(Tuple.of(tenantId, keyId, time(at)))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<Boolean> anyKey() {
    return PgEngineStore.guard(pool.query(ANY_KEY).execute().map(rows -> rows.iterator().next().getBoolean(0)));
  }

  @Override
  public Future<Boolean> originAllowedAnywhere(String origin) {
    return PgEngineStore.guard(pool.preparedQuery(ORIGIN_ANYWHERE).execute(Tuple.of(origin))
        .map(rows -> rows.iterator().next().getBoolean(0)));
  }

  private static Tenant tenant(Row r) {
    Object tokens = r.getValue("learner_tokens");
    Object origins = r.getValue("origins");
    List<String> originList = new ArrayList<>();
    if (origins != null) {
      JsonArray array = (JsonArray) origins;
      array.forEach(o -> originList.add((String) o));
    }
    return new Tenant(r.getString("tenant_id"), r.getString("name"), instant(r.getOffsetDateTime("created_at")),
        (JsonObject) tokens,
        List.copyOf(originList));
  }

  private static ApiKey key(Row r) {
    return new ApiKey(r.getString("key_id"), r.getString("tenant_id"), r.getString("name"),
        Arrays.asList(r.getArrayOfStrings("scopes")), r.getString("key_hash"),
        instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("revoked_at")));
  }

  private static OffsetDateTime time(Instant at) {
    return at == null ? null : at.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
