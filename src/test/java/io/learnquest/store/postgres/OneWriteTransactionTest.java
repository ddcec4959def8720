package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SqlClientInternal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A transaction sent in one write commits whole or not at all, answers in order, reports its first
 * failure, and leaves its connection out of any transaction. The pool has one connection, as the
 * engine's pools have prepared statements cached, so every transaction here runs on the connection
 * the one before it used.
 */
class OneWriteTransactionTest {
  private static final String INSERT = "INSERT INTO one_write_probe (k, v) VALUES ($1, $2) RETURNING k";
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    TestStores.migratedPool(vertx);
    PgConnectOptions options = TestStores.connectOptions(TestStores.postgresConfig().postgres().user())
        .setCachePreparedStatements(true);
    pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(options).using(vertx).build();
    TestEngine.await(pool.query("CREATE TABLE IF NOT EXISTS one_write_probe (k TEXT PRIMARY KEY, v INTEGER)").execute());
  }

  @AfterAll
  static void close() {
    TestEngine.await(pool.query("DROP TABLE IF EXISTS one_write_probe").execute());
    TestEngine.await(vertx.close());
  }

  @BeforeEach
  void empty() {
    TestEngine.await(pool.query("TRUNCATE one_write_probe").execute());
  }

  @Test
  void itsStatementsCommitTogetherAndAnswerInOrder() {
    List<RowSet<Row>> answers = TestEngine.await(OneWriteTransaction.run(pool, List.of(insert("a", 1), insert("b", 2),
        new OneWriteTransaction.Statement("SELECT sum(v) FROM one_write_probe", Tuple.tuple()))));

    assertEquals(3, answers.size());
    assertEquals("a", answers.get(0).iterator().next().getString(0));
    assertEquals("b", answers.get(1).iterator().next().getString(0));
    assertEquals(3L, answers.get(2).iterator().next().getLong(0), "a statement sees the ones before it");
    assertEquals(List.of("a", "b"), keys());
  }

  @Test
  void aGuardThatFailsKeepsNothingOfTheTransactionAndIsItsAnswer() {
    Throwable failure = failureOf(OneWriteTransaction.run(pool, List.of(insert("a", 1),
        new OneWriteTransaction.Statement("SELECT lq_guard(count(*) = $1, 'two rows expected') FROM one_write_probe",
            Tuple.of(2L)),
        insert("b", 2))));

    PgException pg = assertInstanceOf(PgException.class, failure);
    assertEquals(PgEngineStore.GUARD_FAILED, pg.getSqlState());
    assertEquals("two rows expected", pg.getErrorMessage());
    assertEquals(List.of(), keys(), "neither the row before the guard nor the one after it");
  }

  @Test
  void theFirstFailureIsTheAnswerNotTheAbortedStatementsAfterIt() {
    TestEngine.await(OneWriteTransaction.run(pool, List.of(insert("a", 1))));

    Throwable failure = failureOf(OneWriteTransaction.run(pool, List.of(insert("b", 2), insert("a", 3),
        insert("c", 4))));

    assertEquals("23505", assertInstanceOf(PgException.class, failure).getSqlState(), "the duplicate key");
    assertEquals(List.of("a"), keys());
  }

  @Test
  void aFailedTransactionLeavesItsConnectionReadyForTheNext() {
    failureOf(OneWriteTransaction.run(pool, List.of(insert("a", 1), insert("a", 2))));
    TestEngine.await(OneWriteTransaction.run(pool, List.of(insert("b", 2))));

    // On the same connection: were it still in the aborted transaction, this would fail; were it in
    // any transaction, the row would not be visible to the next connection's read.
    assertEquals(List.of("b"), keys());
    assertEquals("idle", TestEngine.await(pool.withConnection(conn ->
        conn.query("SELECT CASE WHEN now() = statement_timestamp() THEN 'idle' ELSE 'in a transaction' END").execute()
            .map(rows -> rows.iterator().next().getString(0)))));
  }

  @Test
  void theEnginesPooledConnectionsSendAGroupInOneWrite() {
    SqlConnection conn = TestEngine.await(pool.getConnection());
    try {
      assertTrue(conn instanceof SqlClientInternal,
          "a pooled connection offers the client's grouping; without it every statement is a write of its own");
    } finally {
      TestEngine.await(conn.close());
    }
  }

  private static OneWriteTransaction.Statement insert(String key, int value) {
    return new OneWriteTransaction.Statement(INSERT, Tuple.of(key, value));
  }

  private static Throwable failureOf(Future<?> future) {
    Throwable failure = TestEngine.await(future.transform(done -> Future.succeededFuture(done.cause())));
    assertTrue(failure != null, "the transaction failed");
    return failure;
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    TestEngine.await(pool.query("SELECT k FROM one_write_probe ORDER BY k").execute())
        .forEach(row -> keys.add(row.getString(0)));
    return keys;
  }
}
