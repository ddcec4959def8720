package io.learnquest.web;

import io.learnquest.badges.BadgesService;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.rules.RulesService;
import io.learnquest.auth.ApiKeys;
import io.learnquest.auth.Authenticator;
import io.learnquest.auth.Caller;
import io.learnquest.auth.Scope;
import io.learnquest.bus.Failure;
import io.learnquest.config.ConfigLoader;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.IdShape;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.Tenants;
import io.learnquest.store.AuthStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keys, tenants and browser settings (docs/api.md, "Credentials"): a tenant's admin manages its keys,
 * learner-token verification and allowed origins; the operator manages tenants.
 */
final class AuthRoutes {
  static final int MAX_NAME = 100;
  static final int MAX_ORIGINS = 100;

  private final Vertx vertx;
  private final AuthStore store;
  private final Authenticator auth;
  private final Clock clock;
  /** The owners of a tenant's learning data, each erasing its own part of a deleted tenant. */
  private final RulesService rules;
  private final LeaderboardsService leaderboards;
  private final BadgesService badges;

  AuthRoutes(Vertx vertx, AuthStore store, Authenticator auth, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.auth = auth;
    this.clock = clock;
    this.rules = new RulesService(vertx);
    this.leaderboards = new LeaderboardsService(vertx);
    this.badges = new BadgesService(vertx);
  }

  /** {@code POST /api/v1/keys {"name", "scopes"}} (admin): 201 with the secret, shown this once. */
  void createKey(RoutingContext ctx) {
    answer(ctx, 201, () -> {
      JsonObject body = body(ctx);
      String name = name(body, "name");
      List<String> scopes = scopes(body);
      String tenantId = RequestTenant.of(ctx);
      return newKey(tenantId, name, scopes);
    });
  }

  private Future<JsonObject> newKey(String tenantId, String name, List<String> scopes) {
    String secret = ApiKeys.newSecret();
    Instant now = clock.instant();
    AuthStore.ApiKey key = new AuthStore.ApiKey(ApiKeys.newKeyId(), tenantId, name, scopes, ApiKeys.hash(secret),
        now, null);
    return store.putKey(key).map(v -> new JsonObject().put("keyId", key.keyId()).put("key", secret)
        .put("name", name).put("scopes", new JsonArray(new ArrayList<>(scopes))).put("createdAt", now.toString()));
  }

  /** {@code GET /api/v1/keys} (admin): the tenant's keys, never their secrets. */
  void listKeys(RoutingContext ctx) {
    answer(ctx, 200, () -> store.keys(RequestTenant.of(ctx)).map(keys -> {
      JsonArray list = new JsonArray();
      keys.forEach(k -> list.add(new JsonObject().put("keyId", k.keyId()).put("name", k.name())
          .put("scopes", new JsonArray(new ArrayList<>(k.scopes()))).put("createdAt", k.createdAt().toString())
          .put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString())));
      return new JsonObject().put("keys", list);
    }));
  }

  /** {@code DELETE /api/v1/keys/{keyId}} (admin): 204; every node refuses the key from now on. */
  void revokeKey(RoutingContext ctx) {
    String keyId = ctx.pathParam("keyId");
    String tenantId = RequestTenant.of(ctx);
    noContent(ctx, store.revokeKey(tenantId, keyId, clock.instant()).compose(found -> {
      if (!found) {
        return Future.failedFuture(notFound("no key " + keyId));
      }
      auth.publishRevoked(keyId);
      return Future.succeededFuture();
    }));
  }

  /** {@code POST /api/v1/tenants {"tenantId", "name"}} (operator): 201 with a first admin key. */
  void createTenant(RoutingContext ctx) {
    answer(ctx, 201, () -> {
      JsonObject body = body(ctx);
      Object id = body.getValue("tenantId");
      if (id == null) {
        throw new InvalidInputException(ErrorCodes.MISSING_FIELD, "tenantId is required", "tenantId");
      }
      if (!(id instanceof String tenantId) || !Tenants.valid(tenantId)) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE, IdShape.TENANT_ID.refusal("tenantId"), "tenantId");
      }
      String name = name(body, "name");
      Instant now = clock.instant();
      return store.createTenant(tenantId, name, now).compose(created -> {
        if (!created) {
          return Future.failedFuture(Failure.CONFLICT.exception(ErrorCodes.CONFLICT,
              "tenant " + tenantId + " exists already", "tenantId"));
        }
        auth.publishTenantChanged(tenantId);
        return newKey(tenantId, "first admin key", List.of(Scope.ADMIN.text())).map(key -> new JsonObject()
            .put("tenantId", tenantId).put("name", name).put("createdAt", now.toString())
            .put("keyId", key.getString("keyId")).put("key", key.getString("key"))
            .put("scopes", key.getJsonArray("scopes")));
      });
    });
  }

  /** {@code GET /api/v1/tenants} (operator). */
  void listTenants(RoutingContext ctx) {
    answer(ctx, 200, () -> store.tenants().map(tenants -> {
      JsonArray list = new JsonArray();
      tenants.forEach(t -> list.add(new JsonObject().put("tenantId", t.tenantId()).put("name", t.name())
          .put("createdAt", t.createdAt().toString())));
      return new JsonObject().put("tenants", list);
    }));
  }

  /**
   * {@code DELETE /api/v1/tenants/{tenantId}} (operator): erases all of the tenant, 204. Its keys and
   * settings go first (every node refuses its keys from then on), then its learning data in every
   * store: events, learners and all recorded about them (PostgreSQL or memory), its leaderboards
   * (Redis or memory) and its badge catalog. A failure on the way answers 503; the same DELETE then
   * erases what is left, and answers 404 as the tenant itself is gone already.
   */
  void deleteTenant(RoutingContext ctx) {
    String tenantId = ctx.pathParam("tenantId");
    if (!Tenants.valid(tenantId)) {
      HttpErrors.fail(ctx, notFound("no tenant " + tenantId));
      return;
    }
    noContent(ctx, store.deleteTenant(tenantId).compose(found -> {
      if (found) {
        auth.publishTenantChanged(tenantId);
      }
      return rules.eraseTenant(tenantId)
          .compose(v -> leaderboards.eraseTenant(tenantId))
          .compose(v -> badges.eraseTenant(tenantId))
          .compose(erased -> found ? Future.succeededFuture()
              : Future.failedFuture(notFound("no tenant " + tenantId)));
    }));
  }

  /** {@code PUT /api/v1/auth/learner-tokens {"hs256Secret"} | {"jwks"}} (admin); validated before stored. */
  void setLearnerTokens(RoutingContext ctx) {
    answer(ctx, 200, () -> {
      JsonObject body = body(ctx);
      try {
        JWTAuth.create(vertx, Authenticator.verifierOptions(body));
      } catch (IllegalArgumentException e) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE, e.getMessage(),
            body.containsKey("jwks") ? "jwks" : "hs256Secret");
      } catch (RuntimeException e) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE, "the key material cannot be used to verify tokens",
            body.containsKey("jwks") ? "jwks" : "hs256Secret");
      }
      JsonObject config = body.containsKey("jwks") ? new JsonObject().put("jwks", body.getJsonObject("jwks"))
          : new JsonObject().put("hs256Secret", body.getString("hs256Secret"));
      String tenantId = RequestTenant.of(ctx);
      return store.setLearnerTokens(tenantId, config).compose(found -> {
        auth.publishTenantChanged(tenantId);
        return Future.succeededFuture(new JsonObject().put("tenantId", tenantId)
            .put("learnerTokens", config.containsKey("jwks") ? "jwks" : "hs256"));
      });
    });
  }

  /** {@code PUT /api/v1/auth/origins {"origins": [...]}} (admin): the pages that may call the engine. */
  void setOrigins(RoutingContext ctx) {
    answer(ctx, 200, () -> {
      JsonObject body = body(ctx);
      if (!(body.getValue("origins") instanceof JsonArray array)) {
        throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "origins must be an array of origins", "origins");
      }
      if (array.size() > MAX_ORIGINS) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE, "at most " + MAX_ORIGINS + " origins", "origins");
      }
      Set<String> origins = new LinkedHashSet<>();
      for (int i = 0; i < array.size(); i++) {
        if (!(array.getValue(i) instanceof String o) || !ConfigLoader.isOrigin(o)) {
          throw new InvalidInputException(ErrorCodes.INVALID_VALUE,
              "each origin is scheme://host[:port], such as https://lms.example", "origins[" + i + "]");
        }
        origins.add(o);
      }
      String tenantId = RequestTenant.of(ctx);
      List<String> list = List.copyOf(origins);
      return store.setOrigins(tenantId, list).map(found -> {
        auth.publishTenantChanged(tenantId);
        return new JsonObject().put("origins", new JsonArray(new ArrayList<>(list)));
      });
    });
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return body;
      }
    } catch (DecodeException | ClassCastException e) {
      // answered below
    }
    throw new InvalidInputException(ErrorCodes.INVALID_JSON, "the body must be a JSON object", null);
  }

  private static String name(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      throw new InvalidInputException(ErrorCodes.MISSING_FIELD, field + " is required", field);
    }
    if (!(v instanceof String s) || s.isBlank() || s.length() > MAX_NAME) {
      throw new InvalidInputException(ErrorCodes.INVALID_VALUE, field + " must be 1 to " + MAX_NAME + " characters",
          field);
    }
    return s;
  }

  private static List<String> scopes(JsonObject body) {
    Object v = body.getValue("scopes");
    if (v == null) {
      throw new InvalidInputException(ErrorCodes.MISSING_FIELD, "scopes is required", "scopes");
    }
    if (!(v instanceof JsonArray array) || array.isEmpty()) {
      throw new InvalidInputException(ErrorCodes.INVALID_TYPE, "scopes must be a non-empty array", "scopes");
    }
    Set<String> scopes = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object s = array.getValue(i);
      if (!(s instanceof String text) || Scope.parse(text).isEmpty() || text.equals(Scope.OPERATOR.text())) {
        throw new InvalidInputException(ErrorCodes.INVALID_VALUE,
            "scopes are events:write, learners:read, leaderboards:read, rules:write and admin", "scopes[" + i + "]");
      }
      scopes.add(text);
    }
    return List.copyOf(scopes);
  }

  private static Failure.EngineException notFound(String message) {
    return Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND, message, null);
  }

  private interface Answer {
    Future<JsonObject> get();
  }

  private static void answer(RoutingContext ctx, int status, Answer handler) {
    Future<JsonObject> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onSuccess(body -> HttpErrors.json(ctx, status, body)).onFailure(e -> HttpErrors.fail(ctx, e));
  }

  private static void noContent(RoutingContext ctx, Future<Void> result) {
    result.onSuccess(v -> {
      if (!ctx.response().ended()) {
        ctx.response().setStatusCode(204).end();
      }
    }).onFailure(e -> HttpErrors.fail(ctx, e));
  }

  static Caller caller(RoutingContext ctx) {
    return ctx.get(Security.CALLER);
  }
}
