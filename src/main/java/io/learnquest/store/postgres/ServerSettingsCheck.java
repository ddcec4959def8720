package io.learnquest.store.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL settings the engine's write load needs, asked once when a node starts: advice for the
 * operator's log, never a refusal (the server is theirs).
 *
 * <p>{@code max_wal_size}: the engine writes about 5 KB of WAL per event; with the server's default
 * of 1 GB a checkpoint then starts every minute or two under a couple of thousand events a second,
 * and after each start every page written first goes to the WAL whole. Measured at 1,950 events/s
 * on two cores, every run with such a checkpoint had 3.2 times the p99 latency of the runs without
 * (docs/benchmarks.md). {@code autovacuum}: every event updates its learner's row and its event's row,
 * and only a vacuum reclaims the old versions (the node vacuums only its queue of pending events).
 */
public final class ServerSettingsCheck {
  /** Enough that checkpoints come from {@code checkpoint_timeout} (5 min) at a few thousand events a second. */
  static final long MIN_MAX_WAL_SIZE = 4L << 30;

  private static final String SETTINGS =
      "SELECT pg_size_bytes(current_setting('max_wal_size')), current_setting('autovacuum')";

  private ServerSettingsCheck() {
  }

  /** What to tell the operator about the server this client reaches: one line per setting to change. */
  public static Future<List<String>> advice(SqlClient client) {
    return client.query(SETTINGS).execute().map(rows -> {
      Row row = rows.iterator().next();
      return advice(row.getLong(0), "on".equals(row.getString(1)));
    });
  }

  static List<String> advice(long maxWalSize, boolean autovacuum) {
    List<String> advice = new ArrayList<>();
    if (maxWalSize < MIN_MAX_WAL_SIZE) {
      advice.add("PostgreSQL's max_wal_size is " + (maxWalSize >> 20) + " MB: under a couple of thousand events a"
          + " second a checkpoint then starts every minute or two, and each one slows the events (in a benchmark,"
          + " 3.2 times the p99 latency); set it to at least " + (MIN_MAX_WAL_SIZE >> 30)
          + " GB (docs/deployment.md, \"Sizing\")");
    }
    if (!autovacuum) {
      advice.add("PostgreSQL's autovacuum is off: every event updates its learner's row and its event's row, and"
          + " only a vacuum reclaims the old versions, so those tables and their lookups grow without end; turn it on"
          + " (docs/deployment.md, \"Sizing\")");
    }
    return advice;
  }
}
