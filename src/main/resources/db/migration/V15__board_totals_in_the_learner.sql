-- A learner's XP on each leaderboard moves from a row per (board, learner) into the learner's
-- document, as the object "boards" (board key to XP). Every commit writes the learner's row anyway:
-- the totals now travel with it, and an event no longer upserts two to four board rows and reads
-- them back (a fifth of PostgreSQL's work per event). Voids and rebuilds read the totals from the
-- learners; a learner has totals when it has XP (its global all-time total is its XP).
UPDATE learners l SET doc = (l.doc::jsonb || jsonb_build_object('boards', b.boards))::json
FROM (SELECT tenant_id, learner_id, jsonb_object_agg(board, xp) AS boards
      FROM board_scores GROUP BY tenant_id, learner_id) b
WHERE l.tenant_id = b.tenant_id AND l.learner_id = b.learner_id;

DROP TABLE board_scores;
