package io.learnquest.support;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.learnquest.store.Stores;
import io.learnquest.store.StoreFactory;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import java.util.UUID;

/**
 * Durable stores for tests: their own database ({@code learnquest_test}, or $TEST_PG_DATABASE) and
 * their own Redis key prefix, so tests never touch a running engine's data.
 */
public final class TestStores {
  public static final String TEST_DATABASE = System.getenv().getOrDefault("TEST_PG_DATABASE", "learnquest_test");

  /** The Redis server of the tests: REDIS_HOST and REDIS_PORT, as an engine reads them, else the local one. */
  public static final String REDIS_HOST = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
  public static final int REDIS_PORT = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));

  private TestStores() {
  }

  /** The connection string of the tests' Redis server. */
  public static String redisUrl() {
    return "redis://" + REDIS_HOST + ":" + REDIS_PORT;
  }

  /** A client's options for the tests' Redis server, in the protocol the engine speaks (RESP2). */
  public static RedisOptions redisOptions() {
    return new RedisOptions().setConnectionString(redisUrl()).setPreferredProtocolVersion(ProtocolVersion.RESP2);
  }

  /** A Redis key prefix no other test uses: {@code lqtest:<random UUID>:}, the server being shared. */
  public static String freshRedisKeyPrefix() {
    return "lqtest:" + UUID.randomUUID() + ":";
  }

  /** The environment that points an engine at the test database and a fresh Redis prefix. */
  public static Map<String, String> postgresEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("STORE", "postgres");
    env.put("PG_DATABASE", TEST_DATABASE);
    env.put("REDIS_KEY_PREFIX", freshRedisKeyPrefix());
    for (String passthrough : new String[] {"PG_HOST", "PG_PORT", "PG_USER", "PG_PASSWORD", "REDIS_HOST",
        "REDIS_PORT"}) {
      String value = System.getenv(passthrough);
      if (value != null) {
        env.put(passthrough, value);
      }
    }
    return env;
  }

  public static EngineConfig postgresConfig() {
    return ConfigLoader.load(Path.of("conf"), postgresEnv());
  }

  /** Empties every table of the test database but the migrations' record (the schema stays). */
  public static void truncate(Pool pool) {
    TestEngine.await(pool.query("""
        DO $$ DECLARE tables text; BEGIN
          SELECT string_agg(quote_ident(tablename), ', ') INTO tables FROM pg_tables
          WHERE schemaname = 'public' AND tablename <> 'schema_migrations';
          IF tables IS NOT NULL THEN EXECUTE 'TRUNCATE ' || tables || ' RESTART IDENTITY'; END IF;
        END $$""").execute());
  }

  /** Empties the test database if it exists (a first run creates it when the engine starts). */
  public static void emptyTestDatabase() {
    withPool(pool -> {
      try {
        truncate(pool);
      } catch (RuntimeException | AssertionError noSchemaYet) {
        // first run: the engine creates and migrates the database itself
      }
      return null;
    });
  }

  /** Runs one query on the test database and returns its rows. */
  public static List<Row> query(String sql) {
    return withPool(pool -> {
      List<Row> rows = new ArrayList<>();
      TestEngine.await(pool.query(sql).execute()).forEach(rows::add);
      return rows;
    });
  }

  private static <T> T withPool(Function<Pool, T> work) {
    Vertx vertx = Vertx.vertx();
    try {
      return work.apply(pool(vertx));
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  /** A pool on the test database with the engine's schema migrated, for tests of the schema itself. */
  public static Pool migratedPool(Vertx vertx) {
    create(vertx, postgresConfig());
    return pool(vertx);
  }

  /** A pool on the test database, for a test's own statements beside the engine's. */
  public static Pool pool(Vertx vertx) {
    return pool(vertx, postgresConfig().postgres().user());
  }

  /** A pool on the test database as {@code user} (the configured password goes with the configured user only). */
  public static Pool pool(Vertx vertx, String user) {
    return PgBuilder.pool().connectingTo(connectOptions(user)).using(vertx).build();
  }

  /** The test database as {@code user} (the configured password goes with the configured user only). */
  public static PgConnectOptions connectOptions(String user) {
    EngineConfig.PostgresSettings pg = postgresConfig().postgres();
    PgConnectOptions options = new PgConnectOptions().setHost(pg.host()).setPort(pg.port())
        .setDatabase(pg.database()).setUser(user);
    if (user.equals(pg.user()) && !pg.password().isEmpty()) {
      options.setPassword(pg.password());
    }
    return options;
  }

  public static Stores create(Vertx vertx, EngineConfig config) {
    return TestEngine.await(StoreFactory.create(vertx, config, java.time.Clock.systemUTC()));
  }
}
