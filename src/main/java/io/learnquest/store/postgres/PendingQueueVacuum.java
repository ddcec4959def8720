package io.learnquest.store.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vacuums the pending events, the engine's queue, once enough rows have passed through it. Every
 * accepted event is inserted there and deleted once applied, thousands a second, and only a vacuum
 * takes the deleted rows out of the table and its index. Autovacuum looks at a database about once
 * a minute at best (and some servers run without it). In between, every statement that looks up a
 * learner's pending events reads past the dead rows; worse, the planner, seeing a few live rows in
 * thousands of pages, chose to scan the whole table for each appended event (measured on a server
 * without autovacuum: 3,265 pages read per lookup, appends of 6 ms, and a node that stopped
 * keeping up for 53 s). Vacuumed every 5,000 dead rows the table stayed about a hundred pages, and
 * either plan is cheap.
 *
 * <p>{@code SKIP_LOCKED}: when autovacuum or another node is vacuuming it, this pass skips it.
 * {@code TRUNCATE false}: giving the emptied pages at the table's end back to the file system takes
 * a lock that stops every append and commit until it is done (measured: vacuums of 190 to 320 ms
 * under load instead of about 6), and the next burst needs the pages again.
 * VACUUM needs the table's owner (or the database's, a superuser, or from PostgreSQL 17 the
 * MAINTAIN privilege), which the engine's user is when it creates its schema. A server refuses any
 * other user with a warning, not an error, and vacuums nothing; so before its first vacuum the node
 * asks whether it may, and if not logs that once and leaves the table to autovacuum
 * (docs/deployment.md) instead of having the server's warning logged every second.
 */
public final class PendingQueueVacuum {
  private static final Logger LOG = LoggerFactory.getLogger(PendingQueueVacuum.class);
  static final String TABLE = "pending_events";
  /** Dead rows that make a vacuum due: a second or two of traffic at a few thousand events a second. */
  static final long DEAD_ROWS = 5_000;
  /** How often the dead rows are counted; one cheap query on the statistics view. */
  public static final long CHECK_INTERVAL_MS = 1_000;

  private static final String DEAD_ROWS_OF = """
      SELECT n_dead_tup FROM pg_stat_user_tables WHERE schemaname = current_schema() AND relname = $1""";

  /** Whether the current user may vacuum the table ($1), as PostgreSQL decides it. */
  private static final String MAY_VACUUM = """
      SELECT pg_has_role(current_user, c.relowner, 'USAGE') OR pg_has_role(current_user, d.datdba, 'USAGE')
        OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
        OR CASE WHEN current_setting('server_version_num')::int >= 170000
             THEN has_table_privilege(c.oid, 'MAINTAIN') ELSE false END
      FROM pg_class c, pg_database d
      WHERE c.oid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident($1))
        AND d.datname = current_database()""";

  private final Pool pool;
  private final String table;
  private final long deadRows;
  private boolean running;
  /** Whether this node may vacuum the table: null until asked, before the first vacuum. */
  private volatile Boolean permitted;

  public PendingQueueVacuum(Pool pool) {
    this(pool, TABLE, DEAD_ROWS);
  }

  /** {@code table}: a table of the engine's schema used as a queue; {@code deadRows}: how many make a vacuum due. */
  PendingQueueVacuum(Pool pool, String table, long deadRows) {
    this.pool = pool;
    this.table = table;
    this.deadRows = deadRows;
  }

  /** Vacuums the table if it holds at least the threshold of dead rows; answers whether it did. */
  public Future<Boolean> vacuumIfDue() {
    if (running || Boolean.FALSE.equals(permitted)) {
      return Future.succeededFuture(false);
    }
    running = true;
    return pool.preparedQuery(DEAD_ROWS_OF).execute(Tuple.of(table))
        .compose(rows -> {
          long dead = rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
          if (dead < deadRows) {
            return Future.succeededFuture(false);
          }
          return permitted().compose(may -> !may ? Future.succeededFuture(false)
              : pool.query("VACUUM (SKIP_LOCKED, TRUNCATE false) " + Sql.identifier(table)).execute()
                  .map(done -> {
                    LOG.debug("Vacuumed {} ({} dead rows)", table, dead);
                    return true;
                  }));
        })
        .andThen(ar -> running = false);
  }

  /** Whether the server refuses this node's vacuums of the table (the node then stopped trying). */
  public boolean refused() {
    return Boolean.FALSE.equals(permitted);
  }

  /** Whether this node may vacuum the table, asked once. */
  private Future<Boolean> permitted() {
    if (permitted != null) {
      return Future.succeededFuture(permitted);
    }
    return pool.preparedQuery(MAY_VACUUM).execute(Tuple.of(table)).map(rows -> {
      permitted = rows.size() == 1 && Boolean.TRUE.equals(rows.iterator().next().getBoolean(0));
      if (!permitted) {
        LOG.warn("This node's database user may not vacuum {}: the node leaves it to autovacuum; give the user "
            + "the table's ownership for the node to vacuum it every {} dead rows (docs/deployment.md)", table,
            deadRows);
      }
      return permitted;
    });
  }
}
