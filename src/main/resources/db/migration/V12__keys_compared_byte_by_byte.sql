-- Identifiers compare byte by byte. Every primary key, unique key and lookup of the engine is on
-- text identifiers (tenant, learner, event, board, badge, object ids), and under a database whose
-- collation is a locale (en_US.UTF-8, even C.UTF-8 before PostgreSQL 17) each comparison in their
-- indexes goes through the locale's strcoll and the copies it needs: about 5 % of PostgreSQL's CPU
-- under load here. With COLLATE "C" they are memcmp. The order is the bytes' order, the same on
-- every server whatever its locale, and the order Redis gives equal scores on the leaderboards.
-- Only indexes are rebuilt (the type does not change, so no table is rewritten).
ALTER TABLE tenants ALTER COLUMN tenant_id TYPE TEXT COLLATE "C";
ALTER TABLE api_keys
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN key_id TYPE TEXT COLLATE "C",
  ALTER COLUMN key_hash TYPE TEXT COLLATE "C";
ALTER TABLE badge_catalog
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN badge_id TYPE TEXT COLLATE "C";
ALTER TABLE learners
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C",
  ALTER COLUMN state TYPE TEXT COLLATE "C";
ALTER TABLE events
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN event_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE pending_events
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE event_outcomes ALTER COLUMN tenant_id TYPE TEXT COLLATE "C";
ALTER TABLE quarantined_events
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN event_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE voided_events
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN event_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE xp_ledger
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C",
  ALTER COLUMN event_id TYPE TEXT COLLATE "C",
  ALTER COLUMN activity TYPE TEXT COLLATE "C";
ALTER TABLE earned_objects
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C",
  ALTER COLUMN type TYPE TEXT COLLATE "C",
  ALTER COLUMN object_id TYPE TEXT COLLATE "C";
ALTER TABLE learner_badges
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C",
  ALTER COLUMN badge_id TYPE TEXT COLLATE "C";
ALTER TABLE board_scores
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN board TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE notifications
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE transitions
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
ALTER TABLE flags
  ALTER COLUMN tenant_id TYPE TEXT COLLATE "C",
  ALTER COLUMN learner_id TYPE TEXT COLLATE "C";
