package io.learnquest.auth;

import java.util.Set;

/**
 * Who sent a request, once proven: an API key of a tenant (its scopes), an operator key (no tenant),
 * or a learner token (one learner of a tenant, no scopes: it reads only what is that learner's).
 */
public record Caller(Kind kind, String tenantId, Set<Scope> scopes, String keyId, String learnerId) {
  public enum Kind { KEY, OPERATOR, LEARNER }

  public static Caller key(String tenantId, String keyId, Set<Scope> scopes) {
    return new Caller(Kind.KEY, tenantId, Set.copyOf(scopes), keyId, null);
  }

  public static Caller operator(String keyId) {
    return new Caller(Kind.OPERATOR, null, Set.of(Scope.OPERATOR), keyId, null);
  }

  public static Caller learner(String tenantId, String learnerId) {
    return new Caller(Kind.LEARNER, tenantId, Set.of(), null, learnerId);
  }

  /** A tenant key's scope; {@code admin} holds them all. Operators and learners hold none of a tenant's. */
  public boolean has(Scope scope) {
    return kind == Kind.KEY && (scopes.contains(scope) || scopes.contains(Scope.ADMIN));
  }
}
