package io.learnquest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.xp.Activities;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration from conf/ with environment overrides; a bad entry stops start-up naming it. */
class ConfigLoaderTest {
  @TempDir
  Path dir;

  @Test
  void theShippedConfigurationLoadsWithTheContractDefaults() {
    EngineConfig config = ConfigLoader.load(Path.of("conf"), Map.of());
    assertEquals(8080, config.httpPort());
    assertEquals("memory", config.store());
    assertEquals(60, config.rewards().passMark());
    assertEquals(50L, config.rewards().base("lesson"));
    assertEquals(2, config.maxFreezes());
    assertEquals(100, config.levelCurve().maxLevel());
    assertEquals(4, config.badgeCatalog().size());
    assertEquals(0, config.eventLoops(), "0: half the cores, at least one (Nodes.eventLoops)");
  }

  @Test
  void environmentVariablesOverrideSingleEntriesKeepingTheirTypes() {
    EngineConfig config = ConfigLoader.load(Path.of("conf"), Map.of("HTTP_PORT", "9191", "XP_PASS_MARK", "70",
        "STORE", "postgres", "PG_PASSWORD", "12345", "REDIS_KEY_PREFIX", "x:", "STREAK_MAX_FREEZES", "3",
        "NODE_EVENT_LOOPS", "1"));
    assertEquals(9191, config.httpPort());
    assertEquals(70, config.rewards().passMark());
    assertEquals("postgres", config.store());
    assertEquals("12345", config.postgres().password());
    assertEquals("x:", config.redis().keyPrefix());
    assertEquals(3, config.maxFreezes());
    assertEquals(1, config.eventLoops());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "HTTP_PORT | abc | engine.json: http.port must be an integer",
      "HTTP_PORT | 70000 | engine.json: http.port must be between 0 and 65535",
      "XP_PASS_MARK | 101 | engine.json: xp.passMark must be between 0 and 100",
      "STORE | cassandra | engine.json: store must be one of",
      "NOTIFICATION_HISTORY | 0 | engine.json: notifications.historyPerLearner must be between 1",
      "NODE_EVENT_LOOPS | -1 | engine.json: node.eventLoops must be between 0 and 1024"})
  void aBadEnvironmentValueNamesTheEntry(String variable, String value, String message) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Path.of("conf"), Map.of(variable, value)));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void kafkaIsOffByDefaultAndSetFromTheEnvironment() {
    assertFalse(ConfigLoader.load(Path.of("conf"), Map.of()).kafka().enabled());
    EngineConfig config = ConfigLoader.load(Path.of("conf"), Map.of("STORE", "postgres", "KAFKA", "true",
        "KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092", "KAFKA_EVENTS_TOPIC", "ev", "KAFKA_PARTITIONS", "48",
        "KAFKA_GROUP_ID", "g"));
    assertTrue(config.kafka().enabled());
    assertEquals("k1:9092,k2:9092", config.kafka().bootstrapServers());
    assertEquals("ev", config.kafka().eventsTopic());
    assertEquals(48, config.kafka().partitions());
    assertEquals("g", config.kafka().groupId());
  }

  @Test
  void kafkaNeedsTheDurableStore() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(Path.of("conf"), Map.of("KAFKA", "true")));
    assertEquals(Path.of("conf").resolve("engine.json") + ": kafka.enabled needs store postgres: committed offsets "
        + "point past events only a durable store keeps", e.getMessage());
  }

  @Test
  void aBadEngineEntryNamesFileAndEntry() throws IOException {
    write(engine -> engine.getJsonObject("levels").put("factor", 1), null);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertEquals(dir.resolve("engine.json") + ": levels.factor must be between 2 and 1000000 (was 1)", e.getMessage());
  }

  @Test
  void aMissingEntryIsNamed() throws IOException {
    write(engine -> engine.getJsonObject("xp").remove("passMark"), null);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertEquals(dir.resolve("engine.json") + ": xp.passMark is missing", e.getMessage());
  }

  /**
   * A built-in activity {@code xp.baseXp} does not name earns its default from the registry (a
   * configuration written before the activity existed still loads), and its variable still sets it.
   */
  @Test
  void anActivityTheFileDoesNotNameEarnsItsDefault() throws IOException {
    write(engine -> engine.getJsonObject("xp").put("baseXp", new JsonObject().put("lesson", 70)), null);
    Map<String, Long> expected = new LinkedHashMap<>(Activities.defaults());
    expected.put("lesson", 70L);
    assertEquals(expected, ConfigLoader.load(dir, Map.of()).rewards().baseXp());
    assertEquals(333L, ConfigLoader.load(dir, Map.of("XP_BASE_XP_QUIZ_PERFECT", "333")).rewards().base("quiz_perfect"));
    assertTrue(ConfigLoader.variables(dir).containsKey("XP_BASE_XP_QUIZ_PERFECT"));
  }

  @Test
  void aBadBadgeRuleNamesTheBadgeAndThePartOfTheRule() throws IOException {
    write(null, badges -> badges.getJsonArray("badges").getJsonObject(1)
        .put("rule", new JsonObject().put("all", new JsonArray().add(new JsonObject().put("metric", "xp").put("gte", 1))
            .add(new JsonObject().put("metric", "karma").put("gte", 1)))));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertTrue(e.getMessage().startsWith(dir.resolve("badges.json") + ": badges[1].rule.all[1].metric: metric must be"),
        e.getMessage());
  }

  @Test
  void aBadgeDefinedTwiceIsRefused() throws IOException {
    write(null, badges -> badges.getJsonArray("badges").add(badges.getJsonArray("badges").getJsonObject(0).copy()));
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertEquals(dir.resolve("badges.json") + ": badges[4].badgeId 'first_lesson' is defined twice", e.getMessage());
  }

  @Test
  void aCustomEventTypeCannotShadowABuiltInOne() throws IOException {
    write(engine -> engine.getJsonObject("eventTypes").put("custom", new JsonArray()
        .add(new JsonObject().put("name", "daily_login").put("baseXp", 5))), null);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertEquals(dir.resolve("engine.json") + ": eventTypes.custom[0].name 'daily_login' is already an event type",
        e.getMessage());
  }

  @Test
  void aCustomEventTypeCannotTakeAnActivitysName() throws IOException {
    write(engine -> engine.getJsonObject("eventTypes").put("custom", new JsonArray()
        .add(new JsonObject().put("name", "streak").put("baseXp", 5))), null);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of()));
    assertEquals(dir.resolve("engine.json") + ": eventTypes.custom[0].name 'streak' is the name of a built-in activity",
        e.getMessage());
  }

  @Test
  void invalidJsonAndMissingFilesAreNamed() throws IOException {
    Files.writeString(dir.resolve("engine.json"), "{ not json");
    Files.copy(Path.of("conf/badges.json"), dir.resolve("badges.json"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of())).getMessage()
        .startsWith(dir.resolve("engine.json") + ": is not valid JSON"));
    Files.delete(dir.resolve("badges.json"));
    Files.copy(Path.of("conf/engine.json"), dir.resolve("engine.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of())).getMessage()
        .startsWith(dir.resolve("badges.json") + ": cannot be read"));
  }

  @Test
  void customEventTypesAreLoaded() throws IOException {
    write(engine -> engine.getJsonObject("eventTypes").put("custom", new JsonArray()
        .add(new JsonObject().put("name", "video_watched").put("baseXp", 30).put("study", true))), null);
    EngineConfig config = ConfigLoader.load(dir, Map.of());
    assertEquals(30L, config.eventTypes().get("video_watched").customBaseXp());
    assertTrue(config.eventTypes().isStudy("video_watched"));
  }

  @Test
  void limitsHaveTheContractDefaultsAndAreSetPerTenant() throws IOException {
    EngineConfig.LimitSettings defaults = ConfigLoader.load(Path.of("conf"), Map.of()).limits();
    assertEquals(new io.learnquest.domain.limits.Limits(2_000, 120, 5), defaults.of("any-tenant"));
    assertEquals(60, defaults.httpIdleTimeoutSeconds());
    assertEquals(65_536, defaults.pushSendBufferBytes());
    assertEquals(250, defaults.storeWaitMs());
    write(engine -> engine.getJsonObject("limits").put("tenants", new JsonObject()
        .put("big-school", new JsonObject().put("eventsPerLearnerPerMinute", 600))), null);
    EngineConfig.LimitSettings limits = ConfigLoader.load(dir, Map.of("LIMITS_REQUESTS_PER_KEY_PER_SECOND", "500",
        "HTTP_IDLE_TIMEOUT_SECONDS", "30", "LIMITS_STORE_WAIT_MS", "2000")).limits();
    assertEquals(new io.learnquest.domain.limits.Limits(500, 600, 5), limits.of("big-school"),
        "a tenant's own entry, the others from the defaults (the environment's included)");
    assertEquals(new io.learnquest.domain.limits.Limits(500, 120, 5), limits.of("default"));
    assertEquals(30, limits.httpIdleTimeoutSeconds());
    assertEquals(2_000, limits.storeWaitMs());
    write(engine -> engine.getJsonObject("limits").put("tenants", new JsonObject()
        .put("Bad_Id", new JsonObject())), null);
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of())).getMessage()
        .contains("limits.tenants.Bad_Id is not a tenant id"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("conf"),
        Map.of("LIMITS_EVENTS_PER_LEARNER_PER_MINUTE", "0"))).getMessage()
        .contains("limits.eventsPerLearnerPerMinute must be between 1"));
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(Path.of("conf"),
        Map.of("LIMITS_STORE_WAIT_MS", "0"))).getMessage()
        .contains("limits.storeWaitMs must be between 10"));
  }

  private void write(Consumer<JsonObject> editEngine, Consumer<JsonObject> editBadges) throws IOException {
    JsonObject engine = new JsonObject(Files.readString(Path.of("conf/engine.json")));
    JsonObject badges = new JsonObject(Files.readString(Path.of("conf/badges.json")));
    if (editEngine != null) {
      editEngine.accept(engine);
    }
    if (editBadges != null) {
      editBadges.accept(badges);
    }
    Files.writeString(dir.resolve("engine.json"), engine.encodePrettily());
    Files.writeString(dir.resolve("badges.json"), badges.encodePrettily());
  }
}
