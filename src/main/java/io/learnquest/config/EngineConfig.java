package io.learnquest.config;

import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.event.EventValidator;
import io.learnquest.domain.fairplay.FairPlay;
import io.learnquest.domain.limits.Limits;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.domain.xp.Rewards;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The validated configuration of one node; built by {@link ConfigLoader}. */
public record EngineConfig(
    String httpHost,
    int httpPort,
    String store,
    PostgresSettings postgres,
    RedisSettings redis,
    ClusterSettings cluster,
    KafkaSettings kafka,
    Rewards rewards,
    LevelCurve levelCurve,
    int maxFreezes,
    EventTypes eventTypes,
    List<JsonObject> badgeCatalog,
    long sweepIntervalMs,
    long recoveryIntervalMs,
    int rebuildPageSize,
    int notificationHistory,
    int maxBatch,
    int maxEventBytes,
    int maxBatchBytes,
    long waitTimeoutMs,
    int quarantineMaxAttempts,
    MemoryLimits memory,
    long maxBacklog,
    long shutdownGraceMs,
    int eventLoops,
    Map<String, Integer> instances,
    MetricsSettings metrics,
    FairPlaySettings fairPlay,
    AuthSettings auth,
    LimitSettings limits) {

  /**
   * Limits of docs/api.md, "Limits": {@code defaults} for every tenant, whole sets for the tenants
   * that override them ({@code limits.tenants.<tenantId>}); {@code pushSendBufferBytes} bounds what
   * one WebSocket or SSE connection may have waiting to be sent; {@code httpIdleTimeoutSeconds}
   * closes an HTTP connection on which nothing was read or written for that long;
   * {@code httpSocketSendBufferBytes}, when not 0, fixes the kernel's send buffer of each HTTP
   * connection (0: the operating system's own, which grows up to its maximum, 4 MiB on Linux);
   * {@code connectionLeaseMs} is how long a push connection's lease lasts unless its node renews it
   * (every third of it): how soon a dead node's connections stop counting against their learners;
   * {@code storeWaitMs} is how long a rate budget or a connection lease waits for its store (Redis)
   * before the limit holds on this node's own count (rate budgets: not at all) for the next second.
   */
  public record LimitSettings(Limits defaults, Map<String, Limits> tenants, int pushSendBufferBytes,
                              int httpIdleTimeoutSeconds, int httpSocketSendBufferBytes, long connectionLeaseMs,
                              long storeWaitMs) {
    public LimitSettings {
      tenants = Map.copyOf(tenants);
    }

    public Limits of(String tenantId) {
      return tenantId == null ? defaults : tenants.getOrDefault(tenantId, defaults);
    }
  }

  /**
   * Credentials at start-up (docs/api.md, "Credentials"): {@code bootstrapKey} is an admin key of tenant
   * {@code default}, {@code operatorKey} an operator key (both empty when not set). When neither is
   * set and no key exists, a fresh admin key is written to {@code firstKeyPath}.
   * {@code allowedOrigins} is the default tenant's browser origins at bootstrap. A key found (or not
   * found) is remembered for {@code cacheTtlMs} on each node; revocations also reach every node at
   * once over the event bus.
   */
  public record AuthSettings(String bootstrapKey, String operatorKey, List<String> allowedOrigins,
                             String firstKeyPath, long cacheTtlMs) {
    @Override
    public String toString() {
      // never the secrets
      return "AuthSettings[allowedOrigins=" + allowedOrigins + ", firstKeyPath=" + firstKeyPath
          + ", cacheTtlMs=" + cacheTtlMs + "]";
    }
  }

  /**
   * The fair-play rules: {@code defaults} for every tenant, and whole rule sets for the tenants
   * that override them.
   */
  public record FairPlaySettings(FairPlay defaults, Map<String, FairPlay> tenants) {
    public FairPlaySettings {
      tenants = Map.copyOf(tenants);
    }

    public FairPlay of(String tenantId) {
      return tenants.getOrDefault(tenantId, defaults);
    }
  }

  /**
   * {@code GET /metrics}: with a {@code token}, only {@code Authorization: Bearer <token>} is
   * answered; without one, only clients on this host that came through no proxy.
   */
  public record MetricsSettings(String token) {
    public boolean guarded() {
      return !token.isEmpty();
    }

    /** Never the token itself, should a record ever be logged. */
    @Override
    public String toString() {
      return "MetricsSettings[token=" + (guarded() ? "(set)" : "(none)") + "]";
    }
  }

  /**
   * Bounds of the embedded default ({@code store: memory}): past them new learners, then new events,
   * are refused with 503 {@code store_full} instead of growing the heap until the JVM dies.
   */
  public record MemoryLimits(int maxLearners, long maxEvents) {
  }

  /**
   * Connection and tuning settings of the PostgreSQL adapter. {@code sslMode} is one of
   * {@link #SSL_MODES} (libpq's names); {@code sslRootCert} is a PEM file of the certificates to
   * trust for {@code verify-ca} and {@code verify-full} (empty: the JVM's default trust store).
   */
  public record PostgresSettings(String host, int port, String database, String user, String password, int poolSize,
                                 int groupCommitMax, String sslMode, String sslRootCert) {
    public static final java.util.List<String> SSL_MODES =
        java.util.List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** Never the password: settings may end up in a log line or an exception message. */
    @Override
    public String toString() {
      return "PostgresSettings[host=" + host + ", port=" + port + ", database=" + database + ", user=" + user
          + ", password=" + masked(password) + ", poolSize=" + poolSize + ", sslMode=" + sslMode + "]";
    }
  }

  /**
   * Connection settings of the Redis adapter; every key starts with {@code keyPrefix}. {@code url}
   * ({@code redis://} or {@code rediss://}, user and password allowed in it), when not empty, is used
   * instead of {@code host} and {@code port}; {@code user} and {@code password} authenticate (an ACL
   * user, or the default user when {@code user} is empty); {@code tls} connects over TLS, trusting
   * the PEM certificates in {@code tlsCaFile} (empty: the JVM's default trust store) and checking the
   * server's host name. {@code poolSize} connections carry the leaderboards; the rate limits and the
   * push connections' leases, checked on the requests' path, have {@code limitsPoolSize} of their own.
   */
  public record RedisSettings(String host, int port, String keyPrefix, int poolSize, int limitsPoolSize,
                              int weeklyRetentionWeeks,
                              String url, String user, String password, boolean tls, String tlsCaFile) {
    /** Never the password, nor a URL that may carry one. */
    @Override
    public String toString() {
      return "RedisSettings[host=" + host + ", port=" + port + ", url=" + masked(url) + ", user=" + user
          + ", password=" + masked(password) + ", tls=" + tls + ", keyPrefix=" + keyPrefix + "]";
    }
  }

  /**
   * The clustered event bus (Hazelcast). With {@code discovery} {@code static}, {@code members} is a
   * comma-separated list of addresses ({@code host} or {@code host:port}) to join; with
   * {@code kubernetes}, members are found by a DNS lookup of the headless service
   * {@code kubernetesServiceDns}, or, when that is empty, through the Kubernetes API (pods of
   * service {@code kubernetesServiceName} in {@code kubernetesNamespace}; empty: the pod's own).
   * {@code port} is this member's first port (the next free one is taken on the same host);
   * {@code networkInterface} {@code *} binds any interface.
   */
  public record ClusterSettings(boolean enabled, String name, String members, String networkInterface, int port,
                                String eventBusHost, String discovery, String kubernetesServiceDns,
                                String kubernetesNamespace, String kubernetesServiceName) {
    public static final java.util.List<String> DISCOVERIES = java.util.List.of("static", "kubernetes");
  }

  /**
   * Kafka as the ordered log between ingestion and the rules: events are produced keyed by learner
   * to {@code eventsTopic} and consumed in group {@code groupId}. Malformed records go to
   * {@code deadLetterTopic}; badges, level-ups and state changes are published to
   * {@code achievementsTopic}. An accepted event still waiting after {@code recoverAfterMs} is
   * applied by the recovery pass of any node (it was accepted but never reached the topic).
   *
   * <p>The latency knobs: {@code producerLingerMs} is the producers' {@code linger.ms};
   * {@code fetchMinBytes} and {@code fetchMaxWaitMs} are the consumer's {@code fetch.min.bytes} and
   * {@code fetch.max.wait.ms}; {@code maxPollRecords} bounds a polled batch; a consumer works on up to
   * {@code batchesInFlight} full batches' worth of polled records at once (however few records each
   * poll returned); applied offsets are committed at most every
   * {@code commitIntervalMs} (0: after each applied batch), never before their events are applied.
   */
  public record KafkaSettings(boolean enabled, String bootstrapServers, String eventsTopic, String deadLetterTopic,
                              String achievementsTopic, int partitions, int replicationFactor, String groupId,
                              int maxPollRecords, long recoverAfterMs, int producerLingerMs, int fetchMinBytes,
                              int fetchMaxWaitMs, int batchesInFlight, long commitIntervalMs,
                              KafkaSecurity security) {
  }

  /**
   * How the engine's Kafka clients authenticate and encrypt: {@code protocol} is Kafka's
   * {@code security.protocol} ({@link #PROTOCOLS}); with SASL, {@code saslMechanism} is {@code PLAIN},
   * {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512} with {@code saslUsername} and
   * {@code saslPassword}; with SSL, {@code truststoreLocation} (empty: the JVM's default trust
   * store) of {@code truststoreType} {@code PEM}, {@code JKS} or {@code PKCS12}.
   */
  public record KafkaSecurity(String protocol, String saslMechanism, String saslUsername, String saslPassword,
                              String truststoreLocation, String truststoreType, String truststorePassword) {
    public static final java.util.List<String> PROTOCOLS = java.util.List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT",
        "SASL_SSL");
    public static final java.util.List<String> SASL_MECHANISMS = java.util.List.of("PLAIN", "SCRAM-SHA-256",
        "SCRAM-SHA-512");
    public static final java.util.List<String> TRUSTSTORE_TYPES = java.util.List.of("PEM", "JKS", "PKCS12");

    public boolean sasl() {
      return protocol.startsWith("SASL_");
    }

    public boolean ssl() {
      return protocol.endsWith("SSL");
    }

    /** Never a password. */
    @Override
    public String toString() {
      return "KafkaSecurity[protocol=" + protocol + ", saslMechanism=" + saslMechanism + ", saslUsername="
          + saslUsername + ", saslPassword=" + masked(saslPassword) + ", truststoreLocation=" + truststoreLocation
          + ", truststorePassword=" + masked(truststorePassword) + "]";
    }
  }

  /** What a log line may say about a secret: whether there is one. */
  static String masked(String secret) {
    return secret == null || secret.isEmpty() ? "" : "***";
  }

  /** The validator of a tenant's events: its event types and its fair-play age limit. */
  public EventValidator eventValidator(String tenantId) {
    return new EventValidator(eventTypes, Duration.ofDays(fairPlay.of(tenantId).maxEventAgeDays()));
  }

  public int instancesOf(String verticle) {
    return instances.getOrDefault(verticle, 1);
  }
}
