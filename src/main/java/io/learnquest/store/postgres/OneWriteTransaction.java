package io.learnquest.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.impl.SqlClientInternal;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction whose statements go to PostgreSQL in one write: BEGIN, the statements and COMMIT,
 * with COMMIT sent right behind them instead of once they are answered. A commit then costs one
 * round trip, where {@code Transaction.commit()} waits for every answer before it sends COMMIT, and
 * one write instead of one per statement: at a moderate load, where a group commit holds a few
 * events, the writes and the wake-ups they cause on the other side were a visible part of both
 * processes' CPU (docs/benchmarks.md).
 *
 * <p>Nothing is decided between the statements, so every check must fail inside PostgreSQL
 * ({@link Sql#guarded}). When a statement fails, the ones after it fail too (the transaction is
 * aborted) and COMMIT ends it as a rollback; the answer is then the first failure, and nothing of
 * the transaction is kept.
 *
 * <p>The single write uses the SQL client's grouping ({@link SqlClientInternal#group}: its queries
 * flush once, after the block), which the client marks experimental; on a connection without it, the
 * same statements go one write each, still in one round trip.
 */
final class OneWriteTransaction {
  private OneWriteTransaction() {
  }

  /** A statement and its parameters. */
  record Statement(String sql, Tuple parameters) {
  }

  /** The statements' results in order, once COMMIT succeeded; the first failure otherwise. */
  static Future<List<RowSet<Row>>> run(Pool pool, List<Statement> statements) {
    return pool.withConnection(conn -> {
      List<Future<RowSet<Row>>> answers = new ArrayList<>(statements.size() + 2);
      Handler<SqlClient> send = client -> {
        // BEGIN fails only with its connection, and then so does everything sent behind it.
        answers.add(client.query("BEGIN").execute());
        statements.forEach(s -> answers.add(client.preparedQuery(s.sql()).execute(s.parameters())));
        answers.add(client.query("COMMIT").execute());
      };
      if (conn instanceof SqlClientInternal grouping) {
        grouping.group(send);
      } else {
        send.handle(conn);
      }
      return Future.join(answers).transform(done -> {
        for (Future<RowSet<Row>> answer : answers) {
          if (answer.failed()) {
            return Future.failedFuture(answer.cause());
          }
        }
        return Future.succeededFuture(answers.subList(1, answers.size() - 1).stream().map(Future::result).toList());
      });
    });
  }
}
