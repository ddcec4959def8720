package io.learnquest.store.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the planner's table statistics current while the engine's tables grow fast. Autovacuum
 * looks at a database about once a minute at best (and some servers run without it, this
 * project's CI among them), so a fresh deployment under load runs for minutes on
 * statistics taken when its tables were nearly empty: the planner then picks sequential scans and
 * hash joins for the per-learner statements (a notification trim scanning the whole table per
 * commit), and measured throughput halves. This analyzes every table of the engine's schema that
 * holds more than twice the rows the planner believes (its estimate from the last analysis or
 * vacuum): a few times while a table grows from empty, then no more. Updates alone never trigger
 * it (the learners table is updated by every event without growing), since an ANALYZE costs the
 * engine a visible latency spike on a busy machine.
 */
public final class PlannerStatistics {
  private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
  /** Below this many rows the planner's picture cannot be far off in absolute terms. */
  static final long MIN_ROWS = 1_000;
  /** How often the growth is checked; one cheap query on the statistics view. */
  public static final long CHECK_INTERVAL_MS = 5_000;

  private static final String STALE_TABLES = """
      SELECT s.relname FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.schemaname = current_schema() AND s.n_live_tup >= $1 AND s.n_live_tup > 2 * GREATEST(c.reltuples, 0)""";

  private final Pool pool;
  private boolean running;

  public PlannerStatistics(Pool pool) {
    this.pool = pool;
  }

  /** Analyzes the tables whose statistics went stale; answers their names (empty when none). */
  public Future<List<String>> refresh() {
    if (running) {
      return Future.succeededFuture(List.of());
    }
    running = true;
    return pool.preparedQuery(STALE_TABLES).execute(Tuple.of(MIN_ROWS))
        .compose(rows -> {
          List<String> tables = new ArrayList<>();
          for (Row row : rows) {
            tables.add(row.getString("relname"));
          }
          if (tables.isEmpty()) {
            return Future.succeededFuture(tables);
          }
          String list = String.join(", ", tables.stream().map(Sql::identifier).toList());
          return pool.query("ANALYZE " + list).execute().map(done -> {
            LOG.info("Refreshed planner statistics of {} (they more than doubled since the last)", tables);
            return tables;
          });
        })
        .andThen(ar -> running = false);
  }
}
