package io.learnquest.store.postgres;

/**
 * Every statement the PostgreSQL adapter runs, in one place. Batch statements take parallel arrays
 * and {@code unnest} them, so a group of events costs one round trip per statement, not per event.
 */
final class Sql {
  private Sql() {
  }

  /** Records new events and marks them pending, in one statement; duplicates are left alone. */
  static final String APPEND_EVENTS = """
      WITH appended AS (
        INSERT INTO events (event_id, learner_id, payload, accepted_at, reply_to)
        SELECT u.event_id, u.learner_id, u.payload::jsonb, u.accepted_at::timestamptz, u.reply_to
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
          WITH ORDINALITY AS u(event_id, learner_id, payload, accepted_at, reply_to, n)
        ORDER BY u.n
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id, learner_id, seq),
      marked AS (INSERT INTO pending_events (learner_id, seq) SELECT learner_id, seq FROM appended)
      SELECT event_id, seq FROM appended""";

  static final String EVENTS_BY_ID = """
      SELECT e.seq, e.payload, e.accepted_at, e.reply_to, o.outcome
      FROM events e LEFT JOIN event_outcomes o ON o.seq = e.seq WHERE e.event_id = ANY($1::text[])""";

  /**
   * The first $2 pending events of each learner in $1, in acceptance order. A lateral scan per
   * learner, ordered and limited, keeps the planner on the key's index: the pending table is small
   * but churns, and on its row count alone a sequential scan over its dead rows looked cheaper.
   */
  static final String PENDING_FOR_LEARNERS = """
      SELECT e.learner_id, e.seq, e.payload, e.accepted_at, e.reply_to, NULL::jsonb AS outcome
      FROM unnest($1::text[]) AS l(learner_id)
      CROSS JOIN LATERAL (
        SELECT p.seq FROM pending_events p WHERE p.learner_id = l.learner_id ORDER BY p.seq LIMIT $2) p
      JOIN events e ON e.seq = p.seq
      ORDER BY e.seq""";

  static final String LEARNERS_WITH_PENDING = """
      SELECT p.learner_id FROM pending_events p JOIN events e ON e.seq = p.seq
      GROUP BY p.learner_id HAVING $2::timestamptz IS NULL OR min(e.accepted_at) < $2
      ORDER BY min(p.seq) LIMIT $1""";

  /** The backlog: small while the engine keeps up, as the table holds only what is pending. */
  static final String PENDING_COUNT = "SELECT count(*) FROM pending_events";

  static final String BOARD_TOTAL_COUNT = "SELECT count(*) FROM board_scores";

  /** The accepted but unapplied events, counted up to $1 (a bounded scan however large the backlog). */
  static final String PENDING_COUNT_UP_TO = "SELECT count(*) AS n FROM (SELECT 1 FROM pending_events LIMIT $1) p";

  static final String LEARNERS_BY_ID = "SELECT learner_id, doc FROM learners WHERE learner_id = ANY($1::text[])";

  /** Which of the (learner, type, objectId) triples in $1, $2, $3 were granted activity XP. */
  static final String EARNED_AMONG = """
      SELECT e.learner_id, e.type, e.object_id FROM earned_objects e
      JOIN unnest($1::text[], $2::text[], $3::text[]) AS q(learner_id, type, object_id)
        ON e.learner_id = q.learner_id AND e.type = q.type AND e.object_id = q.object_id""";

  /** Takes the events off the pending ones and records their outcomes: one row per event still pending. */
  static final String MARK_APPLIED = """
      WITH done AS (
        DELETE FROM pending_events p
        USING unnest($1::text[], $2::text[]) AS u(event_id, outcome), events e
        WHERE e.event_id = u.event_id AND p.learner_id = e.learner_id AND p.seq = e.seq
        RETURNING p.seq, u.outcome)
      INSERT INTO event_outcomes (seq, outcome) SELECT seq, outcome::jsonb FROM done
      RETURNING seq""";

  static final String INSERT_LEARNERS = """
      INSERT INTO learners (learner_id, version, state, xp, last_activity_at, idle_from, doc)
      SELECT u.learner_id, u.version, u.state, u.xp, u.last_activity_at::timestamptz, u.last_activity_at::timestamptz,
        u.doc::jsonb
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[])
        AS u(learner_id, version, state, xp, last_activity_at, doc)
      ON CONFLICT (learner_id) DO NOTHING
      RETURNING learner_id""";

  /**
   * idle_from (indexed) moves only with the state (indexed too): the other updates leave every
   * indexed column alone and can stay on their page. See migration V4.
   */
  static final String UPDATE_LEARNERS = """
      UPDATE learners SET version = u.version, state = u.state, xp = u.xp,
        last_activity_at = u.last_activity_at::timestamptz, doc = u.doc::jsonb,
        idle_from = CASE WHEN learners.state = u.state AND learners.idle_from IS NOT NULL THEN learners.idle_from
                         ELSE u.last_activity_at::timestamptz END
      FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[])
        AS u(learner_id, expected, version, state, xp, last_activity_at, doc)
      WHERE learners.learner_id = u.learner_id AND learners.version = u.expected
      RETURNING learners.learner_id""";

  static final String INSERT_EARNED = """
      INSERT INTO earned_objects (learner_id, type, object_id)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
      ON CONFLICT DO NOTHING""";

  static final String INSERT_LEDGER = """
      INSERT INTO xp_ledger (learner_id, event_id, activity, base_xp, multiplier_pct, xp, reason, at)
      SELECT u.learner_id, u.event_id, u.activity, u.base_xp, u.pct, u.xp, u.reason, u.at::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::bigint[], $7::text[], $8::text[])
        WITH ORDINALITY AS u(learner_id, event_id, activity, base_xp, pct, xp, reason, at, n)
      ORDER BY u.n
      ON CONFLICT (event_id, activity) DO NOTHING""";

  static final String INSERT_BADGES = """
      INSERT INTO learner_badges (learner_id, badge_id, name, tier, awarded_at, event_id)
      SELECT u.learner_id, u.badge_id, u.name, u.tier, u.awarded_at::timestamptz, u.event_id
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS u(learner_id, badge_id, name, tier, awarded_at, event_id, n)
      ORDER BY u.n
      ON CONFLICT (learner_id, badge_id) DO NOTHING""";

  static final String INSERT_TRANSITIONS = """
      INSERT INTO transitions (learner_id, from_state, to_state, event, event_id, at)
      SELECT u.learner_id, u.from_state, u.to_state, u.event, u.event_id, u.at::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS u(learner_id, from_state, to_state, event, event_id, at, n)
      ORDER BY u.n""";

  static final String INSERT_NOTIFICATIONS = """
      INSERT INTO notifications (learner_id, seq, type, event_id, at, data)
      SELECT u.learner_id, u.seq, u.type, u.event_id, u.at::timestamptz, u.data::jsonb
      FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
        AS u(learner_id, seq, type, event_id, at, data)
      ON CONFLICT DO NOTHING""";

  static final String TRIM_NOTIFICATIONS = """
      DELETE FROM notifications n USING unnest($1::text[], $2::bigint[]) AS u(learner_id, keep_above)
      WHERE n.learner_id = u.learner_id AND n.seq <= u.keep_above""";

  static final String ADD_BOARD_XP = """
      INSERT INTO board_scores (board, learner_id, xp)
      SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
      ON CONFLICT (board, learner_id) DO UPDATE SET xp = board_scores.xp + EXCLUDED.xp
      RETURNING board, learner_id, xp""";

  static final String LEDGER = """
      SELECT event_id, activity, base_xp, multiplier_pct, xp, reason, at FROM xp_ledger
      WHERE learner_id = $1 ORDER BY id DESC LIMIT $2""";

  static final String BADGES = """
      SELECT badge_id, name, tier, awarded_at, event_id FROM learner_badges WHERE learner_id = $1 ORDER BY id""";

  static final String INSERT_FLAGS = """
      INSERT INTO flags (learner_id, event_id, rule, detail, at)
      SELECT u.learner_id, u.event_id, u.rule, u.detail, u.at::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
        WITH ORDINALITY AS u(learner_id, event_id, rule, detail, at, n)
      ORDER BY u.n""";

  static final String FLAGS = """
      SELECT flag_id, learner_id, event_id, rule, detail, at FROM flags WHERE learner_id = $1
      ORDER BY flag_id DESC LIMIT $2""";

  static final String FLAGS_AFTER = """
      SELECT flag_id, learner_id, event_id, rule, detail, at FROM flags WHERE flag_id > $1
      ORDER BY flag_id LIMIT $2""";

  static final String TRANSITIONS = """
      SELECT from_state, to_state, event, event_id, at FROM transitions WHERE learner_id = $1 ORDER BY id""";

  static final String NOTIFICATIONS_AFTER = """
      SELECT seq, type, event_id, at, data FROM notifications
      WHERE learner_id = $1 AND seq > $2 ORDER BY seq LIMIT $3""";

  /**
   * ACTIVE learners idle since $1 and AT_RISK ones idle since $2, found by the idle_from index (a
   * lower bound of last activity). The rows it finds active after all get idle_from moved up to
   * their last activity, so the next sweeps pass over them: at most $3 a sweep, so that a wave of
   * learners who joined a week ago and stayed costs a few bounded statements, not one long one.
   * Rows an event holds are skipped, not waited for (the next sweep takes them).
   */
  static final String IDLE_LEARNERS = """
      WITH active_after_all AS (
        SELECT learner_id FROM learners
        WHERE ((state = 'ACTIVE' AND idle_from <= $1) OR (state = 'AT_RISK' AND idle_from <= $2))
          AND NOT ((state = 'ACTIVE' AND last_activity_at <= $1) OR (state = 'AT_RISK' AND last_activity_at <= $2))
        LIMIT $3 FOR UPDATE SKIP LOCKED),
      moved_up AS (
        UPDATE learners l SET idle_from = l.last_activity_at FROM active_after_all a WHERE l.learner_id = a.learner_id)
      SELECT learner_id FROM learners
      WHERE ((state = 'ACTIVE' AND idle_from <= $1) OR (state = 'AT_RISK' AND idle_from <= $2))
        AND ((state = 'ACTIVE' AND last_activity_at <= $1) OR (state = 'AT_RISK' AND last_activity_at <= $2))
      LIMIT $3""";

  /** The first page of board totals, in primary-key order. */
  static final String BOARD_TOTALS_FIRST = """
      SELECT board, learner_id, xp FROM board_scores ORDER BY board, learner_id LIMIT $1""";

  /** The page after ($1, $2): a range scan of the primary key, however far into the table. */
  static final String BOARD_TOTALS_AFTER = """
      SELECT board, learner_id, xp FROM board_scores WHERE (board, learner_id) > ($1, $2)
      ORDER BY board, learner_id LIMIT $3""";

  /** Decoded row by row: one row that does not decode must not hide the others. */
  static final String CATALOG = """
      SELECT badge_id, definition FROM badge_catalog WHERE retired_at IS NULL ORDER BY position""";

  static final String SEED_BADGE = """
      INSERT INTO badge_catalog (badge_id, definition) VALUES ($1, $2::jsonb) ON CONFLICT (badge_id) DO NOTHING""";

  static final String PUT_BADGE = """
      INSERT INTO badge_catalog (badge_id, definition) VALUES ($1, $2::jsonb)
      ON CONFLICT (badge_id) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now(), retired_at = NULL""";

  /** Retires a badge; keeps the first retirement time when retired twice. Returns the row when it exists. */
  static final String RETIRE_BADGE = """
      UPDATE badge_catalog SET retired_at = COALESCE(retired_at, now()), updated_at = now()
      WHERE badge_id = $1 RETURNING badge_id""";

  /**
   * Moves a pending event ($1) into the quarantine, and flags it on its learner (rule
   * {@code quarantined}): one row when it was pending, none otherwise.
   */
  static final String QUARANTINE = """
      WITH moved AS (
        DELETE FROM pending_events p USING events e
        WHERE e.event_id = $1 AND p.learner_id = e.learner_id AND p.seq = e.seq
        RETURNING p.seq, p.learner_id),
      quarantined AS (
        INSERT INTO quarantined_events (seq, event_id, learner_id, reason, attempts, quarantined_at)
        SELECT seq, $1, learner_id, $2, $3, $4 FROM moved
        RETURNING seq, learner_id),
      flagged AS (
        INSERT INTO flags (learner_id, event_id, rule, detail, at)
        SELECT learner_id, $1, 'quarantined', $2, $4 FROM quarantined)
      SELECT seq FROM quarantined""";

  static final String QUARANTINED = """
      SELECT seq, event_id, learner_id, reason, attempts, quarantined_at FROM quarantined_events
      WHERE voided_at IS NULL ORDER BY seq LIMIT $1""";

  static final String QUARANTINED_COUNT = "SELECT count(*) FROM quarantined_events WHERE voided_at IS NULL";

  /** Takes $1 out of the quarantine and makes it pending again, in its place in acceptance order. */
  static final String REQUEUE = """
      WITH back AS (
        DELETE FROM quarantined_events WHERE event_id = $1 AND voided_at IS NULL
        RETURNING seq, event_id, learner_id, reason, attempts, quarantined_at),
      requeued AS (INSERT INTO pending_events (learner_id, seq) SELECT learner_id, seq FROM back)
      SELECT * FROM back""";

  /** Voids a quarantined event: its row stays (the event is neither pending nor applied). */
  static final String DISCARD = """
      UPDATE quarantined_events SET voided_at = $2 WHERE event_id = $1 AND voided_at IS NULL
      RETURNING seq, event_id, learner_id, reason, attempts, quarantined_at""";
}
