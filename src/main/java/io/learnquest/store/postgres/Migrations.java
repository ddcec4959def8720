package io.learnquest.store.postgres;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, applied at start-up in order, each once: the applied versions are
 * recorded in {@code schema_migrations}, and an advisory lock keeps two starting nodes from
 * migrating at the same time.
 */
public final class Migrations {
  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  /** In order; a migration is never edited once released, only followed by a new one. */
  static final List<String> SCRIPTS = List.of("V1__create_schema.sql", "V2__light_statistics.sql",
      "V3__events_written_once.sql", "V4__learner_updates_in_place.sql");
  static final long ADVISORY_LOCK = 0x4c51_4d49_4752L; // "LQMIGR"

  private Migrations() {
  }

  public static Future<Integer> migrate(Vertx vertx, Pool pool) {
    // client_min_messages: "already exists, skipping" notices are expected here, not news.
    return pool.getConnection().compose(conn -> conn.query("SET client_min_messages TO warning").execute()
        .compose(v -> conn.query("SELECT pg_advisory_lock(" + ADVISORY_LOCK + ")").execute())
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            + "name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").execute())
        .compose(rows -> applyFrom(vertx, conn, rows.iterator().next().getInteger(0), 0))
        .eventually(() -> conn.query("SELECT pg_advisory_unlock(" + ADVISORY_LOCK + ")").execute()
            .eventually(conn::close)));
  }

  private static Future<Integer> applyFrom(Vertx vertx, SqlConnection conn, int current, int applied) {
    if (current >= SCRIPTS.size()) {
      return Future.succeededFuture(applied);
    }
    String name = SCRIPTS.get(current);
    int version = current + 1;
    return vertx.executeBlocking(() -> read(name))
        .compose(sql -> conn.begin().compose(tx -> conn.query(sql).execute()
            .compose(v -> conn.preparedQuery("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                .execute(Tuple.of(version, name)))
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
