package io.learnquest.store;

import io.learnquest.config.EngineConfig;
import io.learnquest.store.memory.MemoryAuthStore;
import io.learnquest.domain.Tenants;
import io.learnquest.store.memory.MemoryBadgeCatalogStore;
import io.learnquest.store.memory.MemoryConnectionLeases;
import io.learnquest.store.memory.MemoryEngineStore;
import io.learnquest.store.memory.MemoryLeaderboardStore;
import io.learnquest.store.memory.MemoryRateLimitStore;
import io.learnquest.store.postgres.Migrations;
import io.learnquest.store.postgres.PgAuthStore;
import io.learnquest.store.postgres.PgBadgeCatalogStore;
import io.learnquest.store.postgres.PgEngineStore;
import io.learnquest.store.postgres.PendingQueueVacuum;
import io.learnquest.store.postgres.PlannerStatistics;
import io.learnquest.store.postgres.ServerSettingsCheck;
import io.learnquest.store.redis.RedisConnectionLeases;
import io.learnquest.store.redis.RedisLeaderboardStore;
import io.learnquest.store.redis.RedisRateLimitStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlClient;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.SslMode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the adapters that {@code store} in the configuration names. */
public final class StoreFactory {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFactory.class);
  private static final String NO_SUCH_DATABASE = "3D000";
  /** How long to wait for a store connection before answering "unavailable" (503). */
  static final int STORE_TIMEOUT_SECONDS = 3;
  static final int STATEMENT_TIMEOUT_MS = 5_000;

  private StoreFactory() {
  }

  public static Future<Stores> create(Vertx vertx, EngineConfig config, Clock clock) {
    return switch (config.store()) {
      case "memory" -> {
        MemoryEngineStore engine = new MemoryEngineStore(clock, config.notificationHistory(),
            config.memory().maxLearners(), config.memory().maxEvents());
        yield Future.succeededFuture(new Stores(engine, engine,
            new MemoryLeaderboardStore(config.redis().weeklyRetentionWeeks(), clock),
            new MemoryBadgeCatalogStore(config.badgeCatalog()), new MemoryAuthStore(), new MemoryRateLimitStore(),
            new MemoryConnectionLeases()));
      }
      case "postgres" -> durable(vertx, config, clock);
      default -> Future.failedFuture(new IllegalArgumentException("unknown store " + config.store()));
    };
  }

  /**
   * PostgreSQL (created and migrated if needed) for the truth, Redis for the leaderboards, and for
   * the rate budgets and connection leases when nodes share them ({@link #sharesNodeLimits}).
   */
  private static Future<Stores> durable(Vertx vertx, EngineConfig config, Clock clock) {
    EngineConfig.PostgresSettings pg = config.postgres();
    PgConnectOptions connect = connectOptions(pg, pg.database());
    return ensureDatabase(vertx, pg).compose(v -> {
      // Transactions take a connection each; single statements share pipelined connections.
      Pool pool = PgBuilder.pool().with(poolOptions(pg, "learnquest-pg")).with(netOptions())
          .connectingTo(connect).using(vertx).build();
      SqlClient client = PgBuilder.client().with(poolOptions(pg, "learnquest-pg-pipelined")).with(netOptions())
          .connectingTo(connect).using(vertx).build();
      EngineConfig.RedisSettings rs = config.redis();
      RedisClients redis = redisClients(vertx, rs);
      PgEngineStore engine = new PgEngineStore(pool, client, clock, config.notificationHistory(),
          pg.groupCommitMax());
      PgBadgeCatalogStore catalog = new PgBadgeCatalogStore(pool, config.badgeCatalog());
      boolean shared = sharesNodeLimits(config);
      PlannerStatistics statistics = new PlannerStatistics(pool);
      PendingQueueVacuum queueVacuum = new PendingQueueVacuum(pool);
      AtomicLong statisticsTimer = new AtomicLong(-1);
      AtomicLong vacuumTimer = new AtomicLong(-1);
      Supplier<Future<Void>> close = () -> {
        vertx.cancelTimer(statisticsTimer.get());
        vertx.cancelTimer(vacuumTimer.get());
        return Future.join(pool.close(), client.close(), redis.boards().close(), redis.limits().close()).mapEmpty();
      };
      return Migrations.migrate(vertx, pool)
          .compose(applied -> catalog.seed(Tenants.DEFAULT))
          .onSuccess(ready -> ServerSettingsCheck.advice(pool)
              .onSuccess(advice -> advice.forEach(LOG::warn))
              .onFailure(e -> LOG.debug("PostgreSQL's settings not checked: {}", e.toString())))
          .onSuccess(ready -> statisticsTimer.set(vertx.setPeriodic(PlannerStatistics.CHECK_INTERVAL_MS,
              id -> statistics.refresh()
                  .onFailure(e -> LOG.debug("Planner statistics not refreshed: {}", e.toString())))))
          .onSuccess(ready -> vacuumTimer.set(vertx.setPeriodic(PendingQueueVacuum.CHECK_INTERVAL_MS,
              id -> queueVacuum.vacuumIfDue()
                  .onFailure(e -> LOG.debug("Pending events not vacuumed: {}", e.toString())))))
          .map(seeded -> new Stores(engine, engine,
              new RedisLeaderboardStore(redis.boards(), rs.keyPrefix(), rs.weeklyRetentionWeeks(), clock), catalog,
              new PgAuthStore(pool), shared ? new RedisRateLimitStore(redis.limits(), rs.keyPrefix())
                  : new MemoryRateLimitStore(),
              shared ? new RedisConnectionLeases(redis.limits(), rs.keyPrefix()) : new MemoryConnectionLeases(), close))
          // A node that cannot start must not keep its connections open either.
          .onFailure(e -> close.get());
    });
  }

  /**
   * Whether this node's rate budgets and push connection leases must be shared with other nodes,
   * and so live in Redis: when it is clustered. A node that is not clustered serves every request of
   * its engine itself (its outcomes and live notifications reach no other node either), so its heap
   * holds them exactly, as in the embedded default, without a Redis call on every request
   * (docs/api.md, "Limits").
   */
  static boolean sharesNodeLimits(EngineConfig config) {
    return config.cluster().enabled();
  }

  /**
   * The Redis clients of a node. A pooled connection serves one call at a time, until its answer:
   * the leaderboards' calls (a group of writes, a rebuild's page, a board read) would hold
   * connections that a request's rate-limit check then waits for. So the checks on the requests'
   * path (rate limits, push connections' leases) have a pool of their own ({@code limits}).
   */
  public record RedisClients(Redis boards, Redis limits) {
  }

  public static RedisClients redisClients(Vertx vertx, EngineConfig.RedisSettings rs) {
    return new RedisClients(Redis.createClient(vertx, redisOptions(rs)),
        Redis.createClient(vertx, redisOptions(rs).setMaxPoolSize(rs.limitsPoolSize())));
  }

  private static PoolOptions poolOptions(EngineConfig.PostgresSettings pg, String name) {
    return new PoolOptions().setMaxSize(pg.poolSize()).setName(name).setShared(false)
        .setConnectionTimeout(STORE_TIMEOUT_SECONDS).setConnectionTimeoutUnit(TimeUnit.SECONDS)
        .setMaxWaitQueueSize(100_000);
  }

  private static NetClientOptions netOptions() {
    return new NetClientOptions().setConnectTimeout(STORE_TIMEOUT_SECONDS * 1000);
  }

  /**
   * The Redis client's options: {@code redis.url} when set, else {@code redis[s]://host:port}; the
   * user and password when set (an ACL user, or the default user's {@code requirepass}); TLS with
   * the server's host name checked, trusting {@code redis.tlsCaFile} or the JVM's trust store.
   */
  public static RedisOptions redisOptions(EngineConfig.RedisSettings rs) {
    String url = !rs.url().isEmpty() ? rs.url() : (rs.tls() ? "rediss://" : "redis://") + rs.host() + ":" + rs.port();
    NetClientOptions net = netOptions();
    if (rs.tls()) {
      net.setSsl(true).setHostnameVerificationAlgorithm("HTTPS");
      if (!rs.tlsCaFile().isEmpty()) {
        net.setTrustOptions(new PemTrustOptions().addCertPath(rs.tlsCaFile()));
      }
    }
    RedisOptions options = new RedisOptions()
        .setNetClientOptions(net)
        .setConnectionString(url)
        .setMaxPoolSize(rs.poolSize())
        .setMaxPoolWaiting(10_000)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2);
    if (!rs.user().isEmpty()) {
      options.setUser(rs.user());
    }
    if (!rs.password().isEmpty()) {
      options.setPassword(rs.password());
    }
    return options;
  }

  /**
   * PostgreSQL's TLS as libpq's {@code sslmode} means it: {@code allow}, {@code prefer} and
   * {@code require} encrypt without checking the server's certificate (unless {@code require} is
   * given a root certificate, then the chain is checked); {@code verify-ca} checks the chain against
   * {@code postgres.sslRootCert} (or the JVM's trust store); {@code verify-full} also the host name.
   */
  static void applySsl(PgConnectOptions options, EngineConfig.PostgresSettings pg) {
    options.setSslMode(SslMode.of(pg.sslMode()));
    if (pg.sslMode().equals("disable")) {
      return;
    }
    ClientSSLOptions ssl = new ClientSSLOptions();
    boolean checkChain = pg.sslMode().startsWith("verify-") || pg.sslMode().equals("require") && !pg.sslRootCert().isEmpty();
    if (checkChain) {
      ssl.setTrustOptions(pg.sslRootCert().isEmpty()
          ? new JksOptions().setPath(Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toString())
              .setPassword("changeit")
          : new PemTrustOptions().addCertPath(pg.sslRootCert()));
    } else {
      ssl.setTrustAll(true);
    }
    ssl.setHostnameVerificationAlgorithm(pg.sslMode().equals("verify-full") ? "HTTPS" : "");
    options.setSslOptions(ssl);
  }

  static PgConnectOptions connectOptions(EngineConfig.PostgresSettings pg, String database) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(pg.host())
        .setPort(pg.port())
        .setDatabase(database)
        .setUser(pg.user())
        .setPipeliningLimit(256)
        // A statement that hangs must end, or it would hold a learner's lock and a commit slot.
        .addProperty("statement_timeout", Integer.toString(STATEMENT_TIMEOUT_MS))
        .setCachePreparedStatements(true);
    if (!pg.password().isEmpty()) {
      options.setPassword(pg.password());
    }
    applySsl(options, pg);
    return options;
  }

  /** Creates the configured database on first start, so a newcomer needs no manual step. */
  private static Future<Void> ensureDatabase(Vertx vertx, EngineConfig.PostgresSettings pg) {
    return PgConnection.connect(vertx, connectOptions(pg, pg.database()))
        .compose(conn -> conn.close())
        .recover(error -> {
          if (!(error instanceof PgException pgError) || !NO_SUCH_DATABASE.equals(pgError.getSqlState())) {
            return Future.failedFuture(error);
          }
          LOG.info("Creating database {}", pg.database());
          return PgConnection.connect(vertx, connectOptions(pg, "postgres"))
              .compose(conn -> conn.query("CREATE DATABASE \"" + pg.database().replace("\"", "") + "\"").execute()
                  .eventually(conn::close))
              .recover(e -> e instanceof PgException pe && "42P04".equals(pe.getSqlState())
                  ? Future.succeededFuture() : Future.failedFuture(e))
              .mapEmpty();
        });
  }
}
