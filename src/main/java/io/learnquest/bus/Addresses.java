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

  // rules: applies each learner's events in order and commits them; owns the learner aggregate,
  // progression, fair-play flags, the sweep and the quarantine
  public static final String RULES_LEARNER_PENDING = "rules.learner.pending";
  public static final String RULES_INACTIVITY_SWEEP = "rules.inactivity.sweep";
  public static final String RULES_PROFILE = "rules.profile";
  public static final String RULES_TRANSITIONS = "rules.transitions";
  public static final String RULES_FLAGS = "rules.flags";
  public static final String RULES_ALL_FLAGS = "rules.flags.all";
  public static final String RULES_READY = "rules.ready";
  /** The quarantine of events that could not be applied: list, retry, discard. */
  public static final String RULES_QUARANTINE_LIST = "rules.quarantine.list";
  public static final String RULES_QUARANTINE_RETRY = "rules.quarantine.retry";
  public static final String RULES_QUARANTINE_DISCARD = "rules.quarantine.discard";
  /** Voids an applied event: its learner becomes the replay of their other events. */
  public static final String RULES_VOID = "rules.void";
  /** Erases a tenant's events and everything recorded about its learners ({@code Tenancy.Erase}). */
  public static final String RULES_TENANT_ERASE = "rules.tenant.erase";

  // streaks: a learner's streak as of today
  public static final String STREAKS_LEARNER = "streaks.learner";

  // xp: the XP ledger
  public static final String XP_LEDGER = "xp.ledger";

  // badges: the catalog (the rules keep a copy, refreshed on each change notice) and the awards
  public static final String BADGES_CATALOG = "badges.catalog";
  public static final String BADGES_DEFINE = "badges.define";
  public static final String BADGES_RETIRE = "badges.retire";
  public static final String BADGES_CATALOG_CHANGED = "badges.catalog.changed";
  public static final String BADGES_LEARNER = "badges.learner";
  /** Erases a tenant's badge catalog ({@code Tenancy.Erase}). */
  public static final String BADGES_TENANT_ERASE = "badges.tenant.erase";

  // leaderboards: the sorted-set projection
  public static final String LEADERBOARDS_UPDATE = "leaderboards.update";
  /** Corrections of scores (a voided event), which may lower them: {@code {learnerId, changes}}. */
  public static final String LEADERBOARDS_REPLACE = "leaderboards.replace";
  public static final String LEADERBOARDS_PAGE = "leaderboards.page";
  public static final String LEADERBOARDS_AROUND = "leaderboards.around";
  /** A rebuild of a tenant's boards, answered when done; {@code .start} answers its job at once. */
  public static final String LEADERBOARDS_REBUILD = "leaderboards.rebuild";
  public static final String LEADERBOARDS_REBUILD_START = "leaderboards.rebuild.start";
  public static final String LEADERBOARDS_READY = "leaderboards.ready";
  /** Erases a tenant's leaderboards ({@code Tenancy.Erase}). */
  public static final String LEADERBOARDS_TENANT_ERASE = "leaderboards.tenant.erase";
  /** Published ({@code Dirty}) when an update may not have reached the projection: every instance rebuilds. */
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
