-- The durable truth of the engine. Every accepted event, and every effect of applying it.

-- Every accepted event, in acceptance order (seq). applied/outcome are set by the same
-- transaction that writes the event's effects, so "applied" means "all effects are committed".
CREATE TABLE events (
  seq          BIGSERIAL   PRIMARY KEY,
  event_id     TEXT        NOT NULL UNIQUE,
  learner_id   TEXT        NOT NULL,
  payload      JSONB       NOT NULL,
  accepted_at  TIMESTAMPTZ NOT NULL,
  reply_to     TEXT,
  applied      BOOLEAN     NOT NULL DEFAULT FALSE,
  outcome      JSONB
);
CREATE INDEX events_pending ON events (learner_id, seq) WHERE NOT applied;

-- The learner aggregate: the whole record as JSON (doc), plus the columns queries filter on.
CREATE TABLE learners (
  learner_id        TEXT        PRIMARY KEY,
  version           BIGINT      NOT NULL,
  state             TEXT        NOT NULL,
  xp                BIGINT      NOT NULL,
  last_activity_at  TIMESTAMPTZ,
  doc               JSONB       NOT NULL
);
CREATE INDEX learners_idle ON learners (state, last_activity_at);

-- (learner, type, objectId) that earned activity XP: later ones are repeats.
CREATE TABLE earned_objects (
  learner_id  TEXT NOT NULL,
  type        TEXT NOT NULL,
  object_id   TEXT NOT NULL,
  PRIMARY KEY (learner_id, type, object_id)
);

-- The XP ledger: why each XP was granted; one row per event and activity.
CREATE TABLE xp_ledger (
  id              BIGSERIAL   PRIMARY KEY,
  learner_id      TEXT        NOT NULL,
  event_id        TEXT        NOT NULL,
  activity        TEXT        NOT NULL,
  base_xp         BIGINT      NOT NULL,
  multiplier_pct  INTEGER     NOT NULL,
  xp              BIGINT      NOT NULL,
  reason          TEXT        NOT NULL,
  at              TIMESTAMPTZ NOT NULL,
  UNIQUE (event_id, activity)
);
CREATE INDEX xp_ledger_learner ON xp_ledger (learner_id, id);

-- A badge at most once per learner, whatever the retries, races or nodes.
CREATE TABLE learner_badges (
  id          BIGSERIAL   PRIMARY KEY,
  learner_id  TEXT        NOT NULL,
  badge_id    TEXT        NOT NULL,
  name        TEXT        NOT NULL,
  tier        TEXT        NOT NULL,
  awarded_at  TIMESTAMPTZ NOT NULL,
  event_id    TEXT,
  UNIQUE (learner_id, badge_id)
);

CREATE TABLE transitions (
  id          BIGSERIAL   PRIMARY KEY,
  learner_id  TEXT        NOT NULL,
  from_state  TEXT        NOT NULL,
  to_state    TEXT        NOT NULL,
  event       TEXT        NOT NULL,
  event_id    TEXT,
  at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX transitions_learner ON transitions (learner_id, id);

-- The retained notification history for replay, trimmed per learner.
CREATE TABLE notifications (
  learner_id  TEXT        NOT NULL,
  seq         BIGINT      NOT NULL,
  type        TEXT        NOT NULL,
  event_id    TEXT,
  at          TIMESTAMPTZ NOT NULL,
  data        JSONB       NOT NULL,
  PRIMARY KEY (learner_id, seq)
);

-- XP per leaderboard (scope and period, weekly ones included) and learner: what Redis projects.
CREATE TABLE board_scores (
  board       TEXT   NOT NULL,
  learner_id  TEXT   NOT NULL,
  xp          BIGINT NOT NULL,
  PRIMARY KEY (board, learner_id)
);

-- The badge catalog as written (seeded from conf/badges.json, changed by the admin API).
CREATE TABLE badge_catalog (
  badge_id    TEXT        PRIMARY KEY,
  position    BIGSERIAL,
  definition  JSONB       NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
