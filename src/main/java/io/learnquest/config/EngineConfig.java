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
    Rewards rewards,
    LevelCurve levelCurve,
    int maxFreezes,
    EventTypes eventTypes,
    List<JsonObject> badgeCatalog,
    long sweepIntervalMs,
    long recoveryIntervalMs,
    int notificationHistory,
    int maxBatch,
    int maxEventBytes,
    int maxBatchBytes,
    long waitTimeoutMs,
    Map<String, Integer> instances) {

  public int instancesOf(String verticle) {
    return instances.getOrDefault(verticle, 1);
  }

  public EngineConfig withHttpPort(int port) {
    return new EngineConfig(httpHost, port, store, rewards, levelCurve, maxFreezes, eventTypes, badgeCatalog,
        sweepIntervalMs, recoveryIntervalMs, notificationHistory, maxBatch, maxEventBytes, maxBatchBytes,
        waitTimeoutMs, instances);
  }
}
