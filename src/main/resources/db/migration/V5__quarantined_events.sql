-- Events that could not be applied after a bounded number of tries (the store refused their data
-- for good, or applying them failed every time), moved aside so their learner's later events go
-- on. A row leaves when an admin retries the event (it is pending again); a discarded event keeps
-- its row with voided_at set: never applied, and its eventId stays taken in events.
CREATE TABLE quarantined_events (
  seq             BIGINT      PRIMARY KEY,
  event_id        TEXT        NOT NULL UNIQUE,
  learner_id      TEXT        NOT NULL,
  reason          TEXT        NOT NULL,
  attempts        INT         NOT NULL,
  quarantined_at  TIMESTAMPTZ NOT NULL,
  voided_at       TIMESTAMPTZ
);
