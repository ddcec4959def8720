package io.learnquest.bus;

/**
 * Every event-bus address, in one place: the map of who talks to whom. Names read
 * {@code <owner>.<what>}; the owner is the verticle that consumes the address.
 */
public final class Addresses {
  // ingestion: accept events into the durable log
  public static final String INGESTION_SUBMIT = "ingestion.submit";
  public static final String INGESTION_OUTCOME = "ingestion.outcome";
  public static final String INGESTION_READY = "ingestion.ready";

  // rules: drives each learner's events through the pipeline, owns progression and the sweep
  public static final String RULES_LEARNER_PENDING = "rules.learner.pending";
  public static final String RULES_INACTIVITY_SWEEP = "rules.inactivity.sweep";
  public static final String RULES_PROFILE = "rules.profile";
  public static final String RULES_TRANSITIONS = "rules.transitions";
  public static final String RULES_FLAGS = "rules.flags";
  public static final String RULES_ALL_FLAGS = "rules.flags.all";
  public static final String RULES_READY = "rules.ready";
  /** The quarantine of events that could not be applied: list, count, retry, discard. */
  public static final String RULES_QUARANTINE_LIST = "rules.quarantine.list";
  public static final String RULES_QUARANTINE_COUNT = "rules.quarantine.count";
  public static final String RULES_QUARANTINE_RETRY = "rules.quarantine.retry";
  public static final String RULES_QUARANTINE_DISCARD = "rules.quarantine.discard";

  // streaks, xp, badges: the decisions of one event
  public static final String STREAKS_APPLY = "streaks.apply";
  public static final String XP_DECIDE = "xp.decide";
  public static final String XP_LEDGER = "xp.ledger";
  public static final String BADGES_EVALUATE = "badges.evaluate";
  public static final String BADGES_CATALOG = "badges.catalog";
  public static final String BADGES_DEFINE = "badges.define";
  public static final String BADGES_RETIRE = "badges.retire";
  public static final String BADGES_CATALOG_CHANGED = "badges.catalog.changed";
  public static final String BADGES_LEARNER = "badges.learner";

  // leaderboards: the sorted-set projection
  public static final String LEADERBOARDS_UPDATE = "leaderboards.update";
  public static final String LEADERBOARDS_PAGE = "leaderboards.page";
  public static final String LEADERBOARDS_AROUND = "leaderboards.around";
  public static final String LEADERBOARDS_REBUILD = "leaderboards.rebuild";
  public static final String LEADERBOARDS_READY = "leaderboards.ready";
  /** Published when an update may not have reached the projection: every instance rebuilds. */
  public static final String LEADERBOARDS_DIRTY = "leaderboards.dirty";

  // notifications: fan-out of committed notifications and their retained history
  public static final String NOTIFICATIONS_PUBLISH = "notifications.publish";
  public static final String NOTIFICATIONS_HISTORY = "notifications.history";
  /** Kafka mode: achievements to the outbound topic, answered once Kafka holds them. */
  public static final String NOTIFICATIONS_OUTBOUND = "notifications.outbound";
  /**
   * Published (not sent), {@code {frames: [...]}}: every web instance on every node forwards the
   * frames to its own connections.
   */
  public static final String NOTIFICATIONS_LIVE = "notifications.live";

  // auth: published to every node, so cached credentials follow a revocation at once
  /** Published, body the keyId: every node forgets the key. */
  public static final String AUTH_KEY_REVOKED = "auth.key.revoked";
  /** Published, body the tenantId: every node forgets the tenant's keys and settings. */
  public static final String AUTH_TENANT_CHANGED = "auth.tenant.changed";

  /** Prefix of the per-instance address where a web instance waits for outcomes ({@code ?wait=true}). */
  public static final String WEB_OUTCOMES_PREFIX = "web.outcomes.";

  private Addresses() {
  }
}
