-- The same per-event write shape, micro-batched: one set-based transaction for 10 events of 10
-- different learners (each pgbench transaction is 10 events). Learners are taken in key order so
-- concurrent batches lock them in the same order.
\set base random(1, 9990)
\set n random(1, 1000000000)
BEGIN;
INSERT INTO bench_events (event_id, learner_id, payload)
  SELECT 'e' || :n || '-' || :client_id || '-' || g, 'l' || (:base + g), '{"type":"lesson_completed"}'
  FROM generate_series(0, 9) g ON CONFLICT (event_id) DO NOTHING;
UPDATE bench_learners SET xp = xp + 52, version = version + 1
  WHERE learner_id IN (SELECT 'l' || (:base + g) FROM generate_series(0, 9) g) RETURNING xp;
INSERT INTO bench_badges (learner_id, badge_id)
  SELECT 'l' || (:base + g), 'first_lesson' FROM generate_series(0, 9) g ON CONFLICT DO NOTHING;
COMMIT;
