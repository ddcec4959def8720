package io.learnquest.auth;

import io.learnquest.bus.Addresses;
import io.learnquest.domain.Tenants;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.store.AuthStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves who a bearer credential belongs to, for every web instance of a node. An API key costs one
 * SHA-256 and a map lookup while its answer is cached ({@code ttlMs}); a revocation or a tenant's
 * change is published on the bus and drops the cached answers on every node at once, and the TTL
 * bounds how long a lost publication could keep one. Learner tokens are JWTs verified with the
 * tenant's own key material (vertx-auth-jwt); {@code alg: none} and algorithms other than
 * HS256, RS256, ES256 and EdDSA are refused before any key is looked at.
 */
public final class Authenticator {
  private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
  /** Past this many cached answers the cache starts over (random unknown keys must not grow memory). */
  static final int MAX_CACHED = 100_000;
  static final Set<String> TOKEN_ALGORITHMS = Set.of("HS256", "RS256", "ES256", "EdDSA");
  /** An HS256 secret shorter than this (bytes) is refused: it could be guessed. */
  public static final int MIN_HS256_SECRET_BYTES = 32;

  private record CachedKey(Caller caller, long expiresAt) {
  }

  /** What a tenant's browser callers are checked against; verifier null when tokens are not configured. */
  public record TenantAuth(boolean exists, Set<String> origins, JWTAuth verifier) {
  }

  private record CachedTenant(TenantAuth auth, long expiresAt) {
  }

  private final Vertx vertx;
  private final AuthStore store;
  private final long ttlNanos;
  private final ConcurrentHashMap<String, CachedKey> keys = new ConcurrentHashMap<>();
  /**
   * Look-ups of a key under way, by hash: the requests that miss the cache meanwhile share the one
   * look-up. Without it, when a busy key's answer expires every request in flight asks the store at
   * once (thousands under load), queues on its few connections, and is answered 503 when the wait
   * for a connection runs out.
   */
  private final ConcurrentHashMap<String, Future<Caller>> keyLookUps = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CachedTenant> tenants = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CachedKey> origins = new ConcurrentHashMap<>();

  public Authenticator(Vertx vertx, AuthStore store, long ttlMs) {
    this.vertx = vertx;
    this.store = store;
    this.ttlNanos = ttlMs * 1_000_000;
  }

  /** Listens for revocations and tenant changes published by any node. */
  public Future<Void> listen() {
    return Future.all(
        vertx.eventBus().<String>consumer(Addresses.AUTH_KEY_REVOKED, m -> forgetKey(m.body())).completion(),
        vertx.eventBus().<String>consumer(Addresses.AUTH_TENANT_CHANGED, m -> forgetTenant(m.body())).completion())
        .mapEmpty();
  }

  /** Tells every node (this one included) that the key is revoked. */
  public void publishRevoked(String keyId) {
    forgetKey(keyId);
    vertx.eventBus().publish(Addresses.AUTH_KEY_REVOKED, keyId);
  }

  /** Tells every node (this one included) that the tenant's keys or settings changed. */
  public void publishTenantChanged(String tenantId) {
    forgetTenant(tenantId);
    vertx.eventBus().publish(Addresses.AUTH_TENANT_CHANGED, tenantId);
  }

  void forgetKey(String keyId) {
    keys.values().removeIf(c -> c.caller != null && keyId.equals(c.caller.keyId()));
  }

  void forgetTenant(String tenantId) {
    tenants.remove(tenantId);
    origins.clear();
    keys.values().removeIf(c -> c.caller != null && tenantId.equals(c.caller.tenantId()));
  }

  /**
   * The caller a bearer credential proves: an API key, or (three dot-separated parts) a learner
   * token. Fails with {@link Unauthorized}, or with the store's failure when it cannot be asked.
   * A cached key answers with a completed future.
   */
  public Future<Caller> authenticate(String bearer) {
    if (bearer == null || bearer.isEmpty()) {
      return Future.failedFuture(new Unauthorized("credentials required: Authorization: Bearer <key or token>"));
    }
    if (looksLikeJwt(bearer)) {
      return verifyToken(bearer);
    }
    return lookUpKey(bearer);
  }

  private static boolean looksLikeJwt(String bearer) {
    int first = bearer.indexOf('.');
    return first > 0 && bearer.indexOf('.', first + 1) > first && bearer.startsWith("eyJ");
  }

  private Future<Caller> lookUpKey(String secret) {
    String hash = ApiKeys.hash(secret);
    long now = System.nanoTime();
    CachedKey cached = keys.get(hash);
    if (cached != null && now - cached.expiresAt < 0) {
      return cached.caller == null ? Future.failedFuture(unknownKey()) : Future.succeededFuture(cached.caller);
    }
    Promise<Caller> lookUp = Promise.promise();
    Future<Caller> underWay = keyLookUps.putIfAbsent(hash, lookUp.future());
    if (underWay != null) {
      return onThisContext(underWay);
    }
    store.keyByHash(hash).map(found -> {
      Caller caller = found.filter(k -> k.revokedAt() == null && ApiKeys.sameHash(k.hash(), hash))
          .map(Authenticator::caller).orElse(null);
      remember(keys, hash, new CachedKey(caller, now + ttlNanos));
      if (caller == null) {
        throw unknownKey();
      }
      return caller;
    }).onComplete(ar -> {
      keyLookUps.remove(hash, lookUp.future());
      lookUp.handle(ar);
    });
    return onThisContext(lookUp.future());
  }

  /**
   * A future completed elsewhere (a store's callback, another caller's look-up), answered on the
   * caller's own context: the request that waits on it goes on with its route's handlers, which
   * keep their state on their own event loop, and must not be moved to the store's thread.
   */
  private static <T> Future<T> onThisContext(Future<T> future) {
    Context context = Vertx.currentContext();
    if (context == null || future.isComplete()) {
      return future;
    }
    Promise<T> here = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> here.handle(ar)));
    return here.future();
  }

  private static Unauthorized unknownKey() {
    return new Unauthorized("unknown or revoked key");
  }

  private static Caller caller(AuthStore.ApiKey key) {
    if (key.scopes().contains(Scope.OPERATOR.text())) {
      return Caller.operator(key.keyId());
    }
    Set<Scope> scopes = new HashSet<>();
    key.scopes().forEach(s -> Scope.parse(s).ifPresent(scopes::add));
    scopes.remove(Scope.OPERATOR);
    return Caller.key(key.tenantId(), key.keyId(), scopes);
  }

  private static <V> void remember(ConcurrentHashMap<String, V> map, String key, V value) {
    if (map.size() >= MAX_CACHED) {
      map.clear();
    }
    map.put(key, value);
  }

  private Future<Caller> verifyToken(String token) {
    String[] parts = token.split("\\.", -1);
    JsonObject header;
    JsonObject claims;
    try {
      if (parts.length != 3) {
        throw new IllegalArgumentException();
      }
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return Future.failedFuture(new Unauthorized("the token is not a JWT"));
    }
    if (!(header.getValue("alg") instanceof String alg) || !TOKEN_ALGORITHMS.contains(alg)) {
      return Future.failedFuture(new Unauthorized("token algorithm must be HS256, RS256, ES256 or EdDSA"));
    }
    if (!(claims.getValue("tid") instanceof String tid) || !Tenants.valid(tid)) {
      return Future.failedFuture(new Unauthorized("the token has no valid tid claim"));
    }
    return tenant(tid).compose(tenant -> {
      if (tenant.verifier() == null) {
        return Future.failedFuture(new Unauthorized("learner tokens are not configured for this tenant"));
      }
      return tenant.verifier().authenticate(new TokenCredentials(token))
          .recover(e -> Future.failedFuture(new Unauthorized("invalid token: bad signature, or expired")))
          .compose(user -> {
            JsonObject verified = user.attributes().getJsonObject("accessToken");
            if (!(verified.getValue("exp") instanceof Number exp)) {
              return Future.failedFuture(new Unauthorized("the token has no exp claim"));
            }
            if (exp.longValue() * 1000 <= System.currentTimeMillis()) {
              return Future.failedFuture(new Unauthorized("the token has expired"));
            }
            if (!(verified.getValue("sub") instanceof String sub) || !EventValidator.isValidLearnerId(sub)) {
              return Future.failedFuture(new Unauthorized("the token has no valid sub claim"));
            }
            if (!tid.equals(verified.getValue("tid"))) {
              return Future.failedFuture(new Unauthorized("the token has no valid tid claim"));
            }
            return Future.succeededFuture(Caller.learner(tid, sub));
          });
    });
  }

  /** The tenant's origins and token verifier, cached like keys. */
  public Future<TenantAuth> tenant(String tenantId) {
    long now = System.nanoTime();
    CachedTenant cached = tenants.get(tenantId);
    if (cached != null && now - cached.expiresAt < 0) {
      return Future.succeededFuture(cached.auth);
    }
    return onThisContext(store.tenant(tenantId).map(found -> {
      TenantAuth auth = found.map(this::tenantAuth).orElse(new TenantAuth(false, Set.of(), null));
      remember(tenants, tenantId, new CachedTenant(auth, now + ttlNanos));
      return auth;
    }));
  }

  /** True when some tenant allows this origin (for preflights, which carry no credentials). */
  public Future<Boolean> originAllowedAnywhere(String origin) {
    long now = System.nanoTime();
    CachedKey cached = origins.get(origin);
    if (cached != null && now - cached.expiresAt < 0) {
      return Future.succeededFuture(cached.caller != null);
    }
    return onThisContext(store.originAllowedAnywhere(origin).map(allowed -> {
      remember(origins, origin, new CachedKey(allowed ? Caller.operator("") : null, now + ttlNanos));
      return allowed;
    }));
  }

  private TenantAuth tenantAuth(AuthStore.Tenant tenant) {
    JWTAuth verifier = null;
    if (tenant.learnerTokens() != null) {
      try {
        verifier = JWTAuth.create(vertx, verifierOptions(tenant.learnerTokens()));
      } catch (RuntimeException e) {
        // validated when set; a bad stored configuration verifies nothing rather than failing reads
        LOG.warn("Learner-token configuration of tenant {} is unusable: {}", tenant.tenantId(), e.getMessage());
      }
    }
    return new TenantAuth(true, Set.copyOf(tenant.origins()), verifier);
  }

  /**
   * Options of a verifier for {@code {"hs256Secret": "..."}} or {@code {"jwks": {"keys": [...]}}}.
   * Throws {@link IllegalArgumentException} naming what is wrong: used to validate a configuration
   * before it is stored. A JWK set holds public keys only (RSA, EC P-256, OKP Ed25519); a symmetric
   * key there would let anyone who reads the set sign tokens.
   */
  public static JWTAuthOptions verifierOptions(JsonObject config) {
    JWTAuthOptions options = new JWTAuthOptions();
    Object secret = config.getValue("hs256Secret");
    Object jwks = config.getValue("jwks");
    if ((secret == null) == (jwks == null)) {
      throw new IllegalArgumentException("give exactly one of hs256Secret and jwks");
    }
    if (secret != null) {
      if (!(secret instanceof String s) || s.getBytes(StandardCharsets.UTF_8).length < MIN_HS256_SECRET_BYTES) {
        throw new IllegalArgumentException("hs256Secret must be a string of at least " + MIN_HS256_SECRET_BYTES
            + " bytes");
      }
      options.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(s));
      return options;
    }
    if (!(jwks instanceof JsonObject set) || !(set.getValue("keys") instanceof JsonArray keys) || keys.isEmpty()) {
      throw new IllegalArgumentException("jwks must be a JWK set {\"keys\": [...]} with at least one key");
    }
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      if (!(keys.getValue(i) instanceof JsonObject jwk)) {
        throw new IllegalArgumentException("jwks.keys[" + i + "] must be a JWK object");
      }
      String kty = jwk.getString("kty", "");
      String alg = Optional.ofNullable(jwk.getString("alg")).orElse(switch (kty) {
        case "RSA" -> "RS256";
        case "EC" -> "ES256";
        case "OKP" -> "EdDSA";
        default -> "";
      });
      boolean allowed = (kty.equals("RSA") && alg.equals("RS256")) || (kty.equals("EC") && alg.equals("ES256"))
          || (kty.equals("OKP") && alg.equals("EdDSA"));
      if (!allowed) {
        throw new IllegalArgumentException("jwks.keys[" + i + "] must be a public RSA (RS256), EC (ES256) or OKP "
            + "(EdDSA) key");
      }
      if (jwk.containsKey("d")) {
        throw new IllegalArgumentException("jwks.keys[" + i + "] holds a private key: give the public key only");
      }
      try {
        new io.vertx.ext.auth.impl.jose.JWK(jwk.copy().put("alg", alg));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("jwks.keys[" + i + "] is not a usable key");
      }
      list.add(jwk.copy().put("alg", alg));
    }
    options.setJwks(list);
    return options;
  }
}
