package io.learnquest.config;

import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.EventTypeSpec;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.fairplay.FairPlay;
import io.learnquest.domain.xp.Activities;
import io.learnquest.domain.xp.LevelCurve;
import io.learnquest.domain.xp.Rewards;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code engine.json} and {@code badges.json} from the configuration folder, lets environment
 * variables override single entries, and validates everything up front: a bad entry stops
 * start-up with a message naming it.
 */
public final class ConfigLoader {
  /** Each overridable entry beside the environment variable that overrides it. */
  public static final Map<String, String> ENV_OVERRIDES = Map.ofEntries(
      Map.entry("http.host", "HTTP_HOST"),
      Map.entry("http.port", "HTTP_PORT"),
      Map.entry("store", "STORE"),
      Map.entry("postgres.host", "PG_HOST"),
      Map.entry("postgres.port", "PG_PORT"),
      Map.entry("postgres.database", "PG_DATABASE"),
      Map.entry("postgres.user", "PG_USER"),
      Map.entry("postgres.password", "PG_PASSWORD"),
      Map.entry("postgres.poolSize", "PG_POOL_SIZE"),
      Map.entry("postgres.sslMode", "PG_SSL_MODE"),
      Map.entry("postgres.sslRootCert", "PG_SSL_ROOT_CERT"),
      Map.entry("redis.host", "REDIS_HOST"),
      Map.entry("redis.port", "REDIS_PORT"),
      Map.entry("redis.keyPrefix", "REDIS_KEY_PREFIX"),
      Map.entry("redis.url", "REDIS_URL"),
      Map.entry("redis.user", "REDIS_USER"),
      Map.entry("redis.password", "REDIS_PASSWORD"),
      Map.entry("redis.tls", "REDIS_TLS"),
      Map.entry("redis.tlsCaFile", "REDIS_TLS_CA_CERT"),
      Map.entry("cluster.enabled", "CLUSTER"),
      Map.entry("cluster.name", "CLUSTER_NAME"),
      Map.entry("cluster.members", "CLUSTER_MEMBERS"),
      Map.entry("cluster.interface", "CLUSTER_INTERFACE"),
      Map.entry("cluster.port", "CLUSTER_PORT"),
      Map.entry("cluster.eventBusHost", "EVENTBUS_HOST"),
      Map.entry("cluster.discovery", "CLUSTER_DISCOVERY"),
      Map.entry("cluster.kubernetesServiceDns", "CLUSTER_K8S_SERVICE_DNS"),
      Map.entry("cluster.kubernetesNamespace", "CLUSTER_K8S_NAMESPACE"),
      Map.entry("cluster.kubernetesServiceName", "CLUSTER_K8S_SERVICE_NAME"),
      Map.entry("kafka.enabled", "KAFKA"),
      Map.entry("kafka.bootstrapServers", "KAFKA_BOOTSTRAP_SERVERS"),
      Map.entry("kafka.eventsTopic", "KAFKA_EVENTS_TOPIC"),
      Map.entry("kafka.deadLetterTopic", "KAFKA_DEAD_LETTER_TOPIC"),
      Map.entry("kafka.achievementsTopic", "KAFKA_ACHIEVEMENTS_TOPIC"),
      Map.entry("kafka.partitions", "KAFKA_PARTITIONS"),
      Map.entry("kafka.replicationFactor", "KAFKA_REPLICATION_FACTOR"),
      Map.entry("kafka.groupId", "KAFKA_GROUP_ID"),
      Map.entry("kafka.recoverAfterMs", "KAFKA_RECOVER_AFTER_MS"),
      Map.entry("kafka.securityProtocol", "KAFKA_SECURITY_PROTOCOL"),
      Map.entry("kafka.saslMechanism", "KAFKA_SASL_MECHANISM"),
      Map.entry("kafka.saslUsername", "KAFKA_SASL_USERNAME"),
      Map.entry("kafka.saslPassword", "KAFKA_SASL_PASSWORD"),
      Map.entry("kafka.sslTruststoreLocation", "KAFKA_SSL_TRUSTSTORE_LOCATION"),
      Map.entry("kafka.sslTruststoreType", "KAFKA_SSL_TRUSTSTORE_TYPE"),
      Map.entry("kafka.sslTruststorePassword", "KAFKA_SSL_TRUSTSTORE_PASSWORD"),
      Map.entry("instances.ingestion", "INGESTION_INSTANCES"),
      Map.entry("instances.streaks", "STREAKS_INSTANCES"),
      Map.entry("instances.xp", "XP_INSTANCES"),
      Map.entry("instances.badges", "BADGES_INSTANCES"),
      Map.entry("instances.leaderboards", "LEADERBOARDS_INSTANCES"),
      Map.entry("instances.notifications", "NOTIFICATIONS_INSTANCES"),
      Map.entry("xp.passMark", "XP_PASS_MARK"),
      Map.entry("streaks.maxFreezes", "STREAK_MAX_FREEZES"),
      Map.entry("inactivity.sweepIntervalMs", "INACTIVITY_SWEEP_INTERVAL_MS"),
      Map.entry("recovery.intervalMs", "RECOVERY_INTERVAL_MS"),
      Map.entry("leaderboards.rebuildPageSize", "LEADERBOARDS_REBUILD_PAGE_SIZE"),
      Map.entry("notifications.historyPerLearner", "NOTIFICATION_HISTORY"),
      Map.entry("ingestion.waitTimeoutMs", "WAIT_TIMEOUT_MS"),
      Map.entry("quarantine.maxAttempts", "QUARANTINE_MAX_ATTEMPTS"),
      Map.entry("memory.maxLearners", "MEMORY_MAX_LEARNERS"),
      Map.entry("memory.maxEvents", "MEMORY_MAX_EVENTS"),
      Map.entry("ingestion.maxBacklog", "INGESTION_MAX_BACKLOG"),
      Map.entry("shutdown.graceMs", "SHUTDOWN_GRACE_MS"),
      Map.entry("instances.web", "WEB_INSTANCES"),
      Map.entry("instances.rules", "RULES_INSTANCES"),
      Map.entry("metrics.token", "METRICS_TOKEN"),
      Map.entry("fairPlay.selfHelp", "FAIR_PLAY_SELF_HELP"),
      Map.entry("fairPlay.velocityMaxPerMinute", "FAIR_PLAY_VELOCITY_MAX_PER_MINUTE"),
      Map.entry("fairPlay.maxEventAgeDays", "FAIR_PLAY_MAX_EVENT_AGE_DAYS"),
      Map.entry("auth.bootstrapKey", "LQ_BOOTSTRAP_KEY"),
      Map.entry("auth.operatorKey", "LQ_OPERATOR_KEY"),
      Map.entry("auth.allowedOrigins", "LQ_ALLOWED_ORIGINS"),
      Map.entry("auth.firstKeyPath", "LQ_FIRST_KEY_PATH"),
      Map.entry("auth.cacheTtlMs", "AUTH_CACHE_TTL_MS"));
  public static final String CONF_DIR_ENV = "CONF_DIR";
  /** {@code VAR_FILE} names a file whose content is the value of {@code VAR} (for secrets mounted as files). */
  public static final String FILE_SUFFIX = "_FILE";
  /**
   * Secrets, each of which {@code conf/engine.json} may also give as the path of a file holding it
   * ({@code postgres.passwordFile} for {@code postgres.password}).
   */
  static final List<String> SECRETS = List.of("postgres.password", "redis.password", "kafka.saslPassword",
      "kafka.sslTruststorePassword", "auth.bootstrapKey", "auth.operatorKey");
  /** Entries that stay text whatever an override looks like (a password of digits is still a password). */
  static final Set<String> TEXT_ENTRIES = Set.of("postgres.password", "postgres.user", "postgres.database",
      "redis.url", "redis.user", "redis.password", "redis.keyPrefix", "kafka.saslUsername", "kafka.saslPassword",
      "kafka.sslTruststorePassword", "cluster.name", "kafka.groupId", "auth.bootstrapKey", "auth.operatorKey");
  static final Set<String> STORES = Set.of("memory", "postgres");
  static final Set<String> BUILT_IN_ACTIVITIES = Set.of(Activities.LESSON, Activities.QUIZ_PASS,
      Activities.QUIZ_PERFECT, Activities.COURSE, Activities.STREAK, Activities.HELP_PEER);
  static final List<String> VERTICLES =
      List.of("web", "ingestion", "rules", "streaks", "xp", "badges", "leaderboards", "notifications");

  private ConfigLoader() {
  }

  /** Loads from {@code $CONF_DIR} (default {@code conf}) with the process environment. */
  public static EngineConfig load() {
    Map<String, String> env = System.getenv();
    return load(Path.of(env.getOrDefault(CONF_DIR_ENV, "conf")), env);
  }

  public static EngineConfig load(Path dir, Map<String, String> env) {
    Path enginePath = dir.resolve("engine.json");
    Path badgesPath = dir.resolve("badges.json");
    JsonObject engine = readJson(enginePath);
    JsonObject badges = readJson(badgesPath);
    Reader r = new Reader(enginePath.toString(), engine);
    for (String secret : SECRETS) {
      String file = r.textOrEmpty(secret + "File");
      if (!file.isEmpty()) {
        if (!r.textOrEmpty(secret).isEmpty()) {
          throw r.bad(secret, "and " + secret + "File are both set; keep one");
        }
        override(engine, secret, readSecret(file, enginePath + ": " + secret + "File"));
      }
    }
    ENV_OVERRIDES.forEach((entry, variable) -> {
      String value = environmentValue(env, variable);
      if (value != null && !value.isEmpty()) {
        override(engine, entry, value);
      }
    });
    EventTypes types = eventTypes(r);
    EngineConfig config = new EngineConfig(
        r.text("http.host"),
        (int) r.integer("http.port", 0, 65535),
        r.oneOf("store", STORES),
        new EngineConfig.PostgresSettings(r.text("postgres.host"), (int) r.integer("postgres.port", 1, 65535),
            r.text("postgres.database"), r.text("postgres.user"), r.textOrEmpty("postgres.password"),
            (int) r.integer("postgres.poolSize", 1, 256), (int) r.integer("postgres.groupCommitMax", 1, 10_000),
            r.oneOf("postgres.sslMode", EngineConfig.PostgresSettings.SSL_MODES, "disable"),
            r.textOrEmpty("postgres.sslRootCert")),
        redis(r),
        new EngineConfig.ClusterSettings(r.bool("cluster.enabled", false), r.text("cluster.name"),
            r.text("cluster.members"), r.text("cluster.interface"), (int) r.integer("cluster.port", 1, 65535),
            r.text("cluster.eventBusHost"),
            r.oneOf("cluster.discovery", EngineConfig.ClusterSettings.DISCOVERIES, "static"),
            r.textOrEmpty("cluster.kubernetesServiceDns"), r.textOrEmpty("cluster.kubernetesNamespace"),
            r.textOrEmpty("cluster.kubernetesServiceName")),
        new EngineConfig.KafkaSettings(r.bool("kafka.enabled", false), r.text("kafka.bootstrapServers"),
            r.text("kafka.eventsTopic"), r.text("kafka.deadLetterTopic"), r.text("kafka.achievementsTopic"),
            (int) r.integer("kafka.partitions", 1, 10_000), (int) r.integer("kafka.replicationFactor", 1, 32),
            r.text("kafka.groupId"), (int) r.integer("kafka.maxPollRecords", 1, 100_000),
            r.integer("kafka.recoverAfterMs", 100, Long.MAX_VALUE), kafkaSecurity(r)),
        rewards(r),
        new LevelCurve(r.integer("levels.baseXp", 1, Long.MAX_VALUE), r.integer("levels.factor", 2, 1_000_000),
            (int) r.integer("levels.maxLevel", 1, 10_000)),
        (int) r.integer("streaks.maxFreezes", 0, 365),
        types,
        badgeCatalog(badgesPath.toString(), badges, types),
        r.integer("inactivity.sweepIntervalMs", 10, Long.MAX_VALUE),
        r.integer("recovery.intervalMs", 10, Long.MAX_VALUE),
        (int) r.integer("leaderboards.rebuildPageSize", 1, 1_000_000),
        (int) r.integer("notifications.historyPerLearner", 1, 1_000_000),
        (int) r.integer("ingestion.maxBatch", 1, 100_000),
        (int) r.integer("ingestion.maxEventBytes", 1024, 16 << 20),
        (int) r.integer("ingestion.maxBatchBytes", 1024, 512 << 20),
        r.integer("ingestion.waitTimeoutMs", 1, 600_000),
        (int) r.integer("quarantine.maxAttempts", 1, 1_000),
        new EngineConfig.MemoryLimits((int) r.integer("memory.maxLearners", 1, Integer.MAX_VALUE),
            r.integer("memory.maxEvents", 1, Long.MAX_VALUE)),
        r.integer("ingestion.maxBacklog", 1, Long.MAX_VALUE),
        r.integer("shutdown.graceMs", 0, 600_000),
        instances(r),
        new EngineConfig.MetricsSettings(r.textOrEmpty("metrics.token")),
        fairPlay(r),
        new EngineConfig.AuthSettings(r.textOrEmpty("auth.bootstrapKey"), r.textOrEmpty("auth.operatorKey"),
            origins(r, "auth.allowedOrigins"), r.text("auth.firstKeyPath"),
            r.integer("auth.cacheTtlMs", 0, 60_000)));
    if (config.cluster().enabled() && config.store().equals("memory")) {
      throw r.bad("cluster.enabled", "needs store postgres: nodes of a cluster must share their stores");
    }
    if (config.kafka().enabled() && config.store().equals("memory")) {
      throw r.bad("kafka.enabled", "needs store postgres: committed offsets point past events only a durable store keeps");
    }
    return config;
  }

  private static EngineConfig.RedisSettings redis(Reader r) {
    String url = r.textOrEmpty("redis.url");
    if (!url.isEmpty() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
      // Not the URL itself in the message: it may carry a password.
      throw r.bad("redis.url", "must start with redis:// or rediss://");
    }
    return new EngineConfig.RedisSettings(r.text("redis.host"), (int) r.integer("redis.port", 1, 65535),
        r.textOrEmpty("redis.keyPrefix"), (int) r.integer("redis.poolSize", 1, 256),
        (int) r.integer("redis.weeklyRetentionWeeks", 1, 10_000), url, r.textOrEmpty("redis.user"),
        r.textOrEmpty("redis.password"), r.bool("redis.tls", false) || url.startsWith("rediss://"),
        r.textOrEmpty("redis.tlsCaFile"));
  }

  private static EngineConfig.KafkaSecurity kafkaSecurity(Reader r) {
    EngineConfig.KafkaSecurity security = new EngineConfig.KafkaSecurity(
        r.oneOf("kafka.securityProtocol", EngineConfig.KafkaSecurity.PROTOCOLS, "PLAINTEXT"),
        r.oneOf("kafka.saslMechanism", EngineConfig.KafkaSecurity.SASL_MECHANISMS, "PLAIN"),
        r.textOrEmpty("kafka.saslUsername"), r.textOrEmpty("kafka.saslPassword"),
        r.textOrEmpty("kafka.sslTruststoreLocation"),
        r.oneOf("kafka.sslTruststoreType", EngineConfig.KafkaSecurity.TRUSTSTORE_TYPES, "PEM"),
        r.textOrEmpty("kafka.sslTruststorePassword"));
    if (security.sasl() && (security.saslUsername().isEmpty() || security.saslPassword().isEmpty())) {
      throw r.bad("kafka.securityProtocol", security.protocol() + " needs kafka.saslUsername and kafka.saslPassword");
    }
    return security;
  }

  /**
   * The value of {@code variable} (trimmed), or the content of the file {@code variable_FILE} names
   * (as it is, but for one trailing newline); both at once is refused, since which one wins would be
   * a guess.
   */
  static String environmentValue(Map<String, String> env, String variable) {
    String direct = env.get(variable);
    String file = env.get(variable + FILE_SUFFIX);
    if (file == null || file.isBlank()) {
      return direct == null ? null : direct.trim();
    }
    if (direct != null && !direct.isBlank()) {
      throw new ConfigException(variable + " and " + variable + FILE_SUFFIX + " are both set; keep one");
    }
    return readSecret(file.trim(), variable + FILE_SUFFIX);
  }

  /** Reads a secret from a file; a complaint names the setting and the path, never the content. */
  private static String readSecret(String path, String setting) {
    try {
      String content = Files.readString(Path.of(path));
      return content.endsWith("\r\n") ? content.substring(0, content.length() - 2)
          : content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(setting + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Rewards rewards(Reader r) {
    Map<String, Long> base = new LinkedHashMap<>();
    for (String activity : List.of(Activities.LESSON, Activities.QUIZ_PASS, Activities.QUIZ_PERFECT,
        Activities.COURSE, Activities.STREAK, Activities.HELP_PEER)) {
      base.put(activity, r.integer("xp.baseXp." + activity, 0, 1_000_000_000));
    }
    return new Rewards(base, (int) r.integer("xp.passMark", 0, 100));
  }

  private static EventTypes eventTypes(Reader r) {
    JsonArray custom = r.array("eventTypes.custom");
    List<EventTypeSpec> specs = new ArrayList<>();
    Set<String> seen = new HashSet<>(EventTypes.builtIn().names());
    for (int i = 0; i < custom.size(); i++) {
      String at = "eventTypes.custom[" + i + "]";
      if (!(custom.getValue(i) instanceof JsonObject)) {
        throw r.bad(at, "must be an object {name, baseXp, study, scoreRequired}");
      }
      String name = r.text(at + ".name");
      if (!name.matches("[a-z][a-z0-9_]{0,63}")) {
        throw r.bad(at + ".name", "must be lower_snake_case, 1 to 64 characters");
      }
      if (!seen.add(name)) {
        throw r.bad(at + ".name", "'" + name + "' is already an event type");
      }
      if (BUILT_IN_ACTIVITIES.contains(name)) {
        throw r.bad(at + ".name", "'" + name + "' is the name of a built-in activity");
      }
      specs.add(new EventTypeSpec(name, r.bool(at + ".study", false), r.bool(at + ".scoreRequired", false),
          r.integer(at + ".baseXp", 0, 1_000_000_000)));
    }
    return EventTypes.withCustom(specs);
  }

  private static List<JsonObject> badgeCatalog(String file, JsonObject json, EventTypes types) {
    Object list = json.getValue("badges");
    if (!(list instanceof JsonArray array)) {
      throw new ConfigException(file + ": badges must be an array of badge definitions");
    }
    BadgeRuleParser parser = new BadgeRuleParser(name -> types.find(name).isPresent());
    List<JsonObject> catalog = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "badges[" + i + "].";
      if (!(array.getValue(i) instanceof JsonObject definition)) {
        throw new ConfigException(file + ": badges[" + i + "] must be an object");
      }
      try {
        BadgeDefinition parsed = BadgeDefinition.parse(io.learnquest.bus.JsonMapping.plainMap(definition), parser, at);
        if (!ids.add(parsed.badgeId())) {
          throw new ConfigException(file + ": " + at + "badgeId '" + parsed.badgeId() + "' is defined twice");
        }
      } catch (InvalidInputException e) {
        throw new ConfigException(file + ": " + e.getMessage());
      }
      catalog.add(definition);
    }
    return catalog;
  }

  /**
   * {@code fairPlay}: the defaults, and {@code fairPlay.tenants.<tenantId>} with any of the same
   * entries for a tenant of its own (the entries it leaves out keep the defaults).
   */
  private static EngineConfig.FairPlaySettings fairPlay(Reader r) {
    FairPlay defaults = fairPlay(r, "fairPlay.", FairPlay.DEFAULTS);
    Map<String, FairPlay> tenants = new LinkedHashMap<>();
    if (r.value("fairPlay.tenants") instanceof JsonObject byTenant) {
      for (String tenantId : byTenant.fieldNames()) {
        if (!tenantId.matches("[a-z0-9-]{1,40}")) {
          throw r.bad("fairPlay.tenants." + tenantId, "is not a tenant id (1 to 40 of a-z, 0-9 and -)");
        }
        tenants.put(tenantId, fairPlay(r, "fairPlay.tenants." + tenantId + ".", defaults));
      }
    } else if (r.value("fairPlay.tenants") != null) {
      throw r.bad("fairPlay.tenants", "must be an object of tenant ids");
    }
    return new EngineConfig.FairPlaySettings(defaults, tenants);
  }

  private static FairPlay fairPlay(Reader r, String at, FairPlay fallback) {
    return new FairPlay(r.bool(at + "selfHelp", fallback.selfHelp()),
        r.value(at + "velocityMaxPerMinute") == null ? fallback.velocityMaxPerMinute()
            : (int) r.integer(at + "velocityMaxPerMinute", 1, 1_000_000),
        r.value(at + "maxEventAgeDays") == null ? fallback.maxEventAgeDays()
            : (int) r.integer(at + "maxEventAgeDays", 1, 36_500));
  }

  /** A comma-separated list of browser origins ({@code scheme://host[:port]}, no path). */
  private static List<String> origins(Reader r, String entry) {
    List<String> origins = new ArrayList<>();
    for (String part : r.textOrEmpty(entry).split(",")) {
      String origin = part.trim();
      if (origin.isEmpty()) {
        continue;
      }
      if (!isOrigin(origin)) {
        throw r.bad(entry, "must list origins such as https://lms.example (scheme, host and port only)");
      }
      origins.add(origin);
    }
    return List.copyOf(origins);
  }

  /** A browser origin as the Origin header sends it: {@code http(s)://host[:port]}, nothing after. */
  public static boolean isOrigin(String origin) {
    return origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?") || origin.matches("https?://\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");
  }

  private static Map<String, Integer> instances(Reader r) {
    Map<String, Integer> instances = new LinkedHashMap<>();
    for (String verticle : VERTICLES) {
      instances.put(verticle, (int) r.integer("instances." + verticle, 0, 64));
    }
    return instances;
  }

  private static JsonObject readJson(Path path) {
    try {
      return new JsonObject(Files.readString(path));
    } catch (IOException e) {
      throw new ConfigException(path + ": cannot be read (" + e.getMessage() + ")");
    } catch (DecodeException e) {
      throw new ConfigException(path + ": is not valid JSON (" + e.getMessage() + ")");
    }
  }

  /**
   * Sets a dotted entry from an environment string. The entry keeps the JSON type it has in the
   * file: a number stays a number (a password of digits stays text).
   */
  private static void override(JsonObject root, String entry, String value) {
    String[] parts = entry.split("\\.");
    JsonObject node = root;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = node.getJsonObject(parts[i]);
      if (child == null) {
        child = new JsonObject();
        node.put(parts[i], child);
      }
      node = child;
    }
    String key = parts[parts.length - 1];
    Object current = node.getValue(key);
    if (TEXT_ENTRIES.contains(entry)) {
      node.put(key, value);
      return;
    }
    boolean numeric = current instanceof Number || (current == null && value.matches("-?\\d{1,18}"));
    if (numeric && value.matches("-?\\d{1,18}")) {
      node.put(key, Long.parseLong(value));
    } else if (current instanceof Boolean && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
      node.put(key, Boolean.parseBoolean(value));
    } else {
      node.put(key, value);
    }
  }

  /** Reads dotted entries of one file, naming the file and entry in every complaint. */
  private record Reader(String file, JsonObject root) {
    Object value(String entry) {
      Object node = root;
      for (String part : entry.split("\\.")) {
        if (part.endsWith("]")) {
          String name = part.substring(0, part.indexOf('['));
          int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.length() - 1));
          node = node instanceof JsonObject o && o.getValue(name) instanceof JsonArray a && index < a.size()
              ? a.getValue(index) : null;
        } else {
          node = node instanceof JsonObject o ? o.getValue(part) : null;
        }
      }
      return node;
    }

    long integer(String entry, long min, long max) {
      Object v = value(entry);
      if (!(v instanceof Integer || v instanceof Long)) {
        throw bad(entry, v == null ? "is missing" : "must be an integer");
      }
      long n = ((Number) v).longValue();
      if (n < min || n > max) {
        throw bad(entry, "must be between " + min + " and " + max + " (was " + n + ")");
      }
      return n;
    }

    String text(String entry) {
      Object v = value(entry);
      if (!(v instanceof String s) || s.isBlank()) {
        throw bad(entry, v == null ? "is missing" : "must be a non-empty string");
      }
      return s;
    }

    /** One of {@code allowed}, or {@code fallback} when the entry is absent or empty. */
    String oneOf(String entry, List<String> allowed, String fallback) {
      String v = textOrEmpty(entry);
      if (v.isEmpty()) {
        return fallback;
      }
      if (!allowed.contains(v)) {
        throw bad(entry, "must be one of " + allowed + " (was '" + v + "')");
      }
      return v;
    }

    String oneOf(String entry, Set<String> allowed) {
      String v = text(entry);
      if (!allowed.contains(v)) {
        throw bad(entry, "must be one of " + allowed + " (was '" + v + "')");
      }
      return v;
    }

    String textOrEmpty(String entry) {
      Object v = value(entry);
      if (v == null) {
        return "";
      }
      if (!(v instanceof String s)) {
        throw bad(entry, "must be a string");
      }
      return s;
    }

    boolean bool(String entry, boolean fallback) {
      Object v = value(entry);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Boolean b)) {
        throw bad(entry, "must be true or false");
      }
      return b;
    }

    JsonArray array(String entry) {
      Object v = value(entry);
      if (v == null) {
        return new JsonArray();
      }
      if (!(v instanceof JsonArray a)) {
        throw bad(entry, "must be an array");
      }
      return a;
    }

    ConfigException bad(String entry, String problem) {
      return new ConfigException(file + ": " + entry + " " + problem);
    }
  }
}
