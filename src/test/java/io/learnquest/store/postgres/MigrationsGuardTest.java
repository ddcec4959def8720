package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.EngineConfig;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migrations keep each script's checksum, and refuse a schema this build does not know: one
 * migrated by a newer build, or by a script edited after it was applied. Each test migrates a
 * schema of its own in the test database, dropped afterwards.
 */
class MigrationsGuardTest {
  private Vertx vertx;
  private Pool admin;
  private Pool pool;
  private String schema;

  @BeforeEach
  void freshSchema() {
    vertx = Vertx.vertx();
    admin = TestStores.migratedPool(vertx);
    schema = "lq_migrations_" + UUID.randomUUID().toString().replace("-", "");
    TestEngine.await(admin.query("CREATE SCHEMA " + schema).execute());
    EngineConfig.PostgresSettings pg = TestStores.postgresConfig().postgres();
    PgConnectOptions options = new PgConnectOptions().setHost(pg.host()).setPort(pg.port())
        .setDatabase(pg.database()).setUser(pg.user()).addProperty("search_path", schema);
    if (!pg.password().isEmpty()) {
      options.setPassword(pg.password());
    }
    pool = PgBuilder.pool().connectingTo(options).using(vertx).build();
    assertEquals(Migrations.SCRIPTS.size(), TestEngine.await(Migrations.migrate(vertx, pool)));
  }

  @AfterEach
  void dropSchema() {
    TestEngine.await(admin.query("DROP SCHEMA " + schema + " CASCADE").execute());
    TestEngine.await(vertx.close());
  }

  private List<String> column(String sql) {
    List<String> values = new ArrayList<>();
    TestEngine.await(pool.query(sql).execute()).forEach(row -> values.add(String.valueOf(row.getValue(0))));
    return values;
  }

  private Throwable refusal() {
    Throwable e = assertThrows(Throwable.class, () -> TestEngine.await(Migrations.migrate(vertx, pool)));
    return assertInstanceOf(Migrations.SchemaMismatchException.class, e instanceof Migrations.SchemaMismatchException
        ? e : e.getCause());
  }

  @Test
  void eachAppliedScriptIsRecordedWithItsSha256() throws Exception {
    List<String> expected = new ArrayList<>();
    for (String script : Migrations.SCRIPTS) {
      expected.add(Migrations.checksum(Migrations.read(script)));
    }
    assertEquals(expected, column("SELECT checksum FROM schema_migrations ORDER BY version"));
    assertEquals(64, expected.get(0).length());
  }

  @Test
  void aSchemaNewerThanTheBuildIsRefusedAndLeftAsItIs() {
    int next = Migrations.SCRIPTS.size() + 1;
    TestEngine.await(pool.query("INSERT INTO schema_migrations (version, name, checksum) VALUES (" + next
        + ", 'V" + next + "__from_a_newer_build.sql', 'abc')").execute());
    Throwable e = refusal();
    assertTrue(e.getMessage().startsWith("the database schema is at version " + next + " (V" + next
        + "__from_a_newer_build.sql), newer than this build, which knows versions 1 to "
        + Migrations.SCRIPTS.size()), e.getMessage());
    assertEquals(next, column("SELECT version FROM schema_migrations ORDER BY version").size());
  }

  @Test
  void aScriptEditedAfterItWasAppliedIsRefused() {
    TestEngine.await(pool.query("UPDATE schema_migrations SET checksum = 'not-this-one' WHERE version = 2")
        .execute());
    Throwable e = refusal();
    assertTrue(e.getMessage().startsWith("migration " + Migrations.SCRIPTS.get(1)
        + " changed since it was applied (checksum not-this-one"), e.getMessage());
  }

  @Test
  void checksumsMissingFromAnOlderBuildAreFilledIn() throws Exception {
    TestEngine.await(pool.query("UPDATE schema_migrations SET checksum = NULL").execute());
    assertEquals(0, TestEngine.await(Migrations.migrate(vertx, pool)));
    assertEquals(Migrations.checksum(Migrations.read(Migrations.SCRIPTS.get(0))),
        column("SELECT checksum FROM schema_migrations WHERE version = 1").get(0));
    assertEquals(List.of(), column("SELECT version FROM schema_migrations WHERE checksum IS NULL"));
  }
}
