package io.learnquest.config;

import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.event.EventTypeSpec;
import io.learnquest.domain.event.EventTypes;
import io.learnquest.domain.fairplay.FairPlay;
import io.learnquest.domain.limits.Limits;
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
 * variables override single entries (each named after the entry's path, see {@link Settings}), and
 * validates everything up front: a bad entry stops start-up with a message naming it.
 */
public final class ConfigLoader {
  public static final String CONF_DIR_ENV = "CONF_DIR";
  /** {@code VAR_FILE} names a file whose content is the value of {@code VAR} (for secrets mounted as files). */
  public static final String FILE_SUFFIX = "_FILE";
  /**
   * Secrets, each of which {@code conf/engine.json} may also give as the path of a file holding it
   * ({@code postgres.passwordFile} for {@code postgres.password}).
   */
  static final List<String> SECRETS = List.of("postgres.password", "redis.password", "kafka.saslPassword",
      "kafka.sslTruststorePassword", "auth.bootstrapKey", "auth.operatorKey");
  static final Set<String> STORES = Set.of("memory", "postgres");
  static final Set<String> BUILT_IN_ACTIVITIES = Activities.defaults().keySet();
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
    return load(dir, settings(dir, env));
  }

  /**
   * Every environment variable that sets an entry of {@code dir/engine.json}, beside that entry:
   * the entries loading reads, each with the variables its path names ({@link Settings}).
   */
  public static Map<String, String> variables(Path dir) {
    Settings settings = settings(dir, Map.of());
    load(dir, settings);
    Map<String, String> variables = new LinkedHashMap<>();
    settings.overridableEntries().forEach((entry, names) -> names.forEach(name -> variables.put(name, entry)));
    return variables;
  }

  /** The entries of {@code dir/engine.json} over the environment, secrets named by file read in. */
  static Settings settings(Path dir, Map<String, String> env) {
    Path enginePath = dir.resolve("engine.json");
    Settings r = new Settings(enginePath.toString(), readJson(enginePath), env);
    for (String secret : SECRETS) {
      if (r.inFile(secret + "File") instanceof String file && !file.isEmpty()) {
        if (r.inFile(secret) instanceof String inline && !inline.isEmpty()) {
          throw r.bad(secret, "and " + secret + "File are both set; keep one");
        }
        r.putInFile(secret, readSecret(file, enginePath + ": " + secret + "File"));
      }
    }
    return r;
  }

  static EngineConfig load(Path dir, Settings r) {
    Path badgesPath = dir.resolve("badges.json");
    JsonObject badges = readJson(badgesPath);
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
            r.integer("kafka.recoverAfterMs", 100, Long.MAX_VALUE),
            (int) r.integer("kafka.producerLingerMs", 0, 60_000), (int) r.integer("kafka.fetchMinBytes", 1, 1 << 24),
            (int) r.integer("kafka.fetchMaxWaitMs", 0, 60_000), (int) r.integer("kafka.batchesInFlight", 1, 64),
            r.integer("kafka.commitIntervalMs", 0, 60_000), kafkaSecurity(r)),
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
        (int) r.integer("node.eventLoops", 0, 1_024),
        instances(r),
        new EngineConfig.MetricsSettings(r.textOrEmpty("metrics.token")),
        fairPlay(r),
        new EngineConfig.AuthSettings(r.textOrEmpty("auth.bootstrapKey"), r.textOrEmpty("auth.operatorKey"),
            origins(r, "auth.allowedOrigins"), r.text("auth.firstKeyPath"),
            r.integer("auth.cacheTtlMs", 0, 60_000)),
        limits(r));
    if (config.cluster().enabled() && config.store().equals("memory")) {
      throw r.bad("cluster.enabled", "needs store postgres: nodes of a cluster must share their stores");
    }
    if (config.kafka().enabled() && config.store().equals("memory")) {
      throw r.bad("kafka.enabled", "needs store postgres: committed offsets point past events only a durable store keeps");
    }
    return config;
  }

  private static EngineConfig.RedisSettings redis(Settings r) {
    String url = r.textOrEmpty("redis.url");
    if (!url.isEmpty() && !url.startsWith("redis://") && !url.startsWith("rediss://")) {
      // Not the URL itself in the message: it may carry a password.
      throw r.bad("redis.url", "must start with redis:// or rediss://");
    }
    return new EngineConfig.RedisSettings(r.text("redis.host"), (int) r.integer("redis.port", 1, 65535),
        r.textOrEmpty("redis.keyPrefix"), (int) r.integer("redis.poolSize", 1, 256),
        (int) r.integer("redis.limitsPoolSize", 1, 256),
        (int) r.integer("redis.weeklyRetentionWeeks", 1, 10_000), url, r.textOrEmpty("redis.user"),
        r.textOrEmpty("redis.password"), r.bool("redis.tls", false) || url.startsWith("rediss://"),
        r.textOrEmpty("redis.tlsCaFile"));
  }

  private static EngineConfig.KafkaSecurity kafkaSecurity(Settings r) {
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

  /**
   * The base XP of every built-in activity: the {@code xp.baseXp} entry, or the activity's default
   * when there is none (so a configuration written before an activity existed still loads).
   */
  private static Rewards rewards(Settings r) {
    Map<String, Long> base = new LinkedHashMap<>();
    Activities.defaults().forEach((activity, fallback) ->
        base.put(activity, r.integer("xp.baseXp." + activity, 0, 1_000_000_000, fallback)));
    return new Rewards(base, (int) r.integer("xp.passMark", 0, 100));
  }

  private static EventTypes eventTypes(Settings r) {
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
        // decoded from the file's text, so it holds plain maps and lists all the way down
        BadgeDefinition parsed = BadgeDefinition.parse(definition.getMap(), parser, at);
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
  private static EngineConfig.FairPlaySettings fairPlay(Settings r) {
    FairPlay defaults = fairPlay(r, "fairPlay.", FairPlay.DEFAULTS);
    Map<String, FairPlay> tenants = new LinkedHashMap<>();
    if (r.inFile("fairPlay.tenants") instanceof JsonObject byTenant) {
      for (String tenantId : byTenant.fieldNames()) {
        if (!tenantId.matches("[a-z0-9-]{1,40}")) {
          throw r.bad("fairPlay.tenants." + tenantId, "is not a tenant id (1 to 40 of a-z, 0-9 and -)");
        }
        tenants.put(tenantId, fairPlay(r, "fairPlay.tenants." + tenantId + ".", defaults));
      }
    } else if (r.inFile("fairPlay.tenants") != null) {
      throw r.bad("fairPlay.tenants", "must be an object of tenant ids");
    }
    return new EngineConfig.FairPlaySettings(defaults, tenants);
  }

  private static FairPlay fairPlay(Settings r, String at, FairPlay fallback) {
    return new FairPlay(r.bool(at + "selfHelp", fallback.selfHelp()),
        r.value(at + "velocityMaxPerMinute") == null ? fallback.velocityMaxPerMinute()
            : (int) r.integer(at + "velocityMaxPerMinute", 1, 1_000_000),
        r.value(at + "maxEventAgeDays") == null ? fallback.maxEventAgeDays()
            : (int) r.integer(at + "maxEventAgeDays", 1, 36_500));
  }

  /**
   * {@code limits}: the defaults, and {@code limits.tenants.<tenantId>} with any of the same three
   * entries for a tenant of its own (the entries it leaves out keep the defaults).
   */
  private static EngineConfig.LimitSettings limits(Settings r) {
    Limits defaults = limits(r, "limits.", Limits.DEFAULTS);
    Map<String, Limits> tenants = new LinkedHashMap<>();
    if (r.inFile("limits.tenants") instanceof JsonObject byTenant) {
      for (String tenantId : byTenant.fieldNames()) {
        if (!tenantId.matches("[a-z0-9-]{1,40}")) {
          throw r.bad("limits.tenants." + tenantId, "is not a tenant id (1 to 40 of a-z, 0-9 and -)");
        }
        tenants.put(tenantId, limits(r, "limits.tenants." + tenantId + ".", defaults));
      }
    } else if (r.inFile("limits.tenants") != null) {
      throw r.bad("limits.tenants", "must be an object of tenant ids");
    }
    return new EngineConfig.LimitSettings(defaults, tenants,
        r.value("limits.pushSendBufferBytes") == null ? 65_536
            : (int) r.integer("limits.pushSendBufferBytes", 1_024, 64 << 20),
        r.value("http.idleTimeoutSeconds") == null ? 60 : (int) r.integer("http.idleTimeoutSeconds", 1, 86_400),
        r.value("http.socketSendBufferBytes") == null ? 0
            : (int) r.integer("http.socketSendBufferBytes", 0, 64 << 20),
        r.value("limits.connectionLeaseMs") == null ? 30_000
            : r.integer("limits.connectionLeaseMs", 1_000, 3_600_000),
        r.value("limits.storeWaitMs") == null ? 250 : r.integer("limits.storeWaitMs", 10, 60_000));
  }

  private static Limits limits(Settings r, String at, Limits fallback) {
    return new Limits(
        r.value(at + "requestsPerKeyPerSecond") == null ? fallback.requestsPerKeyPerSecond()
            : r.integer(at + "requestsPerKeyPerSecond", 1, Limits.MAX_PER_SECOND),
        r.value(at + "eventsPerLearnerPerMinute") == null ? fallback.eventsPerLearnerPerMinute()
            : r.integer(at + "eventsPerLearnerPerMinute", 1, Limits.MAX_PER_MINUTE),
        r.value(at + "connectionsPerLearner") == null ? fallback.connectionsPerLearner()
            : (int) r.integer(at + "connectionsPerLearner", 1, 10_000));
  }

  /** A comma-separated list of browser origins ({@code scheme://host[:port]}, no path). */
  private static List<String> origins(Settings r, String entry) {
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

  private static Map<String, Integer> instances(Settings r) {
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
}
