package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Future;
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
    pool = TestStores.migratedPool(vertx);
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
  void everyIndexedTextColumnComparesByteByByte() {
    // A column in a key compared under the database's locale costs PostgreSQL a strcoll per
    // comparison, and orders differently from one server's locale to the next (V12).
    assertEquals(List.of(), column("""
        SELECT DISTINCT c.relname || '.' || a.attname FROM pg_index i
        JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)
        WHERE n.nspname = current_schema() AND c.relname <> 'schema_migrations'
          AND a.atttypid = 'text'::regtype
          AND a.attcollation <> (SELECT oid FROM pg_collation WHERE collname = 'C'
                                 AND collnamespace = 'pg_catalog'::regnamespace)
        ORDER BY 1"""));
  }

  /** The documents written once or more per event are checked as JSON, not parsed into jsonb (V13, V14). */
  @Test
  void theEventPathsDocumentsAreStoredAsWritten() {
    assertEquals(List.of("event_outcomes.outcome json", "events.payload json", "learners.doc json",
        "notification_batches.frames json"), column("""
        SELECT c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, NULL)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
          AND (c.relname, a.attname) IN (('events', 'payload'), ('event_outcomes', 'outcome'), ('learners', 'doc'),
            ('notification_batches', 'frames'))
        ORDER BY 1"""));
  }

  @Test
  void documentsGetNoStatisticsAndKeysALightSample() {
    String target = "SELECT a.attstattarget::int FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        + "WHERE c.relname = '%s' AND a.attname = '%s'";
    assertEquals(List.of(0), column(target.formatted("events", "payload")));
    assertEquals(List.of(0), column(target.formatted("learners", "doc")));
    assertEquals(List.of(0), column(target.formatted("notification_batches", "frames")));
    assertEquals(List.of(0), column(target.formatted("event_outcomes", "outcome")));
    assertEquals(List.of(10), column(target.formatted("events", "learner_id")));
    // No column of the engine's tables is left at the default (-1), whose sample is ten times larger.
    assertEquals(List.of(), column("""
        SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relname IN ('events', 'learners', 'earned_objects', 'xp_ledger', 'learner_badges', 'transitions',
          'notification_batches', 'pending_events', 'event_outcomes') AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND a.attstattarget < 0"""));
  }

  /**
   * V3, V4 and the later migrations on data written by V1: a pending event stays pending, an
   * applied one keeps its outcome, an idle learner is still found idle, a notification is still in
   * the history, all of it now in tenant
   * {@code default}, and the statements of this build read all of it.
   * Run in a schema of its own, in a transaction rolled back.
   */
  @Test
  void laterMigrationsCarryEventsAndLearnersAcross() throws Exception {
    String v1 = Migrations.read("V1__create_schema.sql");
    String v2 = Migrations.read("V2__light_statistics.sql");
    String v3 = Migrations.read("V3__events_written_once.sql");
    String v4 = Migrations.read("V4__learner_updates_in_place.sql");
    StringBuilder later = new StringBuilder(); // V5 and every one after it, as the build runs them
    for (String script : Migrations.SCRIPTS.subList(4, Migrations.SCRIPTS.size())) {
      later.append(Migrations.read(script));
    }
    List<Object> pending = new ArrayList<>();
    List<Object> idle = new ArrayList<>();
    List<Object> outcomes = new ArrayList<>();
    List<Object> notifications = new ArrayList<>();
    List<Object> read = new ArrayList<>();
    TestEngine.await(pool.withConnection(conn -> conn.begin().compose(tx -> conn.query("""
            SET LOCAL client_min_messages TO warning; CREATE SCHEMA upgrade_v3; SET LOCAL search_path TO upgrade_v3""")
        .execute()
        .compose(v -> conn.query(v1 + v2).execute())
        .compose(v -> conn.query("""
            INSERT INTO events (event_id, learner_id, payload, accepted_at, applied, outcome) VALUES
              ('e1', 'l1', '{}', now(), TRUE, '{"status": "processed"}'),
              ('e2', 'l1', '{}', now(), FALSE, NULL),
              ('e3', 'l2', '{}', now(), FALSE, NULL);
            INSERT INTO learners (learner_id, version, state, xp, last_activity_at, doc) VALUES
              ('l1', 1, 'ACTIVE', 10, '2026-11-01T00:00:00Z', '{}'),
              ('l2', 1, 'ACTIVE', 10, '2026-11-20T00:00:00Z', '{}');
            INSERT INTO notifications (learner_id, seq, type, event_id, at, data) VALUES
              ('l1', 1, 'xp_granted', 'e1', '2026-11-01T00:00:00.25+02', '{"xp": 10}'),
              ('l1', 2, 'level_up', 'e1', '2026-11-01T00:00:00+02', '{"level": 2}')""").execute())
        .compose(v -> conn.query(v3 + v4 + later).execute())
        .compose(v -> conn.preparedQuery(Sql.IDLE_LEARNERS).execute(io.vertx.sqlclient.Tuple.of(
            java.time.OffsetDateTime.parse("2026-11-10T00:00:00Z"), java.time.OffsetDateTime.parse("2026-11-01T00:00:00Z"),
            10, null)))
        .compose(rows -> {
          rows.forEach(row -> idle.add(row.getString("tenant_id") + "/" + row.getString("learner_id")));
          return Future.succeededFuture();
        })
        .compose(v -> conn.preparedQuery(Sql.PENDING_FOR_LEARNERS)
            .execute(io.vertx.sqlclient.Tuple.of(new String[] {"default", "default"}, new String[] {"l1", "l2"}, 10)))
        .compose(rows -> {
          rows.forEach(row -> pending.add(row.getString("learner_id") + "/" + row.getLong("seq")));
          return conn.preparedQuery(Sql.EVENTS_BY_ID).execute(io.vertx.sqlclient.Tuple.tuple()
              .addValue(new String[] {"default", "default"}).addValue(new String[] {"e1", "e2"}));
        })
        .compose(rows -> {
          rows.forEach(row -> outcomes.add(row.getLong("seq") + "=" + row.getValue("outcome")));
          return conn.preparedQuery(Sql.NOTIFICATIONS_AFTER).execute(io.vertx.sqlclient.Tuple.of("default", "l1", 0, 10, 200));
        })
        .map(rows -> {
          rows.forEach(row -> {
            notifications.add(row.getValue("newest") + " " + row.getValue("frames"));
            // and the engine reads them
            io.learnquest.json.JsonMapping.fromJsonArray((io.vertx.core.json.JsonArray) row.getValue("frames"),
                io.learnquest.domain.notification.Notification.class).forEach(n -> read.add(n.seq() + " " + n.at()));
          });
          return rows;
        })
        .eventually(tx::rollback))));
    assertEquals(List.of("l1/2", "l2/3"), pending);
    assertEquals(List.of("default/l1"), idle);
    assertEquals(List.of("1={\"status\":\"processed\"}", "2=null"), outcomes.stream().sorted().toList());
    // each notification kept becomes a batch of its own, in the frames' form
    assertEquals(List.of(
        "2 [{\"seq\":1,\"type\":\"xp_granted\",\"learnerId\":\"l1\",\"eventId\":\"e1\","
            + "\"at\":\"2026-10-31T22:00:00.250000Z\",\"data\":{\"xp\":10}}]",
        "2 [{\"seq\":2,\"type\":\"level_up\",\"learnerId\":\"l1\",\"eventId\":\"e1\","
            + "\"at\":\"2026-10-31T22:00:00.000000Z\",\"data\":{\"level\":2}}]"), notifications);
    assertEquals(List.of("1 2026-10-31T22:00:00.250Z", "2 2026-10-31T22:00:00Z"), read);
  }

  /**
   * V15 on data written by V14: each learner's board rows become the "boards" of its document, which
   * the engine reads back whole; the rows' table is gone. Run in a schema of its own, rolled back.
   */
  @Test
  void boardTotalsMoveIntoTheLearnersDocuments() throws Exception {
    StringBuilder upToV14 = new StringBuilder();
    for (String script : Migrations.SCRIPTS.subList(0, 14)) {
      upToV14.append(Migrations.read(script));
    }
    String v15 = Migrations.read(Migrations.SCRIPTS.get(14));
    io.learnquest.domain.learner.Learner ana = new io.learnquest.domain.learner.Learner.Builder("ana").xp(52)
        .version(3).build();
    List<Object> read = new ArrayList<>();
    List<Object> tables = new ArrayList<>();
    TestEngine.await(pool.withConnection(conn -> conn.begin().compose(tx -> conn.query("""
            SET LOCAL client_min_messages TO warning; CREATE SCHEMA upgrade_v15; SET LOCAL search_path TO upgrade_v15""")
        .execute()
        .compose(v -> conn.query(upToV14.toString()).execute())
        .compose(v -> conn.preparedQuery("""
            INSERT INTO learners (tenant_id, learner_id, version, state, xp, last_activity_at, doc)
            VALUES ('t1', 'ana', 3, 'ONBOARDING', 52, NULL, $1::text::json),
              ('t1', 'bob', 1, 'ONBOARDING', 0, NULL, $2::text::json)""")
            .execute(io.vertx.sqlclient.Tuple.of(io.learnquest.json.JsonMapping.encode(ana),
                io.learnquest.json.JsonMapping.encode(new io.learnquest.domain.learner.Learner.Builder("bob")
                    .version(1).build()))))
        .compose(v -> conn.query("""
            INSERT INTO board_scores (tenant_id, board, learner_id, xp) VALUES
              ('t1', 'global/all-time', 'ana', 52), ('t1', 'global/2026-W48', 'ana', 40),
              ('t1', 'course:c1/2026-W47', 'ana', 12)""").execute())
        .compose(v -> conn.query(v15).execute())
        .compose(v -> conn.preparedQuery(Sql.LEARNERS_BY_ID).execute(io.vertx.sqlclient.Tuple.tuple()
            .addValue(new String[] {"t1", "t1"}).addValue(new String[] {"ana", "bob"})))
        .compose(rows -> {
          rows.forEach(row -> read.add(io.learnquest.json.JsonMapping.fromJson(PgEngineStore.object(row.getValue("doc")),
              io.learnquest.domain.learner.Learner.class)));
          return conn.query("SELECT count(*) FROM pg_tables WHERE tablename = 'board_scores' "
              + "AND schemaname = 'upgrade_v15'").execute();
        })
        .map(rows -> {
          tables.add(rows.iterator().next().getLong(0));
          return rows;
        })
        .eventually(tx::rollback))));
    java.util.Map<String, Long> boards = java.util.Map.of("global/all-time", 52L, "global/2026-W48", 40L,
        "course:c1/2026-W47", 12L);
    assertEquals(java.util.Set.of(ana.toBuilder().boards(boards).build(),
        new io.learnquest.domain.learner.Learner.Builder("bob").version(1).build()), java.util.Set.copyOf(read),
        "every other value of the learners as it was");
    assertEquals(List.of(0L), tables);
  }
}
