package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Marking a group of events applied reads pages in proportion to the group, even when PostgreSQL
 * believes the pending events empty (statistics taken at a quiet moment) while a burst waits in
 * them. Counted in buffers the statement touches, not in time.
 */
class MarkAppliedPlanTest {
  private static final String TENANT = "plan-probe";
  private static final int PENDING = 1_000;
  private static final int GROUP = 180;

  @Test
  void aGroupTouchesPagesInProportionToItselfWhenThePendingEventsLookEmpty() {
    Vertx vertx = Vertx.vertx();
    try {
      assertProportionate(TestStores.migratedPool(vertx));
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  /**
   * Statistics a vacuum takes at an empty moment can make the planner price a probe of the pending
   * events' key above a scan of every page of the table, which it then scans once per event of the
   * group. Here the planner is made to believe pages free to read; the commit's first statement
   * ({@link Sql#KEY_LOOKUPS_ONLY}) still keeps it on the key.
   */
  @Test
  void aGroupCommitStaysOnTheKeyWhenTheTableLooksCheaperToScan() {
    Vertx vertx = Vertx.vertx();
    Pool pool = TestStores.migratedPool(vertx);
    try {
      fillWithGoneRows(pool);

      long touched = TestEngine.await(pool.withConnection(conn -> conn.begin().compose(tx ->
          conn.query("SET LOCAL seq_page_cost = 0").execute()
              .compose(v -> conn.query(Sql.KEY_LOOKUPS_ONLY).execute())
              .compose(v -> burstAndMark(conn))
              .eventually(() -> tx.rollback()))));

      assertTrue(touched < 20 * GROUP, "buffers touched to mark " + GROUP + " of " + PENDING + " pending: " + touched);
    } finally {
      TestEngine.await(pool.query("DELETE FROM pending_events WHERE tenant_id = '" + TENANT + "'").execute());
      TestEngine.await(vertx.close());
    }
  }

  private static void assertProportionate(Pool pool) {
    // Pages that once held rows, analyzed empty: the planner now expects one pending row at most.
    fillWithGoneRows(pool);
    TestEngine.await(pool.query("DELETE FROM pending_events WHERE tenant_id = '" + TENANT + "'").execute());
    TestEngine.await(pool.query("ANALYZE pending_events").execute());

    long touched = TestEngine.await(pool.withConnection(conn -> conn.begin().compose(tx ->
        burstAndMark(conn).eventually(() -> tx.rollback()))));

    // One probe of the events, one of the pending events and one fetch per event of the group is a
    // few thousand buffers; crossing the burst with the group probed the events 180,000 times.
    assertTrue(touched < 20 * GROUP, "buffers touched to mark " + GROUP + " of " + PENDING + " pending: " + touched);
  }

  /** 20,000 pending rows of a learner long gone: pages for the table and its key. */
  private static void fillWithGoneRows(Pool pool) {
    TestEngine.await(pool.query("INSERT INTO pending_events (tenant_id, learner_id, seq) "
        + "SELECT '" + TENANT + "', 'gone', g FROM generate_series(-20000, -1) g").execute());
  }

  /** A burst of pending events; answers the buffers that marking a group of them applied touched. */
  private static io.vertx.core.Future<Long> burstAndMark(SqlConnection conn) {
    return conn.query("INSERT INTO events (tenant_id, event_id, learner_id, payload, accepted_at) "
            + "SELECT '" + TENANT + "', 'e' || g, 'l' || (g % 100), '{}'::jsonb, now() FROM generate_series(1, "
            + PENDING + ") g").execute()
        .compose(v -> conn.query("INSERT INTO pending_events (tenant_id, learner_id, seq) "
            + "SELECT tenant_id, learner_id, seq FROM events WHERE tenant_id = '" + TENANT + "'").execute())
        .compose(v -> {
          List<String> tenants = new ArrayList<>();
          List<String> eventIds = new ArrayList<>();
          List<String> outcomes = new ArrayList<>();
          for (int i = 1; i <= GROUP; i++) {
            tenants.add(TENANT);
            eventIds.add("e" + i * 5);
            outcomes.add("{}");
          }
          return conn.preparedQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + Sql.MARK_APPLIED)
              .execute(Tuple.of(tenants.toArray(String[]::new), eventIds.toArray(String[]::new),
                  outcomes.toArray(String[]::new), (long) GROUP));
        })
        .compose(rows -> conn.query("SELECT count(*) FROM event_outcomes WHERE tenant_id = '" + TENANT + "'").execute()
            .map(outcomes -> {
              assertEquals(GROUP, outcomes.iterator().next().getLong(0), "every event of the group marked");
              Object explained = rows.iterator().next().getValue(0);
              JsonObject plan = (explained instanceof JsonArray array ? array : new JsonArray(explained.toString()))
                  .getJsonObject(0).getJsonObject("Plan");
              return plan.getLong("Shared Hit Blocks") + plan.getLong("Shared Read Blocks");
            }));
  }
}
