DROP TABLE IF EXISTS bench_events, bench_learners, bench_badges;
CREATE TABLE bench_events (seq BIGSERIAL PRIMARY KEY, event_id TEXT UNIQUE NOT NULL, learner_id TEXT NOT NULL, payload JSONB NOT NULL);
CREATE TABLE bench_learners (learner_id TEXT PRIMARY KEY, xp BIGINT NOT NULL, version BIGINT NOT NULL);
INSERT INTO bench_learners SELECT 'l' || g, 0, 0 FROM generate_series(1, 10000) g;
CREATE TABLE bench_badges (learner_id TEXT NOT NULL, badge_id TEXT NOT NULL, UNIQUE (learner_id, badge_id));
