package io.learnquest.config;

import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.domain.xp.Rewards;
import io.vertx.core.json.JsonObject;
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
    Map<String, Integer> instances) {

  /** Connection and tuning settings of the PostgreSQL adapter. */
  public record PostgresSettings(String host, int port, String database, String user, String password, int poolSize,
                                 int groupCommitMax) {
  }

  /** Connection settings of the Redis adapter; every key starts with {@code keyPrefix}. */
  public record RedisSettings(String host, int port, String keyPrefix, int poolSize, int weeklyRetentionWeeks) {
  }

  /**
   * The clustered event bus (Hazelcast). {@code members} is a comma-separated list of addresses
   * ({@code host} or {@code host:port}) to join; {@code port} is this member's first port (the next
   * free one is taken on the same host).
   */
  public record ClusterSettings(boolean enabled, String name, String members, String networkInterface, int port,
                                String eventBusHost) {
  }

  /**
   * Kafka as the ordered log between ingestion and the rules: events are produced keyed by learner
   * to {@code eventsTopic} and consumed in group {@code groupId}. Malformed records go to
   * {@code deadLetterTopic}; badges, level-ups and state changes are published to
   * {@code achievementsTopic}. An accepted event still waiting after {@code recoverAfterMs} is
   * applied by the recovery pass of any node (it was accepted but never reached the topic).
   */
  public record KafkaSettings(boolean enabled, String bootstrapServers, String eventsTopic, String deadLetterTopic,
                              String achievementsTopic, int partitions, int replicationFactor, String groupId,
                              int maxPollRecords, long recoverAfterMs) {
  }

  public int instancesOf(String verticle) {
    return instances.getOrDefault(verticle, 1);
  }
}
