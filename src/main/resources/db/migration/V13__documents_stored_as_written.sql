-- The documents the event path writes are stored as the JSON text the engine wrote (type json), no
-- longer parsed into jsonb. The engine reads them back whole and never queries inside them, so
-- jsonb's binary form bought nothing, and it cost on every write: parsing a learner's document into
-- jsonb took PostgreSQL about 7 us against 1.5 us to check it as json (200,000 rows of a 635-byte
-- document, psql), and stored it in about 1.5 times the bytes, in the table and in the WAL. The
-- documents: each event's payload, each applied event's outcome, each learner's aggregate; each
-- written once or more per event (the notifications' are json from V14 on). The rare documents
-- (badge definitions, tenants' settings, void answers) stay jsonb. Each table is rewritten once.
ALTER TABLE events ALTER COLUMN payload TYPE json USING payload::json;
ALTER TABLE event_outcomes ALTER COLUMN outcome TYPE json USING outcome::json;
ALTER TABLE learners ALTER COLUMN doc TYPE json USING doc::json;

-- As V2 set them: the documents get no statistics.
ALTER TABLE events ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE event_outcomes ALTER COLUMN outcome SET STATISTICS 0;
ALTER TABLE learners ALTER COLUMN doc SET STATISTICS 0;
