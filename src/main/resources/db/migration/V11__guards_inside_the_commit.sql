-- A group commit writes BEGIN, its statements and COMMIT to PostgreSQL at once, without waiting
-- for the statements' answers before COMMIT (one write and one round trip per commit, not one of
-- each per statement plus another for COMMIT). Its guards (every event of the group still pending,
-- every learner still at the version its events were applied to) therefore have to fail inside the
-- transaction: lq_guard raises, the statements after it fail too, and COMMIT ends the transaction
-- as a rollback. SQLSTATE LQ409 is the engine's own, so a guard is told apart from any other failure.
CREATE OR REPLACE FUNCTION lq_guard(ok BOOLEAN, message TEXT) RETURNS BOOLEAN
  LANGUAGE plpgsql AS $$
BEGIN
  IF ok IS NOT TRUE THEN
    RAISE EXCEPTION USING ERRCODE = 'LQ409', MESSAGE = message;
  END IF;
  RETURN TRUE;
END
$$;
