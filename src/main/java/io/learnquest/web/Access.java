package io.learnquest.web;

/**
 * Who may call a route (docs/api.md, "Credentials"). Keys of a tenant hold scopes ({@code admin} holds
 * them all); a learner token reads only its own learner and its tenant's boards; an operator key
 * manages tenants and nothing inside them.
 */
public enum Access {
  /** Anyone: /health, /ready, /openapi.json; and /metrics, which has a guard of its own (METRICS_TOKEN). */
  PUBLIC,
  /** A key with {@code events:write}. */
  EVENTS_WRITE,
  /** A key with {@code learners:read}, or a learner token of the learner in the path. */
  LEARNER,
  /** As {@link #LEARNER}, and the token may come as {@code ?access_token=} (SSE; browsers cannot set headers). */
  LEARNER_PUSH,
  /** The badge catalog: any credential of the tenant (a key of any scope, or a learner token). */
  CATALOG,
  /** A key with {@code leaderboards:read}, or any learner token of the tenant. */
  BOARD,
  /** A key with {@code leaderboards:read}, or a learner token of the learner in the path. */
  BOARD_AROUND,
  /** A key with {@code rules:write}. */
  RULES_WRITE,
  /** A key with {@code admin}. */
  ADMIN,
  /** An operator key. */
  OPERATOR
}
