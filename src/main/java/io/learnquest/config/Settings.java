package io.learnquest.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dotted entries of one configuration file, each overridable by the environment variable its
 * path names: {@code fairPlay.velocityMaxPerMinute} is {@code FAIR_PLAY_VELOCITY_MAX_PER_MINUTE}
 * (camel case and dots become upper snake case). No table lists the settings: an entry the loader
 * reads is an entry the environment can set. A variable's value takes the type the reader asks
 * for, so a password of digits stays text. Every complaint names the file and the entry.
 *
 * <p>A few documented names are older than that rule and keep working beside the derived ones:
 * {@code PG_*} for {@code postgres.*}, a section's switch by the section's name ({@code CLUSTER},
 * {@code KAFKA}), {@code <VERTICLE>_INSTANCES} for {@code instances.<verticle>}, and the names in
 * {@link #OLDER_NAMES}. Two names of one entry set to different values stop start-up.
 */
final class Settings {
  /** Sections whose variables start with a shorter word than the section: {@code PG_HOST} sets postgres.host. */
  private static final Map<String, String> SHORT_SECTIONS = Map.of("postgres", "PG");
  /** Documented names that predate the rule, each beside the entry it sets. */
  static final Map<String, String> OLDER_NAMES = Map.ofEntries(
      Map.entry("cluster.eventBusHost", "EVENTBUS_HOST"),
      Map.entry("cluster.kubernetesServiceDns", "CLUSTER_K8S_SERVICE_DNS"),
      Map.entry("cluster.kubernetesNamespace", "CLUSTER_K8S_NAMESPACE"),
      Map.entry("cluster.kubernetesServiceName", "CLUSTER_K8S_SERVICE_NAME"),
      Map.entry("redis.tlsCaFile", "REDIS_TLS_CA_CERT"),
      Map.entry("streaks.maxFreezes", "STREAK_MAX_FREEZES"),
      Map.entry("notifications.historyPerLearner", "NOTIFICATION_HISTORY"),
      Map.entry("ingestion.waitTimeoutMs", "WAIT_TIMEOUT_MS"),
      Map.entry("auth.bootstrapKey", "LQ_BOOTSTRAP_KEY"),
      Map.entry("auth.operatorKey", "LQ_OPERATOR_KEY"),
      Map.entry("auth.allowedOrigins", "LQ_ALLOWED_ORIGINS"),
      Map.entry("auth.firstKeyPath", "LQ_FIRST_KEY_PATH"));

  private final String file;
  private final JsonObject root;
  private final Map<String, String> env;
  /** Entries read so far that the environment may set, each with the variable that set it (or null). */
  private final Map<String, String> overridable = new LinkedHashMap<>();

  Settings(String file, JsonObject root, Map<String, String> env) {
    this.file = file;
    this.root = root;
    this.env = env;
  }

  /** The variable derived from an entry's path: {@code redis.keyPrefix} is {@code REDIS_KEY_PREFIX}. */
  static String variable(String entry) {
    StringBuilder name = new StringBuilder(entry.length() + 8);
    for (int i = 0; i < entry.length(); i++) {
      char c = entry.charAt(i);
      char before = i == 0 ? '.' : entry.charAt(i - 1);
      char after = i + 1 < entry.length() ? entry.charAt(i + 1) : '.';
      boolean wordStart = Character.isUpperCase(c) && (Character.isLowerCase(before) || Character.isDigit(before)
          || Character.isUpperCase(before) && Character.isLowerCase(after));
      if (wordStart) {
        name.append('_');
      }
      name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
    }
    return name.toString();
  }

  /** Every variable that sets {@code entry}: the derived one first, then any older documented name. */
  static List<String> variables(String entry) {
    List<String> names = new ArrayList<>(2);
    names.add(variable(entry));
    int dot = entry.indexOf('.');
    if (dot > 0) {
      String section = entry.substring(0, dot);
      String rest = entry.substring(dot + 1);
      if (SHORT_SECTIONS.containsKey(section)) {
        names.add(SHORT_SECTIONS.get(section) + "_" + variable(rest));
      }
      if (rest.equals("enabled")) {
        names.add(variable(section));
      }
      if (section.equals("instances")) {
        names.add(variable(rest) + "_INSTANCES");
      }
    }
    if (OLDER_NAMES.containsKey(entry)) {
      names.add(OLDER_NAMES.get(entry));
    }
    return names;
  }

  /** The entries read so far that the environment may set, each beside the variables that set it. */
  Map<String, List<String>> overridableEntries() {
    Map<String, List<String>> entries = new LinkedHashMap<>();
    overridable.keySet().forEach(entry -> entries.put(entry, variables(entry)));
    return entries;
  }

  /** The entry as the file has it, the environment aside. */
  Object inFile(String entry) {
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

  /** Sets an entry of the file (a secret read from the file its {@code ...File} entry names). */
  void putInFile(String entry, String value) {
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
    node.put(parts[parts.length - 1], value);
  }

  /**
   * The entry: from the environment when one of its variables is set (as text), else from the
   * file. Lists, objects and their parts come from the file only.
   */
  Object value(String entry) {
    Object inFile = inFile(entry);
    if (entry.contains("[") || inFile instanceof JsonObject || inFile instanceof JsonArray) {
      return inFile;
    }
    String set = null;
    String setBy = null;
    for (String variable : variables(entry)) {
      String value = ConfigLoader.environmentValue(env, variable);
      if (value == null || value.isEmpty()) {
        continue;
      }
      if (set != null && !set.equals(value)) {
        throw new ConfigException(setBy + " and " + variable + " both set " + entry
            + " and do not agree; keep one");
      }
      set = value;
      setBy = variable;
    }
    overridable.put(entry, setBy);
    return set != null ? set : inFile;
  }

  private String setBy(String entry) {
    return overridable.get(entry);
  }

  long integer(String entry, long min, long max) {
    Object v = value(entry);
    if (v instanceof String s && setBy(entry) != null && s.matches("-?\\d{1,18}")) {
      v = Long.parseLong(s);
    }
    if (!(v instanceof Integer || v instanceof Long)) {
      throw badValue(entry, v == null ? "is missing" : "must be an integer");
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw badValue(entry, "must be between " + min + " and " + max + " (was " + n + ")");
    }
    return n;
  }

  /** {@link #integer(String, long, long)}, or {@code fallback} when neither the file nor the environment sets it. */
  long integer(String entry, long min, long max, long fallback) {
    return value(entry) == null ? fallback : integer(entry, min, max);
  }

  String text(String entry) {
    Object v = value(entry);
    if (!(v instanceof String s) || s.isBlank()) {
      throw badValue(entry, v == null ? "is missing" : "must be a non-empty string");
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
      throw badValue(entry, "must be one of " + allowed + " (was '" + v + "')");
    }
    return v;
  }

  String oneOf(String entry, Set<String> allowed) {
    String v = text(entry);
    if (!allowed.contains(v)) {
      throw badValue(entry, "must be one of " + allowed + " (was '" + v + "')");
    }
    return v;
  }

  String textOrEmpty(String entry) {
    Object v = value(entry);
    if (v == null) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw badValue(entry, "must be a string");
    }
    return s;
  }

  boolean bool(String entry, boolean fallback) {
    Object v = value(entry);
    if (v instanceof String s && setBy(entry) != null && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      v = Boolean.parseBoolean(s);
    }
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean b)) {
      throw badValue(entry, "must be true or false");
    }
    return b;
  }

  /** A list of the file (the environment does not set lists). */
  JsonArray array(String entry) {
    Object v = inFile(entry);
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

  /** A value that is wrong, naming the variable when the environment gave it. */
  private ConfigException badValue(String entry, String problem) {
    String variable = setBy(entry);
    return bad(entry, problem + (variable == null ? "" : " (set by " + variable + ")"));
  }
}
