-- A badge can be retired (DELETE /api/v1/badges/{badgeId}): it leaves the catalog and is no longer
-- awarded, while the awards already made stay in learner_badges. The row stays, so that the seed
-- from conf/badges.json (insert when absent) does not bring a retired default badge back at the
-- next start; a PUT of the same badgeId puts it in force again.
ALTER TABLE badge_catalog ADD COLUMN retired_at TIMESTAMPTZ;
