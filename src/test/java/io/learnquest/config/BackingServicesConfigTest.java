package io.learnquest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secured PostgreSQL, Redis and Kafka, and Kubernetes discovery, set from conf/engine.json or the
 * environment; secrets also from files ({@code VAR_FILE}, or {@code *File} entries), and never in
 * a printed configuration.
 */
class BackingServicesConfigTest {
  @TempDir
  Path dir;

  private static EngineConfig load(Map<String, String> env) {
    return ConfigLoader.load(Path.of("conf"), env);
  }

  private Path secret(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }

  @Test
  void theShippedDefaultsAreThePlainLocalServices() {
    EngineConfig config = load(Map.of());
    assertEquals("disable", config.postgres().sslMode());
    assertEquals("", config.redis().url());
    assertFalse(config.redis().tls());
    assertEquals("", config.redis().password());
    assertEquals("PLAINTEXT", config.kafka().security().protocol());
    assertEquals("static", config.cluster().discovery());
  }

  @Test
  void everySettingComesFromTheEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("PG_SSL_MODE", "verify-full");
    env.put("PG_SSL_ROOT_CERT", "/etc/ssl/pg-ca.pem");
    env.put("REDIS_URL", "rediss://cache.internal:6380");
    env.put("REDIS_USER", "engine");
    env.put("REDIS_PASSWORD", "0123");
    env.put("REDIS_TLS_CA_CERT", "/etc/ssl/redis-ca.pem");
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
    env.put("KAFKA_SASL_USERNAME", "lq");
    env.put("KAFKA_SASL_PASSWORD", "kafka-secret");
    env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/ssl/kafka.p12");
    env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
    env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", "store-secret");
    env.put("CLUSTER_DISCOVERY", "kubernetes");
    env.put("CLUSTER_K8S_SERVICE_DNS", "lq-hazelcast.prod.svc.cluster.local");
    EngineConfig config = load(env);
    assertEquals("verify-full", config.postgres().sslMode());
    assertEquals("/etc/ssl/pg-ca.pem", config.postgres().sslRootCert());
    assertEquals("rediss://cache.internal:6380", config.redis().url());
    assertTrue(config.redis().tls(), "a rediss:// URL means TLS");
    assertEquals("engine", config.redis().user());
    assertEquals("0123", config.redis().password(), "a password of digits stays text, leading zero included");
    assertEquals("/etc/ssl/redis-ca.pem", config.redis().tlsCaFile());
    EngineConfig.KafkaSecurity kafka = config.kafka().security();
    assertEquals("SASL_SSL", kafka.protocol());
    assertTrue(kafka.sasl());
    assertTrue(kafka.ssl());
    assertEquals("SCRAM-SHA-512", kafka.saslMechanism());
    assertEquals("lq", kafka.saslUsername());
    assertEquals("kafka-secret", kafka.saslPassword());
    assertEquals("/etc/ssl/kafka.p12", kafka.truststoreLocation());
    assertEquals("PKCS12", kafka.truststoreType());
    assertEquals("store-secret", kafka.truststorePassword());
    assertEquals("kubernetes", config.cluster().discovery());
    assertEquals("lq-hazelcast.prod.svc.cluster.local", config.cluster().kubernetesServiceDns());
  }

  @Test
  void secretsComeFromFilesNamedByVariableFile() throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("PG_PASSWORD_FILE", secret("pg", "pg secret with spaces \n").toString());
    env.put("REDIS_PASSWORD_FILE", secret("redis", "r3dis\r\n").toString());
    env.put("KAFKA_SASL_PASSWORD_FILE", secret("kafka", "k").toString());
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("KAFKA_SASL_USERNAME", "lq");
    EngineConfig config = load(env);
    assertEquals("pg secret with spaces ", config.postgres().password(), "only the trailing newline goes");
    assertEquals("r3dis", config.redis().password());
    assertEquals("k", config.kafka().security().saslPassword());
  }

  @Test
  void aVariableAndItsFileTogetherAreRefused() throws IOException {
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("PG_PASSWORD", "a",
        "PG_PASSWORD_FILE", secret("pg", "b").toString())));
    assertEquals("PG_PASSWORD and PG_PASSWORD_FILE are both set; keep one", e.getMessage());
  }

  @Test
  void anUnreadableSecretFileNamesTheVariableAndPath() {
    String missing = dir.resolve("nope").toString();
    ConfigException e = assertThrows(ConfigException.class, () -> load(Map.of("REDIS_PASSWORD_FILE", missing)));
    assertTrue(e.getMessage().startsWith("REDIS_PASSWORD_FILE: cannot read " + missing), e.getMessage());
  }

  @Test
  void engineJsonNamesSecretFilesAndTheEnvironmentStillWins() throws IOException {
    JsonObject engine = new JsonObject(Files.readString(Path.of("conf", "engine.json")));
    engine.getJsonObject("postgres").put("passwordFile", secret("pg", "from-file\n").toString());
    engine.getJsonObject("redis").put("passwordFile", secret("redis", "redis-from-file").toString());
    Files.writeString(dir.resolve("engine.json"), engine.encodePrettily());
    Files.copy(Path.of("conf", "badges.json"), dir.resolve("badges.json"));
    EngineConfig fromFile = ConfigLoader.load(dir, Map.of());
    assertEquals("from-file", fromFile.postgres().password());
    assertEquals("redis-from-file", fromFile.redis().password());
    assertEquals("from-env", ConfigLoader.load(dir, Map.of("PG_PASSWORD", "from-env")).postgres().password());

    engine.getJsonObject("postgres").put("password", "inline");
    Files.writeString(dir.resolve("engine.json"), engine.encodePrettily());
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertTrue(e.getMessage().endsWith("postgres.password and postgres.passwordFile are both set; keep one"),
        e.getMessage());
  }

  @Test
  void badValuesAreRefusedNamingTheEntryButNeverASecret() {
    assertTrue(assertThrows(ConfigException.class, () -> load(Map.of("PG_SSL_MODE", "sometimes"))).getMessage()
        .contains("postgres.sslMode must be one of [disable, allow, prefer, require, verify-ca, verify-full]"));
    ConfigException url = assertThrows(ConfigException.class,
        () -> load(Map.of("REDIS_URL", "http://user:hunter2@cache:6379")));
    assertTrue(url.getMessage().contains("redis.url must start with redis:// or rediss://"), url.getMessage());
    assertFalse(url.getMessage().contains("hunter2"), url.getMessage());
    assertTrue(assertThrows(ConfigException.class, () -> load(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
        "KAFKA_SASL_USERNAME", "lq"))).getMessage()
        .contains("kafka.securityProtocol SASL_SSL needs kafka.saslUsername and kafka.saslPassword"));
    assertTrue(assertThrows(ConfigException.class, () -> load(Map.of("KAFKA_SASL_MECHANISM", "GSSAPI")))
        .getMessage().contains("kafka.saslMechanism must be one of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]"));
    assertTrue(assertThrows(ConfigException.class, () -> load(Map.of("CLUSTER_DISCOVERY", "multicast")))
        .getMessage().contains("cluster.discovery must be one of [static, kubernetes]"));
  }

  @Test
  void aPrintedConfigurationHoldsNoSecret() {
    Map<String, String> env = new HashMap<>();
    env.put("PG_PASSWORD", "pg-hunter2");
    env.put("REDIS_URL", "redis://engine:url-hunter2@cache:6379");
    env.put("REDIS_PASSWORD", "redis-hunter2");
    env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
    env.put("KAFKA_SASL_USERNAME", "lq");
    env.put("KAFKA_SASL_PASSWORD", "kafka-hunter2");
    env.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", "store-hunter2");
    String printed = load(env).toString();
    assertFalse(printed.contains("hunter2"), printed);
    assertTrue(printed.contains("password=***"), printed);
  }
}
