package io.learnquest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.redis.client.RedisOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options the PostgreSQL and Redis clients are built with, for each security setting. */
class ClientOptionsTest {
  private static EngineConfig config(Map<String, String> env) {
    return ConfigLoader.load(Path.of("conf"), env);
  }

  private static PgConnectOptions pg(Map<String, String> env) {
    EngineConfig.PostgresSettings settings = config(env).postgres();
    return StoreFactory.connectOptions(settings, settings.database());
  }

  @Test
  void postgresWithoutSslIsPlain() {
    PgConnectOptions options = pg(Map.of());
    assertEquals(SslMode.DISABLE, options.getSslMode());
  }

  @Test
  void postgresRequireEncryptsWithoutCheckingTheCertificate() {
    PgConnectOptions options = pg(Map.of("PG_SSL_MODE", "require"));
    assertEquals(SslMode.REQUIRE, options.getSslMode());
    assertTrue(options.getSslOptions().isTrustAll());
    assertEquals("", options.getSslOptions().getHostnameVerificationAlgorithm());
  }

  @Test
  void postgresRequireWithARootCertificateChecksTheChain() {
    PgConnectOptions options = pg(Map.of("PG_SSL_MODE", "require", "PG_SSL_ROOT_CERT", "/etc/ssl/pg-ca.pem"));
    assertFalse(options.getSslOptions().isTrustAll());
    assertEquals(List.of("/etc/ssl/pg-ca.pem"),
        assertInstanceOf(PemTrustOptions.class, options.getSslOptions().getTrustOptions()).getCertPaths());
  }

  @Test
  void postgresVerifyCaChecksTheChainButNotTheHostName() {
    PgConnectOptions options = pg(Map.of("PG_SSL_MODE", "verify-ca", "PG_SSL_ROOT_CERT", "/etc/ssl/pg-ca.pem"));
    assertEquals(SslMode.VERIFY_CA, options.getSslMode());
    assertFalse(options.getSslOptions().isTrustAll());
    assertEquals(List.of("/etc/ssl/pg-ca.pem"),
        assertInstanceOf(PemTrustOptions.class, options.getSslOptions().getTrustOptions()).getCertPaths());
    assertEquals("", options.getSslOptions().getHostnameVerificationAlgorithm());
  }

  @Test
  void postgresVerifyFullChecksTheHostNameAndFallsBackToTheJvmTrustStore() {
    PgConnectOptions options = pg(Map.of("PG_SSL_MODE", "verify-full"));
    assertEquals(SslMode.VERIFY_FULL, options.getSslMode());
    assertEquals("HTTPS", options.getSslOptions().getHostnameVerificationAlgorithm());
    JksOptions trust = assertInstanceOf(JksOptions.class, options.getSslOptions().getTrustOptions());
    assertTrue(Path.of(trust.getPath()).endsWith(Path.of("lib", "security", "cacerts")), trust.getPath());
  }

  @Test
  void redisByDefaultIsPlainWithoutCredentials() {
    RedisOptions options = StoreFactory.redisOptions(config(Map.of()).redis());
    assertEquals("redis://127.0.0.1:6379", options.getEndpoint());
    assertFalse(options.getNetClientOptions().isSsl());
    assertNull(options.getPassword());
    assertNull(options.getUser());
  }

  @Test
  void redisWithAnAclUserAndTlsFromSettings() {
    RedisOptions options = StoreFactory.redisOptions(config(Map.of("REDIS_HOST", "cache.internal",
        "REDIS_PORT", "6380", "REDIS_TLS", "true", "REDIS_USER", "engine", "REDIS_PASSWORD", "s3cret",
        "REDIS_TLS_CA_CERT", "/etc/ssl/redis-ca.pem")).redis());
    assertEquals("rediss://cache.internal:6380", options.getEndpoint());
    assertEquals("engine", options.getUser());
    assertEquals("s3cret", options.getPassword());
    assertTrue(options.getNetClientOptions().isSsl());
    assertEquals("HTTPS", options.getNetClientOptions().getHostnameVerificationAlgorithm());
    assertEquals(List.of("/etc/ssl/redis-ca.pem"),
        assertInstanceOf(PemTrustOptions.class, options.getNetClientOptions().getTrustOptions()).getCertPaths());
  }

  @Test
  void aRedisUrlReplacesHostAndPort() {
    RedisOptions options = StoreFactory.redisOptions(config(Map.of("REDIS_URL", "rediss://cache.internal:6380/0"))
        .redis());
    assertEquals("rediss://cache.internal:6380/0", options.getEndpoint());
    assertTrue(options.getNetClientOptions().isSsl());
  }
}
