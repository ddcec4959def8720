-- The event log is written once. Marking an event applied used to update its row: a second copy
-- of the whole row (payload included) and new entries in both of its indexes, for every event, the
-- heaviest statement of the apply transaction. Now an event row is only ever inserted; which
-- events wait is a small table of keys (a row in, a row out), and an outcome is a row of its own.
-- "Applied" still means "all effects committed": the apply transaction deletes the pending row and
-- inserts the outcome together with the effects.

-- Accepted events not yet applied, by learner in acceptance order.
CREATE TABLE pending_events (
  learner_id  TEXT   NOT NULL,
  seq         BIGINT NOT NULL,
  PRIMARY KEY (learner_id, seq)
);

-- What applying an event gave, as answered to its producer (seq of the event in events).
CREATE TABLE event_outcomes (
  seq      BIGINT PRIMARY KEY,
  outcome  JSONB  NOT NULL
);

INSERT INTO pending_events (learner_id, seq) SELECT learner_id, seq FROM events WHERE NOT applied;
INSERT INTO event_outcomes (seq, outcome) SELECT seq, outcome FROM events WHERE applied AND outcome IS NOT NULL;
ALTER TABLE events DROP COLUMN applied, DROP COLUMN outcome;

ALTER TABLE pending_events ALTER COLUMN learner_id SET STATISTICS 10, ALTER COLUMN seq SET STATISTICS 10;
ALTER TABLE event_outcomes ALTER COLUMN seq SET STATISTICS 10, ALTER COLUMN outcome SET STATISTICS 0;

-- Every event adds XP to three or four board rows. Room on each page lets those updates stay on
-- their page (HOT) without a new index entry; full pages made 4 in 10 of them move.
ALTER TABLE board_scores SET (fillfactor = 70);
