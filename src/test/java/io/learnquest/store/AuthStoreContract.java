package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.auth.ApiKeys;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link AuthStore} adapter must do; subclasses supply an empty store. */
public abstract class AuthStoreContract {
  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  protected abstract AuthStore store();

  private static AuthStore.ApiKey key(String keyId, String tenantId, String secret, Instant at, String... scopes) {
    return new AuthStore.ApiKey(keyId, tenantId, keyId + " name", List.of(scopes), ApiKeys.hash(secret), at, null);
  }

  @Test
  void aTenantIsCreatedOnceAndListedById() {
    assertTrue(await(store().createTenant("zeta", "Zeta school", T0)));
    assertFalse(await(store().createTenant("zeta", "Another name", T0.plusSeconds(1))));
    assertTrue(await(store().createTenant("alpha", "Alpha school", T0)));
    List<AuthStore.Tenant> tenants = await(store().tenants());
    assertEquals(List.of("alpha", "zeta"), tenants.stream().map(AuthStore.Tenant::tenantId).toList());
    AuthStore.Tenant zeta = await(store().tenant("zeta")).orElseThrow();
    assertEquals("Zeta school", zeta.name());
    assertEquals(T0, zeta.createdAt());
    assertNull(zeta.learnerTokens());
    assertEquals(List.of(), zeta.origins());
    assertEquals(Optional.empty(), await(store().tenant("nobody")));
  }

  @Test
  void aKeyIsFoundByTheHashOfItsSecretOnly() {
    await(store().createTenant("acme", "Acme", T0));
    await(store().putKey(key("k1", "acme", "secret-one", T0, "events:write", "learners:read")));
    AuthStore.ApiKey found = await(store().keyByHash(ApiKeys.hash("secret-one"))).orElseThrow();
    assertEquals("k1", found.keyId());
    assertEquals("acme", found.tenantId());
    assertEquals(List.of("events:write", "learners:read"), found.scopes());
    assertEquals(T0, found.createdAt());
    assertNull(found.revokedAt());
    assertEquals(Optional.empty(), await(store().keyByHash(ApiKeys.hash("secret-two"))));
    assertTrue(await(store().anyKey()));
  }

  @Test
  void anOperatorKeyHasNoTenant() {
    assertFalse(await(store().anyKey()));
    await(store().putKey(key("operator", null, "op-secret", T0, "operator")));
    AuthStore.ApiKey found = await(store().keyByHash(ApiKeys.hash("op-secret"))).orElseThrow();
    assertNull(found.tenantId());
    assertEquals(List.of("operator"), found.scopes());
  }

  @Test
  void puttingAKeyIdAgainReplacesItsSecret() {
    await(store().createTenant("default", "Default", T0));
    await(store().putKey(key("bootstrap", "default", "old", T0, "admin")));
    await(store().putKey(key("bootstrap", "default", "new", T0.plusSeconds(5), "admin")));
    assertEquals(Optional.empty(), await(store().keyByHash(ApiKeys.hash("old"))));
    assertEquals("bootstrap", await(store().keyByHash(ApiKeys.hash("new"))).orElseThrow().keyId());
    assertEquals(1, await(store().keys("default")).size());
  }

  @Test
  void keysAreListedPerTenantOldestFirst() {
    await(store().createTenant("a", "A", T0));
    await(store().createTenant("b", "B", T0));
    await(store().putKey(key("k2", "a", "s2", T0.plusSeconds(2), "admin")));
    await(store().putKey(key("k1", "a", "s1", T0.plusSeconds(1), "admin")));
    await(store().putKey(key("k3", "b", "s3", T0, "admin")));
    assertEquals(List.of("k1", "k2"), await(store().keys("a")).stream().map(AuthStore.ApiKey::keyId).toList());
    assertEquals(List.of("k3"), await(store().keys("b")).stream().map(AuthStore.ApiKey::keyId).toList());
  }

  @Test
  void aKeyIsRevokedOnlyThroughItsOwnTenantAndStaysRevoked() {
    await(store().createTenant("a", "A", T0));
    await(store().createTenant("b", "B", T0));
    await(store().putKey(key("k1", "a", "s1", T0, "admin")));
    assertFalse(await(store().revokeKey("b", "k1", T0.plusSeconds(1))));
    assertNull(await(store().keyByHash(ApiKeys.hash("s1"))).orElseThrow().revokedAt());
    assertFalse(await(store().revokeKey("a", "nope", T0.plusSeconds(1))));
    assertTrue(await(store().revokeKey("a", "k1", T0.plusSeconds(2))));
    assertTrue(await(store().revokeKey("a", "k1", T0.plusSeconds(3))));
    assertEquals(T0.plusSeconds(2), await(store().keyByHash(ApiKeys.hash("s1"))).orElseThrow().revokedAt()
        .truncatedTo(ChronoUnit.MILLIS));
    assertEquals(T0.plusSeconds(2), await(store().keys("a")).get(0).revokedAt());
  }

  @Test
  void settingsAreKeptPerTenantAndOriginsAreSearchedAcrossTenants() {
    await(store().createTenant("a", "A", T0));
    await(store().createTenant("b", "B", T0));
    JsonObject tokens = new JsonObject().put("hs256Secret", "0123456789abcdef0123456789abcdef");
    assertTrue(await(store().setLearnerTokens("a", tokens)));
    assertFalse(await(store().setLearnerTokens("nobody", tokens)));
    assertTrue(await(store().setOrigins("b", List.of("https://lms.example", "http://localhost:3000"))));
    assertFalse(await(store().setOrigins("nobody", List.of("https://x.example"))));
    assertEquals(tokens, await(store().tenant("a")).orElseThrow().learnerTokens());
    assertEquals(List.of("https://lms.example", "http://localhost:3000"),
        await(store().tenant("b")).orElseThrow().origins());
    assertTrue(await(store().originAllowedAnywhere("https://lms.example")));
    assertFalse(await(store().originAllowedAnywhere("https://evil.example")));
    assertFalse(await(store().originAllowedAnywhere("https://lms.example/")));
  }

  @Test
  void deletingATenantErasesItsKeysAndSettingsAndNothingElse() {
    await(store().createTenant("a", "A", T0));
    await(store().createTenant("b", "B", T0));
    await(store().setOrigins("a", List.of("https://a.example")));
    await(store().putKey(key("ka", "a", "sa", T0, "admin")));
    await(store().putKey(key("kb", "b", "sb", T0, "admin")));
    assertTrue(await(store().deleteTenant("a")));
    assertFalse(await(store().deleteTenant("a")));
    assertEquals(Optional.empty(), await(store().tenant("a")));
    assertEquals(Optional.empty(), await(store().keyByHash(ApiKeys.hash("sa"))));
    assertEquals(List.of(), await(store().keys("a")));
    assertFalse(await(store().originAllowedAnywhere("https://a.example")));
    assertNotNull(await(store().keyByHash(ApiKeys.hash("sb"))).orElse(null));
    assertEquals(List.of("b"), await(store().tenants()).stream().map(AuthStore.Tenant::tenantId).toList());
  }
}
