package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.Test;

/**
 * The queue is vacuumed once enough rows have died in it, not before, and so stays the size of what
 * passes through it between two vacuums instead of growing with every event ever accepted (the
 * planner then scanned all of it for each appended event). On a probe shaped like the pending
 * events, kept out of autovacuum's way so that only the class under test vacuums it, autovacuum on
 * or off.
 */
class PendingQueueVacuumTest {
  private static final int DUE = 20_000;
  private static final int ROUND = 30_000;

  @Test
  void aChurnedQueueIsVacuumedOnceEnoughRowsDiedAndKeepsItsSize() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestStores.migratedPool(vertx);
      sql(pool, "DROP TABLE IF EXISTS queue_probe");
      sql(pool, "CREATE TABLE queue_probe (LIKE pending_events INCLUDING ALL) WITH (autovacuum_enabled = false)");
      PendingQueueVacuum vacuum = new PendingQueueVacuum(pool, "queue_probe", DUE);

      churn(pool, "queue_probe", 0, 10_000);
      awaitDeadRows(pool, "queue_probe", 10_000);
      assertFalse(TestEngine.await(vacuum.vacuumIfDue()), "10,000 dead rows: not due");

      churn(pool, "queue_probe", 10_000, ROUND);
      awaitDeadRows(pool, "queue_probe", ROUND);
      assertTrue(TestEngine.await(vacuum.vacuumIfDue()), "due");
      assertFalse(TestEngine.await(vacuum.vacuumIfDue()), "nothing died since");
      long pages = heapPages(pool);

      for (int round = 1; round <= 3; round++) {
        churn(pool, "queue_probe", round * ROUND, ROUND);
        awaitDeadRows(pool, "queue_probe", DUE);
        assertTrue(TestEngine.await(vacuum.vacuumIfDue()), "due again, round " + round);
      }
      long after = heapPages(pool);
      assertTrue(after <= pages + pages / 5,
          "120,000 rows through it and " + after + " pages, after 30,000: " + pages + " (never vacuumed: four times)");
      sql(pool, "DROP TABLE queue_probe");
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  private static long deadRows(Pool pool, String table) {
    return TestEngine.await(pool.query(
        "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = '" + table + "'").execute())
        .iterator().next().getLong(0);
  }

  private static long heapPages(Pool pool) {
    return TestEngine.await(pool.query("SELECT pg_relation_size('queue_probe') / 8192").execute())
        .iterator().next().getLong(0);
  }

  /**
   * A database user that does not own the table: the server would answer a VACUUM with a warning,
   * not an error, and vacuum nothing. The node asks first whether it may, and does not try (it
   * would otherwise try, and the driver log the server's warning, every second).
   */
  @Test
  void aVacuumTheServerWouldRefuseIsNotTried() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    String table = "queue_probe_not_ours";
    String role = "lq_probe_not_owner";
    try {
      Pool owner = TestStores.migratedPool(vertx);
      sql(owner, "DROP TABLE IF EXISTS " + table);
      sql(owner, "CREATE TABLE " + table + " (LIKE pending_events INCLUDING ALL) WITH (autovacuum_enabled = false)");
      sql(owner, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + role + "') "
          + "THEN CREATE ROLE " + role + " LOGIN; END IF; END $$");
      churn(owner, table, 0, 100);
      awaitDeadRows(owner, table, 100);

      Pool notOwner = TestStores.pool(vertx, role);
      PendingQueueVacuum vacuum = new PendingQueueVacuum(notOwner, table, 1);
      assertFalse(TestEngine.await(vacuum.vacuumIfDue()), "not permitted, so not vacuumed");
      assertTrue(vacuum.refused());
      assertFalse(TestEngine.await(vacuum.vacuumIfDue()));
      TestEngine.await(notOwner.close());
      Thread.sleep(1_000);
      assertTrue(deadRows(owner, table) >= 100, "nothing was vacuumed");
      sql(owner, "DROP TABLE " + table);
      sql(owner, "DROP ROLE " + role);
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  /** {@code rows} rows pass through the queue, their seqs from {@code after} + 1: inserted, then deleted. */
  private static void churn(Pool pool, String table, long after, long rows) {
    sql(pool, "INSERT INTO " + table + " (tenant_id, learner_id, seq) SELECT 'probe', 'l-' || (g % 5000), g "
        + "FROM generate_series(" + (after + 1) + ", " + (after + rows) + ") g");
    sql(pool, "DELETE FROM " + table);
  }

  /** The server publishes table activity about once a second: waits until it shows. */
  private static void awaitDeadRows(Pool pool, String table, long atLeast) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      long dead = deadRows(pool, table);
      if (dead >= atLeast) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the server did not show " + atLeast + " dead rows");
  }

  private static void sql(Pool pool, String statement) {
    TestEngine.await(pool.query(statement).execute());
  }
}
