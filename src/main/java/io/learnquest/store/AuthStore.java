package io.learnquest.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tenants, their API keys and their browser settings (learner-token verification, allowed
 * origins). Keys are kept as the SHA-256 of their secret only. Operator keys have no tenant.
 */
public interface AuthStore {
  /** A tenant; {@code learnerTokens} is null until configured ({@code {"hs256Secret"}} or {@code {"jwks"}}). */
  record Tenant(String tenantId, String name, Instant createdAt, JsonObject learnerTokens, List<String> origins) {
  }

  /** An API key; {@code tenantId} null for an operator key, {@code revokedAt} null while valid. */
  record ApiKey(String keyId, String tenantId, String name, List<String> scopes, String hash, Instant createdAt,
                Instant revokedAt) {
  }

  /** Creates the tenant; false when one with this id exists already (nothing changed then). */
  Future<Boolean> createTenant(String tenantId, String name, Instant at);

  Future<Optional<Tenant>> tenant(String tenantId);

  /** Every tenant, by id. */
  Future<List<Tenant>> tenants();

  /** Sets the tenant's learner-token configuration; false when there is no such tenant. */
  Future<Boolean> setLearnerTokens(String tenantId, JsonObject config);

  /** Sets the tenant's allowed browser origins; false when there is no such tenant. */
  Future<Boolean> setOrigins(String tenantId, List<String> origins);

  /**
   * Erases the tenant, its keys and its settings; false when there was none. (The learners, events
   * and boards of the tenant are erased by the engine stores, not here.)
   */
  Future<Boolean> deleteTenant(String tenantId);

  /** Inserts the key, or replaces the one with the same keyId (bootstrap keys are re-set at start). */
  Future<Void> putKey(ApiKey key);

  /** The key whose secret hashes to {@code hash}, revoked or not. */
  Future<Optional<ApiKey>> keyByHash(String hash);

  /** The tenant's keys, oldest first, revoked ones included. */
  Future<List<ApiKey>> keys(String tenantId);

  /** Revokes the tenant's key (a revoked one stays as it was); false when the tenant has no such key. */
  Future<Boolean> revokeKey(String tenantId, String keyId, Instant at);

  /** True once any key exists (revoked or not). */
  Future<Boolean> anyKey();

  /** True when some tenant allows pages of this origin (for CORS preflights, which carry no credentials). */
  Future<Boolean> originAllowedAnywhere(String origin);
}
