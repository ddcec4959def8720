package io.learnquest.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, applied at start-up in order, each once: the applied versions are
 * recorded in {@code schema_migrations} with each script's SHA-256, and an advisory lock keeps two
 * starting nodes from migrating at the same time. A database migrated by a newer build, or by an
 * edited script, is refused rather than misread.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  /** In order; a migration is never edited once released, only followed by a new one. */
  static final List<String> SCRIPTS = List.of("V1__create_schema.sql", "V2__light_statistics.sql",
      "V3__events_written_once.sql", "V4__learner_updates_in_place.sql", "V5__quarantined_events.sql",
      "V6__fair_play_flags.sql",
      "V7__badge_retirement.sql", "V8__tenants_and_keys.sql", "V9__event_voids.sql", "V10__tenant_data.sql",
      "V11__guards_inside_the_commit.sql", "V12__keys_compared_byte_by_byte.sql",
      "V13__documents_stored_as_written.sql", "V14__notifications_one_row_per_commit.sql",
      "V15__board_totals_in_the_learner.sql");
  static final long ADVISORY_LOCK = 0x4c51_4d49_4752L; // "LQMIGR"

  private Migrations() {
  }

  public static Future<Integer> migrate(Vertx vertx, Pool pool) {
    // client_min_messages: "already exists, skipping" notices are expected here, not news.
    return pool.getConnection().compose(conn -> conn.query("SET client_min_messages TO warning").execute()
        .compose(v -> conn.query("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")").execute())
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            + "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT").execute())
        .compose(v -> conn.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version").execute())
        .compose(rows -> vertx.executeBlocking(() -> verify(rows)))
        .compose(recorded -> backfill(conn, recorded).map(v -> recorded.size()))
        .compose(current -> applyFrom(vertx, conn, current, 0))
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")").execute()
            .eventually(conn::close)));
  }

  /** One row of {@code schema_migrations}; {@code checksum} is null for rows older builds wrote. */
  record Applied(int version, String name, String checksum) {
  }

  /**
   * Checks what the database holds against this build, before touching anything: a version this
   * build does not know (the schema is newer: a later build migrated it, and this one would
   * misread it) stops start-up, and so does a known version whose script was changed since it was
   * applied. Returns the rows, in order.
   */
  static List<Applied> verify(RowSet<Row> rows) throws IOException {
    List<Applied> recorded = new ArrayList<>();
    for (Row row : rows) {
      recorded.add(new Applied(row.getInteger("version"), row.getString("name"), row.getString("checksum")));
    }
    for (int i = 0; i < recorded.size(); i++) {
      Applied applied = recorded.get(i);
      if (applied.version() > SCRIPTS.size()) {
        throw new SchemaMismatchException("the database schema is at version " + recorded.get(recorded.size() - 1)
            .version() + " (" + recorded.get(recorded.size() - 1).name() + "), newer than this build, which knows "
            + "versions 1 to " + SCRIPTS.size() + ": run a build that knows it, or restore a matching backup");
      }
      if (applied.version() != i + 1) {
        throw new SchemaMismatchException("schema_migrations skips from version " + i + " to " + applied.version());
      }
      String script = SCRIPTS.get(i);
      if (!script.equals(applied.name())) {
        throw new SchemaMismatchException("migration " + applied.version() + " was applied as " + applied.name()
            + " but this build calls it " + script);
      }
      if (applied.checksum() != null && !applied.checksum().equals(checksum(read(script)))) {
        throw new SchemaMismatchException("migration " + script + " changed since it was applied (checksum "
            + applied.checksum() + ", this build's " + checksum(read(script)) + "); a released migration is never "
            + "edited, only followed by a new one");
      }
    }
    return recorded;
  }

  /** Records the checksums of migrations applied before checksums were kept. */
  private static Future<Void> backfill(SqlConnection conn, List<Applied> recorded) {
    Future<Void> done = Future.succeededFuture();
    for (Applied applied : recorded) {
      if (applied.checksum() == null) {
        done = done.compose(v -> {
          try {
            return conn.preparedQuery("UPDATE schema_migrations SET checksum = $1 WHERE version = $2")
                .execute(Tuple.of(checksum(read(applied.name())), applied.version())).mapEmpty();
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
        });
      }
    }
    return done;
  }

  /** SHA-256 of a script's text, in hex. */
  static String checksum(String sql) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The schema in the database does not belong to this build: starting would corrupt or misread it. */
  public static final class SchemaMismatchException extends RuntimeException {
    SchemaMismatchException(String message) {
      super(message);
    }
  }

  private static Future<Integer> applyFrom(Vertx vertx, SqlConnection conn, int current, int applied) {
    if (current >= SCRIPTS.size()) {
      return Future.succeededFuture(applied);
    }
    String name = SCRIPTS.get(current);
    int version = current + 1;
    return vertx.executeBlocking(() -> read(name))
        .compose(sql -> conn.begin().compose(tx -> conn.query(sql).execute()
            .compose(v -> conn.preparedQuery(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)")
                .execute(Tuple.of(version, name, checksum(sql))))
            .compose(v -> tx.commit())
            .onFailure(e -> tx.rollback())))
        .onSuccess(v -> LOG.info("Applied migration {}", name))
        .compose(v -> applyFrom(vertx, conn, version, applied + 1));
  }

  static String read(String name) throws IOException {
    try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + name)) {
      if (in == null) {
        throw new IOException("migration " + name + " is missing from the classpath");
      }
      return Buffer.buffer(in.readAllBytes()).toString(StandardCharsets.UTF_8);
    }
  }
}
