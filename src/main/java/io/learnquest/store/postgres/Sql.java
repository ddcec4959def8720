package io.learnquest.store.postgres;

/**
 * Every statement the PostgreSQL adapter runs, in one place. Batch statements take parallel arrays
 * and {@code unnest} them, so a group of events costs one round trip per statement, not per event.
 * Every row of learning data names its tenant (tenant_id, first in every key): every statement
 * matches on it, so one tenant's statements never read or change another's rows.
 */
final class Sql {
  private Sql() {
  }

  /** A table's name as a quoted identifier, for the statements that cannot take it as a parameter. */
  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * Records new events and marks them pending, in one statement; duplicates are left alone. Each new
   * event comes back with the event pending before it for its learner: the one before it in this
   * statement, else the last one pending already (the subquery reads the table as it was before
   * the statement, without the rows {@code marked} adds).
   */
  static final String APPEND_EVENTS = """
      WITH appended AS (
        INSERT INTO events (tenant_id, event_id, learner_id, payload, accepted_at, reply_to)
        SELECT u.tenant_id, u.event_id, u.learner_id, u.payload::json, u.accepted_at::timestamptz, u.reply_to
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
          WITH ORDINALITY AS u(tenant_id, event_id, learner_id, payload, accepted_at, reply_to, n)
        ORDER BY u.n
        ON CONFLICT (tenant_id, event_id) DO NOTHING
        RETURNING tenant_id, event_id, learner_id, seq),
      marked AS (INSERT INTO pending_events (tenant_id, learner_id, seq) SELECT tenant_id, learner_id, seq FROM appended)
      SELECT a.tenant_id, a.event_id, a.seq,
        COALESCE(lag(a.seq) OVER (PARTITION BY a.tenant_id, a.learner_id ORDER BY a.seq),
          (SELECT max(p.seq) FROM pending_events p WHERE p.tenant_id = a.tenant_id AND p.learner_id = a.learner_id),
          0) AS previous_seq
      FROM appended a""";

  /** The events ($1 tenant, $2 eventId pairs), with their outcomes once applied. */
  static final String EVENTS_BY_ID = """
      SELECT e.tenant_id, e.seq, e.payload, e.accepted_at, e.reply_to, o.outcome
      FROM unnest($1::text[], $2::text[]) AS q(tenant_id, event_id)
      JOIN events e ON e.tenant_id = q.tenant_id AND e.event_id = q.event_id
      LEFT JOIN event_outcomes o ON o.tenant_id = e.tenant_id AND o.seq = e.seq""";

  /**
   * The first $3 pending events of each learner ($1 tenant, $2 learnerId), in acceptance order. A lateral scan per
   * learner, ordered and limited, keeps the planner on the key's index: the pending table is small
   * but churns, and on its row count alone a sequential scan over its dead rows looked cheaper.
   */
  static final String PENDING_FOR_LEARNERS = """
      SELECT e.tenant_id, e.learner_id, e.seq, e.payload, e.accepted_at, e.reply_to, NULL::json AS outcome
      FROM unnest($1::text[], $2::text[]) AS l(tenant_id, learner_id)
      CROSS JOIN LATERAL (
        SELECT p.seq FROM pending_events p WHERE p.tenant_id = l.tenant_id AND p.learner_id = l.learner_id
        ORDER BY p.seq LIMIT $3) p
      JOIN events e ON e.seq = p.seq
      ORDER BY e.seq""";

  static final String LEARNERS_WITH_PENDING = """
      SELECT p.tenant_id, p.learner_id FROM pending_events p JOIN events e ON e.seq = p.seq
      GROUP BY p.tenant_id, p.learner_id HAVING $2::timestamptz IS NULL OR min(e.accepted_at) < $2
      ORDER BY min(p.seq) LIMIT $1""";

  /** The backlog: small while the engine keeps up, as the table holds only what is pending. */
  static final String PENDING_COUNT = "SELECT count(*) FROM pending_events";

  /** The tenant's ($1) learners with board totals: those with XP (their global all-time total). */
  static final String LEARNERS_WITH_BOARDS_COUNT = "SELECT count(*) FROM learners WHERE tenant_id = $1 AND xp > 0";

  /**
   * The distinct tenants with a learner with XP, one index probe each (a loose scan of the learners'
   * primary key, stopping at each tenant's first learner with XP).
   */
  static final String TENANTS_WITH_BOARDS = """
      WITH RECURSIVE t(tenant_id) AS (
        (SELECT tenant_id FROM learners WHERE xp > 0 ORDER BY tenant_id LIMIT 1)
        UNION ALL
        SELECT (SELECT l.tenant_id FROM learners l WHERE l.tenant_id > t.tenant_id AND l.xp > 0
                ORDER BY l.tenant_id LIMIT 1)
        FROM t WHERE t.tenant_id IS NOT NULL)
      SELECT tenant_id FROM t WHERE tenant_id IS NOT NULL""";

  /** The accepted but unapplied events, counted up to $1 (a bounded scan however large the backlog). */
  static final String PENDING_COUNT_UP_TO = "SELECT count(*) AS n FROM (SELECT 1 FROM pending_events LIMIT $1) p";

  static final String LEARNERS_BY_ID = """
      SELECT l.tenant_id, l.learner_id, l.doc FROM unnest($1::text[], $2::text[]) AS q(tenant_id, learner_id)
      JOIN learners l ON l.tenant_id = q.tenant_id AND l.learner_id = q.learner_id""";

  /** Which of the (tenant, learner, type, objectId) in $1, $2, $3, $4 were granted activity XP. */
  static final String EARNED_AMONG = """
      SELECT e.tenant_id, e.learner_id, e.type, e.object_id FROM earned_objects e
      JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS q(tenant_id, learner_id, type, object_id)
        ON e.tenant_id = q.tenant_id AND e.learner_id = q.learner_id AND e.type = q.type
        AND e.object_id = q.object_id""";

  /**
   * For each (tenant, learner, limit) in $1, $2, $3 (its position the ordinality {@code i}), the
   * first {@code limit} of the objects the learner earned activity XP for, in key order.
   */
  static final String EARNED_OF = """
      SELECT q.i, e.type, e.object_id
      FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS q(tenant_id, learner_id, lim, i)
      CROSS JOIN LATERAL (SELECT o.type, o.object_id FROM earned_objects o
        WHERE o.tenant_id = q.tenant_id AND o.learner_id = q.learner_id LIMIT q.lim) e""";

  /**
   * The first statement of a group commit. Every statement of the commit finds its rows by key, but
   * the planner follows the pending events' statistics, which a vacuum at an empty moment leaves at
   * zero rows for the table and its key: it then priced a probe of the key above a scan of the whole
   * table and chose the scan, once per event of the group (measured: 27,529 scans of 118 pages in
   * a benchmark's hour, a fifth of PostgreSQL's page reads). Scans stay possible where no key serves.
   */
  static final String KEY_LOOKUPS_ONLY = "SET LOCAL enable_seqscan = off";

  /** What a guard that fails says (SQLSTATE {@code LQ409}, migration V11). */
  static final String CONFLICT = "an event was already applied or a learner changed concurrently";

  /**
   * {@code change} (a statement with RETURNING), failing unless it changed exactly ${@code countParameter}
   * rows: the guard of a statement sent in a group commit, whose COMMIT does not wait for its answer.
   */
  static String guarded(String change, int countParameter) {
    return "WITH changed AS (" + change + ")\nSELECT lq_guard(count(*) = $" + countParameter + ", '" + CONFLICT
        + "') FROM changed";
  }

  /**
   * Takes the events off the pending ones and records their outcomes: one row per event still
   * pending. Each event is looked up by its key, then its pending row by its key, then deleted where
   * it was found: one index probe each, whatever the planner believes of the pending events. As one
   * join, the planner's order followed that table's statistics, and a queue's are often those of a
   * moment it was empty (one row, for a table that holds thousands in a burst): it then crossed every
   * pending row with every event of the group, an index probe of the events per pair, and a group of
   * 180 events against 1,000 pending took 604 ms instead of 6 (measured, EXPLAIN ANALYZE), until the
   * next analysis of the table. OFFSET 0 keeps the planner from folding the lookup into the join.
   * Guarded: unless all $4 events were pending, it fails, as {@link #guarded} would make it; written
   * out, because a WITH that changes data cannot sit inside another WITH.
   */
  static final String MARK_APPLIED = """
      WITH target AS MATERIALIZED (
        SELECT e.tenant_id, e.learner_id, e.seq, u.outcome
        FROM unnest($1::text[], $2::text[], $3::text[]) AS u(tenant_id, event_id, outcome)
        JOIN events e ON e.tenant_id = u.tenant_id AND e.event_id = u.event_id),
      found AS MATERIALIZED (
        SELECT t.tenant_id, t.seq, t.outcome, pending.row_id FROM target t
        CROSS JOIN LATERAL (SELECT p.ctid AS row_id FROM pending_events p
          WHERE p.tenant_id = t.tenant_id AND p.learner_id = t.learner_id AND p.seq = t.seq OFFSET 0) pending),
      done AS (
        DELETE FROM pending_events p USING found f WHERE p.ctid = f.row_id
        RETURNING f.tenant_id, f.seq, f.outcome),
      recorded AS (
        INSERT INTO event_outcomes (tenant_id, seq, outcome) SELECT tenant_id, seq, outcome::json FROM done
        RETURNING seq)
      SELECT lq_guard(count(*) = $4, '""" + CONFLICT + "') FROM recorded";

  static final String INSERT_LEARNERS = """
      INSERT INTO learners (tenant_id, learner_id, version, state, xp, last_activity_at, idle_from, doc)
      SELECT u.tenant_id, u.learner_id, u.version, u.state, u.xp, u.last_activity_at::timestamptz,
        u.last_activity_at::timestamptz, u.doc::json
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[])
        AS u(tenant_id, learner_id, version, state, xp, last_activity_at, doc)
      ON CONFLICT (tenant_id, learner_id) DO NOTHING
      RETURNING learner_id""";

  /**
   * idle_from (indexed) moves only with the state (indexed too): the other updates leave every
   * indexed column alone and can stay on their page. See migration V4.
   */
  static final String UPDATE_LEARNERS = """
      UPDATE learners SET version = u.version, state = u.state, xp = u.xp,
        last_activity_at = u.last_activity_at::timestamptz, doc = u.doc::json,
        idle_from = CASE WHEN learners.state = u.state AND learners.idle_from IS NOT NULL THEN learners.idle_from
                         ELSE u.last_activity_at::timestamptz END
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::text[])
        AS u(tenant_id, learner_id, expected, version, state, xp, last_activity_at, doc)
      WHERE learners.tenant_id = u.tenant_id AND learners.learner_id = u.learner_id AND learners.version = u.expected
      RETURNING learners.learner_id""";

  /** New learners, failing unless all $8 were new. */
  static final String INSERT_LEARNERS_GUARDED = guarded(INSERT_LEARNERS, 8);

  /** Learners' updates, failing unless all $9 were at their expected versions. */
  static final String UPDATE_LEARNERS_GUARDED = guarded(UPDATE_LEARNERS, 9);

  static final String INSERT_EARNED = """
      INSERT INTO earned_objects (tenant_id, learner_id, type, object_id)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
      ON CONFLICT DO NOTHING""";

  static final String INSERT_LEDGER = """
      INSERT INTO xp_ledger (tenant_id, learner_id, event_id, activity, base_xp, multiplier_pct, xp, reason, at)
      SELECT u.tenant_id, u.learner_id, u.event_id, u.activity, u.base_xp, u.pct, u.xp, u.reason, u.at::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::bigint[], $8::text[],
          $9::text[])
        WITH ORDINALITY AS u(tenant_id, learner_id, event_id, activity, base_xp, pct, xp, reason, at, n)
      ORDER BY u.n
      ON CONFLICT (tenant_id, event_id, activity) WHERE reason <> 'void' DO NOTHING""";

  static final String INSERT_BADGES = """
      INSERT INTO learner_badges (tenant_id, learner_id, badge_id, name, tier, awarded_at, event_id)
      SELECT u.tenant_id, u.learner_id, u.badge_id, u.name, u.tier, u.awarded_at::timestamptz, u.event_id
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        WITH ORDINALITY AS u(tenant_id, learner_id, badge_id, name, tier, awarded_at, event_id, n)
      ORDER BY u.n
      ON CONFLICT (tenant_id, learner_id, badge_id) DO NOTHING""";

  static final String INSERT_TRANSITIONS = """
      INSERT INTO transitions (tenant_id, learner_id, from_state, to_state, event, event_id, at)
      SELECT u.tenant_id, u.learner_id, u.from_state, u.to_state, u.event, u.event_id, u.at::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        WITH ORDINALITY AS u(tenant_id, learner_id, from_state, to_state, event, event_id, at, n)
      ORDER BY u.n""";

  /** One row per learner and commit: the commit's notifications for the learner, keyed by the last one's seq. */
  static final String INSERT_NOTIFICATIONS = """
      INSERT INTO notification_batches (tenant_id, learner_id, last_seq, frames)
      SELECT u.tenant_id, u.learner_id, u.last_seq, u.frames::json
      FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS u(tenant_id, learner_id, last_seq, frames)
      ON CONFLICT DO NOTHING""";

  /** Drops the batches whose notifications are all at or below the seq the history keeps above. */
  static final String TRIM_NOTIFICATIONS = """
      DELETE FROM notification_batches n
      USING unnest($1::text[], $2::text[], $3::bigint[]) AS u(tenant_id, learner_id, keep_above)
      WHERE n.tenant_id = u.tenant_id AND n.learner_id = u.learner_id AND n.last_seq <= u.keep_above""";

  /** A page of the learner's ledger, newest first, before the line id $3 (from the newest when null). */
  static final String LEDGER = """
      SELECT id, event_id, activity, base_xp, multiplier_pct, xp, reason, at FROM xp_ledger
      WHERE tenant_id = $1 AND learner_id = $2 AND ($3::bigint IS NULL OR id < $3) ORDER BY id DESC LIMIT $4""";

  static final String BADGES = """
      SELECT badge_id, name, tier, awarded_at, event_id FROM learner_badges WHERE tenant_id = $1 AND learner_id = $2
      ORDER BY id""";

  static final String INSERT_FLAGS = """
      INSERT INTO flags (tenant_id, learner_id, event_id, rule, detail, at)
      SELECT u.tenant_id, u.learner_id, u.event_id, u.rule, u.detail, u.at::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS u(tenant_id, learner_id, event_id, rule, detail, at, n)
      ORDER BY u.n""";

  static final String FLAGS = """
      SELECT flag_id, learner_id, event_id, rule, detail, at FROM flags WHERE tenant_id = $1 AND learner_id = $2
      ORDER BY flag_id DESC LIMIT $3""";

  static final String FLAGS_AFTER = """
      SELECT flag_id, learner_id, event_id, rule, detail, at FROM flags WHERE tenant_id = $1 AND flag_id > $2
      ORDER BY flag_id LIMIT $3""";

  static final String TRANSITIONS = """
      SELECT from_state, to_state, event, event_id, at FROM transitions WHERE tenant_id = $1 AND learner_id = $2
      ORDER BY id""";

  /**
   * The first $4 batches of learner $2 holding notifications after seq $3 that the history keeps (the
   * newest $5), each with the learner's newest seq. Each holds one such notification at least (its
   * last); the oldest may also hold older ones, which the reader leaves out.
   */
  static final String NOTIFICATIONS_AFTER = """
      SELECT frames, newest FROM (
        SELECT frames, last_seq, max(last_seq) OVER () AS newest FROM notification_batches
        WHERE tenant_id = $1 AND learner_id = $2 AND last_seq > $3) b
      WHERE last_seq > newest - $5 ORDER BY last_seq LIMIT $4""";

  /**
   * ACTIVE learners idle since $1 and AT_RISK ones idle since $2, of tenant $4 (of every tenant when
   * $4 is null), found by the idle_from index (a
   * lower bound of last activity). The rows it finds active after all get idle_from moved up to
   * their last activity, so the next sweeps pass over them: at most $3 a sweep, so that a wave of
   * learners who joined a week ago and stayed costs a few bounded statements, not one long one.
   * Rows an event holds are skipped, not waited for (the next sweep takes them).
   */
  static final String IDLE_LEARNERS = """
      WITH active_after_all AS (
        SELECT tenant_id, learner_id FROM learners
        WHERE ((state = 'ACTIVE' AND idle_from <= $1) OR (state = 'AT_RISK' AND idle_from <= $2))
          AND NOT ((state = 'ACTIVE' AND last_activity_at <= $1) OR (state = 'AT_RISK' AND last_activity_at <= $2))
          AND ($4::text IS NULL OR tenant_id = $4)
        LIMIT $3 FOR UPDATE SKIP LOCKED),
      moved_up AS (
        UPDATE learners l SET idle_from = l.last_activity_at FROM active_after_all a
        WHERE l.tenant_id = a.tenant_id AND l.learner_id = a.learner_id)
      SELECT tenant_id, learner_id FROM learners
      WHERE ((state = 'ACTIVE' AND idle_from <= $1) OR (state = 'AT_RISK' AND idle_from <= $2))
        AND ((state = 'ACTIVE' AND last_activity_at <= $1) OR (state = 'AT_RISK' AND last_activity_at <= $2))
        AND ($4::text IS NULL OR tenant_id = $4)
      LIMIT $3""";

  /**
   * The board totals of the tenant's ($1) learners with XP after learner $2 (from the first when
   * null), $3 learners at most, in primary-key order: a range scan however far into the table.
   */
  static final String BOARD_TOTALS_PAGE = """
      SELECT learner_id, doc -> 'boards' AS boards FROM learners
      WHERE tenant_id = $1 AND ($2::text IS NULL OR learner_id > $2) AND xp > 0 ORDER BY learner_id LIMIT $3""";

  /** Decoded row by row: one row that does not decode must not hide the others. */
  static final String CATALOG = """
      SELECT badge_id, definition FROM badge_catalog WHERE tenant_id = $1 AND retired_at IS NULL ORDER BY position""";

  /** Whether the tenant's catalog was ever started (a row, retired or not). */
  static final String CATALOG_STARTED = "SELECT 1 FROM badge_catalog WHERE tenant_id = $1 LIMIT 1";

  static final String SEED_BADGE = """
      INSERT INTO badge_catalog (tenant_id, badge_id, definition) VALUES ($1, $2, $3::jsonb)
      ON CONFLICT (tenant_id, badge_id) DO NOTHING""";

  static final String PUT_BADGE = """
      INSERT INTO badge_catalog (tenant_id, badge_id, definition) VALUES ($1, $2, $3::jsonb)
      ON CONFLICT (tenant_id, badge_id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now(),
        retired_at = NULL""";

  /** Retires a badge; keeps the first retirement time when retired twice. Returns the row when it exists. */
  static final String RETIRE_BADGE = """
      UPDATE badge_catalog SET retired_at = COALESCE(retired_at, now()), updated_at = now()
      WHERE tenant_id = $1 AND badge_id = $2 RETURNING badge_id""";

  static final String ERASE_CATALOG = "DELETE FROM badge_catalog WHERE tenant_id = $1";

  /** Every table of the event log, for erasing a tenant ($1). */
  static final java.util.List<String> ERASE_EVENTS = java.util.List.of(
      "DELETE FROM voided_events WHERE tenant_id = $1",
      "DELETE FROM pending_events WHERE tenant_id = $1",
      "DELETE FROM event_outcomes WHERE tenant_id = $1",
      "DELETE FROM quarantined_events WHERE tenant_id = $1",
      "DELETE FROM events WHERE tenant_id = $1");

  /** Every table about learners, for erasing a tenant ($1). */
  static final java.util.List<String> ERASE_LEARNERS = java.util.List.of(
      "DELETE FROM learners WHERE tenant_id = $1",
      "DELETE FROM earned_objects WHERE tenant_id = $1",
      "DELETE FROM xp_ledger WHERE tenant_id = $1",
      "DELETE FROM learner_badges WHERE tenant_id = $1",
      "DELETE FROM transitions WHERE tenant_id = $1",
      "DELETE FROM notification_batches WHERE tenant_id = $1",
      "DELETE FROM flags WHERE tenant_id = $1");

  /**
   * Moves a pending event ($5 tenant, $1 eventId) into the quarantine, and flags it on its learner (rule
   * {@code quarantined}): one row when it was pending, none otherwise.
   */
  static final String QUARANTINE = """
      WITH moved AS (
        DELETE FROM pending_events p USING events e
        WHERE e.tenant_id = $5 AND e.event_id = $1
          AND p.tenant_id = e.tenant_id AND p.learner_id = e.learner_id AND p.seq = e.seq
        RETURNING p.seq, p.learner_id),
      quarantined AS (
        INSERT INTO quarantined_events (tenant_id, seq, event_id, learner_id, reason, attempts, quarantined_at)
        SELECT $5, seq, $1, learner_id, $2, $3, $4 FROM moved
        RETURNING seq, learner_id),
      flagged AS (
        INSERT INTO flags (tenant_id, learner_id, event_id, rule, detail, at)
        SELECT $5, learner_id, $1, 'quarantined', $2, $4 FROM quarantined)
      SELECT seq FROM quarantined""";

  static final String QUARANTINED = """
      SELECT seq, event_id, learner_id, reason, attempts, quarantined_at FROM quarantined_events
      WHERE tenant_id = $1 AND voided_at IS NULL ORDER BY seq LIMIT $2""";

  static final String QUARANTINED_COUNT = "SELECT count(*) FROM quarantined_events WHERE voided_at IS NULL";

  static final String QUARANTINED_COUNT_OF = """
      SELECT count(*) FROM quarantined_events WHERE tenant_id = $1 AND voided_at IS NULL""";

  /** Takes $2 of tenant $1 out of the quarantine and makes it pending again, in its place in acceptance order. */
  static final String REQUEUE = """
      WITH back AS (
        DELETE FROM quarantined_events WHERE tenant_id = $1 AND event_id = $2 AND voided_at IS NULL
        RETURNING tenant_id, seq, event_id, learner_id, reason, attempts, quarantined_at),
      requeued AS (INSERT INTO pending_events (tenant_id, learner_id, seq) SELECT tenant_id, learner_id, seq FROM back)
      SELECT * FROM back""";

  /** Voids a quarantined event: its row stays (the event is neither pending nor applied). */
  static final String DISCARD = """
      UPDATE quarantined_events SET voided_at = $3 WHERE tenant_id = $1 AND event_id = $2 AND voided_at IS NULL
      RETURNING seq, event_id, learner_id, reason, attempts, quarantined_at""";

  /** A learner's applied events that are not voided, in acceptance order (the replay of a void). */
  static final String APPLIED_EVENTS = """
      SELECT e.tenant_id, e.seq, e.payload, e.accepted_at, e.reply_to, o.outcome
      FROM events e JOIN event_outcomes o ON o.tenant_id = e.tenant_id AND o.seq = e.seq
      WHERE e.tenant_id = $2 AND e.learner_id = $1
        AND NOT EXISTS (SELECT 1 FROM voided_events v WHERE v.tenant_id = e.tenant_id AND v.seq = e.seq)
      ORDER BY e.seq""";

  /**
   * Records the void of $1, an applied event of learner $2 of tenant $5, with its answer $4: one row
   * when it was applied and not voided yet, none otherwise.
   */
  static final String VOID_EVENT = """
      INSERT INTO voided_events (tenant_id, seq, event_id, learner_id, voided_at, answer)
      SELECT e.tenant_id, e.seq, e.event_id, e.learner_id, $3::timestamptz, $4::jsonb
      FROM events e JOIN event_outcomes o ON o.tenant_id = e.tenant_id AND o.seq = e.seq
      WHERE e.tenant_id = $5 AND e.event_id = $1 AND e.learner_id = $2
      ON CONFLICT DO NOTHING
      RETURNING seq""";

  static final String VOIDED = "SELECT answer FROM voided_events WHERE tenant_id = $2 AND event_id = $1";

  /** Objects ($2, $3) of learner $1 of tenant $4 that no longer earned activity XP. */
  static final String DELETE_EARNED = """
      DELETE FROM earned_objects e USING unnest($2::text[], $3::text[]) AS u(type, object_id)
      WHERE e.tenant_id = $4 AND e.learner_id = $1 AND e.type = u.type AND e.object_id = u.object_id""";

  static final String REVOKE_BADGES = """
      DELETE FROM learner_badges WHERE tenant_id = $3 AND learner_id = $1 AND badge_id = ANY($2::text[])""";

  /** The flags of learner $1 of tenant $4 for the (event, rule) pairs $2, $3. */
  static final String DELETE_FLAGS = """
      DELETE FROM flags f USING unnest($2::text[], $3::text[]) AS u(event_id, rule)
      WHERE f.tenant_id = $4 AND f.learner_id = $1 AND f.event_id = u.event_id AND f.rule = u.rule""";
}
