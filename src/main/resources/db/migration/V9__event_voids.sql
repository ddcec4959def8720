-- Voided events (POST /api/v1/events/{eventId}/void). The event stays in events, so its eventId
-- stays taken (a resubmission is a duplicate), and applied, so recovery never applies it again; its
-- row here keeps it out of every replay of its learner. answer is what the void answered, so that
-- voiding the same event again answers the same.
CREATE TABLE voided_events (
  seq         BIGINT      PRIMARY KEY,
  event_id    TEXT        NOT NULL UNIQUE,
  learner_id  TEXT        NOT NULL,
  voided_at   TIMESTAMPTZ NOT NULL,
  answer      JSONB       NOT NULL
);

-- A learner's events in acceptance order: what a void replays.
CREATE INDEX events_learner ON events (learner_id, seq);
ALTER TABLE events ALTER COLUMN learner_id SET STATISTICS 10;

-- A void corrects the ledger with compensating lines (reason 'void'), several of which may name the
-- same event and activity (each void of the learner's history corrects the events after it). The
-- lines an event's application writes stay at most one per event and activity.
ALTER TABLE xp_ledger DROP CONSTRAINT xp_ledger_event_id_activity_key;
CREATE UNIQUE INDEX xp_ledger_event_activity ON xp_ledger (event_id, activity) WHERE reason <> 'void';
