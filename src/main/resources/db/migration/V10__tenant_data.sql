-- Learning data is kept per tenant. Every table that holds a learner's data gets tenant_id, and
-- every key and unique constraint names it first: the same learnerId in two tenants is two
-- learners, and an eventId is unique within its tenant. Rows written before this migration belong
-- to tenant 'default'. The default is dropped afterwards, so a write that forgets its tenant fails
-- instead of landing in 'default'.

ALTER TABLE events ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE events DROP CONSTRAINT events_event_id_key;
ALTER TABLE events ADD CONSTRAINT events_tenant_event_key UNIQUE (tenant_id, event_id);
DROP INDEX events_learner;
CREATE INDEX events_learner ON events (tenant_id, learner_id, seq);

ALTER TABLE pending_events ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE pending_events DROP CONSTRAINT pending_events_pkey;
ALTER TABLE pending_events ADD PRIMARY KEY (tenant_id, learner_id, seq);

ALTER TABLE event_outcomes ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE event_outcomes DROP CONSTRAINT event_outcomes_pkey;
ALTER TABLE event_outcomes ADD PRIMARY KEY (tenant_id, seq);

ALTER TABLE learners ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE learners DROP CONSTRAINT learners_pkey;
ALTER TABLE learners ADD PRIMARY KEY (tenant_id, learner_id);

ALTER TABLE earned_objects ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE earned_objects DROP CONSTRAINT earned_objects_pkey;
ALTER TABLE earned_objects ADD PRIMARY KEY (tenant_id, learner_id, type, object_id);

ALTER TABLE xp_ledger ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
DROP INDEX xp_ledger_event_activity;
CREATE UNIQUE INDEX xp_ledger_event_activity ON xp_ledger (tenant_id, event_id, activity) WHERE reason <> 'void';
DROP INDEX xp_ledger_learner;
CREATE INDEX xp_ledger_learner ON xp_ledger (tenant_id, learner_id, id);

ALTER TABLE learner_badges ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE learner_badges DROP CONSTRAINT learner_badges_learner_id_badge_id_key;
ALTER TABLE learner_badges ADD CONSTRAINT learner_badges_tenant_learner_badge_key
  UNIQUE (tenant_id, learner_id, badge_id);

ALTER TABLE transitions ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
DROP INDEX transitions_learner;
CREATE INDEX transitions_learner ON transitions (tenant_id, learner_id, id);

ALTER TABLE notifications ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE notifications DROP CONSTRAINT notifications_pkey;
ALTER TABLE notifications ADD PRIMARY KEY (tenant_id, learner_id, seq);

ALTER TABLE board_scores ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE board_scores DROP CONSTRAINT board_scores_pkey;
ALTER TABLE board_scores ADD PRIMARY KEY (tenant_id, board, learner_id);

ALTER TABLE badge_catalog ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE badge_catalog DROP CONSTRAINT badge_catalog_pkey;
ALTER TABLE badge_catalog ADD PRIMARY KEY (tenant_id, badge_id);

ALTER TABLE quarantined_events ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE quarantined_events DROP CONSTRAINT quarantined_events_pkey;
ALTER TABLE quarantined_events DROP CONSTRAINT quarantined_events_event_id_key;
ALTER TABLE quarantined_events ADD PRIMARY KEY (tenant_id, seq);
ALTER TABLE quarantined_events ADD CONSTRAINT quarantined_events_tenant_event_key UNIQUE (tenant_id, event_id);

ALTER TABLE voided_events ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
ALTER TABLE voided_events DROP CONSTRAINT voided_events_pkey;
ALTER TABLE voided_events DROP CONSTRAINT voided_events_event_id_key;
ALTER TABLE voided_events ADD PRIMARY KEY (tenant_id, seq);
ALTER TABLE voided_events ADD CONSTRAINT voided_events_tenant_event_key UNIQUE (tenant_id, event_id);

ALTER TABLE flags ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
DROP INDEX flags_by_learner;
CREATE INDEX flags_by_learner ON flags (tenant_id, learner_id, flag_id);
CREATE INDEX flags_by_tenant ON flags (tenant_id, flag_id);

ALTER TABLE events ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE pending_events ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE event_outcomes ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE learners ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE earned_objects ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE xp_ledger ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE learner_badges ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE transitions ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE notifications ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE board_scores ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE badge_catalog ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE quarantined_events ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE voided_events ALTER COLUMN tenant_id DROP DEFAULT;
ALTER TABLE flags ALTER COLUMN tenant_id DROP DEFAULT;

-- The light statistics of every other key column (see V2).
ALTER TABLE events ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE pending_events ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE event_outcomes ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE learners ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE earned_objects ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE xp_ledger ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE learner_badges ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE transitions ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE notifications ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE board_scores ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE badge_catalog ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE quarantined_events ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE voided_events ALTER COLUMN tenant_id SET STATISTICS 10;
ALTER TABLE flags ALTER COLUMN tenant_id SET STATISTICS 10;
