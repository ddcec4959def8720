package io.learnquest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.store.postgres.PlannerStatistics;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A table that outgrew its statistics is analyzed; one that stayed small, or was only updated, is
 * left alone.
 */
class PlannerStatisticsTest {
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    pool = TestStores.migratedPool(vertx);
  }

  @AfterAll
  static void close() {
    sql("DROP TABLE IF EXISTS planner_probe_grown, planner_probe_quiet");
    TestEngine.await(vertx.close());
  }

  private static void sql(String statement) {
    TestEngine.await(pool.query(statement).execute());
  }

  private static Object lastAnalyze(String table) {
    return TestEngine.await(pool.query("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = '" + table + "'")
        .execute()).iterator().next().getValue("last_analyze");
  }

  @Test
  void analyzesTheTablesThatOutgrewTheirStatisticsOnly() throws InterruptedException {
    sql("DROP TABLE IF EXISTS planner_probe_grown, planner_probe_quiet");
    // Kept out of autovacuum's way, so only the class under test analyzes them, autovacuum on or off.
    sql("CREATE TABLE planner_probe_grown (id INT PRIMARY KEY, learner TEXT) WITH (autovacuum_enabled = false)");
    sql("CREATE TABLE planner_probe_quiet (id INT PRIMARY KEY) WITH (autovacuum_enabled = false)");
    sql("INSERT INTO planner_probe_grown SELECT g, 'l' || (g % 500) FROM generate_series(1, 5000) g");
    sql("INSERT INTO planner_probe_quiet SELECT g FROM generate_series(1, 10) g");
    PlannerStatistics statistics = new PlannerStatistics(pool);

    // The server publishes table activity about once a second: look until it shows.
    List<String> analyzed = List.of();
    for (int i = 0; i < 50 && !analyzed.contains("planner_probe_grown"); i++) {
      analyzed = TestEngine.await(statistics.refresh());
      Thread.sleep(200);
    }
    assertTrue(analyzed.contains("planner_probe_grown"), "analyzed: " + analyzed);
    assertFalse(analyzed.contains("planner_probe_quiet"), "analyzed: " + analyzed);
    assertNotNull(lastAnalyze("planner_probe_grown"));
    assertNull(lastAnalyze("planner_probe_quiet"));
    assertEquals(5000L, TestEngine.await(pool.query(
        "SELECT reltuples::bigint AS n FROM pg_class WHERE relname = 'planner_probe_grown'").execute())
        .iterator().next().getLong("n"));

    assertFalse(TestEngine.await(statistics.refresh()).contains("planner_probe_grown"), "analyzed once, not again");

    // Updated over and over without growing (like the learners table): its statistics still hold.
    for (int round = 0; round < 3; round++) {
      sql("UPDATE planner_probe_grown SET learner = learner || 'x'");
    }
    Thread.sleep(1_500);
    assertFalse(TestEngine.await(statistics.refresh()).contains("planner_probe_grown"), "updates alone do not count");
  }
}
