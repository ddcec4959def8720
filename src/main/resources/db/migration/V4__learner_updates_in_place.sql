-- Learner rows are updated in place. Every event rewrites its learner's row; the inactivity index
-- covered last_activity_at, which every event moves, so no such update could stay on its page
-- (HOT): each one added an entry to both of the table's indexes. The index now covers idle_from,
-- a lower bound of last_activity_at that events leave alone: it is set when the row is inserted
-- and when the state changes (an update that touches the index anyway), and the inactivity sweep
-- moves it up to last_activity_at for the rows it finds active after all. So idle_from <=
-- last_activity_at always holds, and every learner idle since a time has idle_from before it.

ALTER TABLE learners ADD COLUMN idle_from TIMESTAMPTZ;
UPDATE learners SET idle_from = last_activity_at;
DROP INDEX learners_idle;
CREATE INDEX learners_idle ON learners (state, idle_from);
ALTER TABLE learners ALTER COLUMN idle_from SET STATISTICS 10;

-- Room on each page for the next versions of its rows, so that updates can stay there.
ALTER TABLE learners SET (fillfactor = 70);
