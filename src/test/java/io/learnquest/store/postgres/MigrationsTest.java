package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The migrations are applied in order, each once, and leave the schema they describe. */
class MigrationsTest {
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    TestStores.create(vertx, TestStores.postgresConfig());
    pool = TestStores.pool(vertx);
  }

  @AfterAll
  static void close() {
    TestEngine.await(vertx.close());
  }

  private static List<Object> column(String sql) {
    List<Object> values = new ArrayList<>();
    TestEngine.await(pool.query(sql).execute()).forEach(row -> values.add(row.getValue(0)));
    return values;
  }

  @Test
  void everyScriptIsRecordedOnceInOrderAndASecondRunAppliesNothing() {
    List<Object> expected = new ArrayList<>();
    for (int v = 1; v <= Migrations.SCRIPTS.size(); v++) {
      expected.add(v);
    }
    assertEquals(expected, column("SELECT version FROM schema_migrations ORDER BY version"));
    assertEquals(0, TestEngine.await(Migrations.migrate(vertx, pool)));
    assertEquals(expected, column("SELECT version FROM schema_migrations ORDER BY version"));
  }

  @Test
  void documentsGetNoStatisticsAndKeysALightSample() {
    String target = "SELECT a.attstattarget::int FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        + "WHERE c.relname = '%s' AND a.attname = '%s'";
    assertEquals(List.of(0), column(target.formatted("events", "payload")));
    assertEquals(List.of(0), column(target.formatted("learners", "doc")));
    assertEquals(List.of(0), column(target.formatted("notifications", "data")));
    assertEquals(List.of(10), column(target.formatted("events", "learner_id")));
    assertEquals(List.of(10), column(target.formatted("board_scores", "board")));
    // No column of the engine's tables is left at the default (-1), whose sample is ten times larger.
    assertEquals(List.of(), column("""
        SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relname IN ('events', 'learners', 'earned_objects', 'xp_ledger', 'learner_badges', 'transitions',
          'notifications', 'board_scores') AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attstattarget < 0"""));
  }
}
