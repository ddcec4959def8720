-- Fair-play flags: which rule held which event back, and why (a flagged event is kept and applied
-- with no effect; the flag is how a teacher or an admin sees it). flag_id orders them for the
-- admin's list; learners read theirs newest first.
CREATE TABLE flags (
  flag_id    BIGSERIAL PRIMARY KEY,
  learner_id TEXT NOT NULL,
  event_id   TEXT NOT NULL,
  rule       TEXT NOT NULL,
  detail     TEXT NOT NULL,
  at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX flags_by_learner ON flags (learner_id, flag_id);
