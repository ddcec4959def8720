-- The per-event write shape of the engine as one transaction (pgbench custom script):
-- insert the event (idempotent), move the learner's XP, add a badge at most once.
\set learner random(1, 10000)
\set n random(1, 1000000000)
BEGIN;
INSERT INTO bench_events (event_id, learner_id, payload) VALUES ('e' || :n || '-' || :client_id, 'l' || :learner, '{"type":"lesson_completed"}') ON CONFLICT (event_id) DO NOTHING;
UPDATE bench_learners SET xp = xp + 52, version = version + 1 WHERE learner_id = 'l' || :learner RETURNING xp;
INSERT INTO bench_badges (learner_id, badge_id) VALUES ('l' || :learner, 'first_lesson') ON CONFLICT DO NOTHING;
COMMIT;
