package io.learnquest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every environment variable the documentation names sets the entry it says, so naming settings
 * after their paths broke none of them: the README's configuration table row by row, and every
 * variable named in README, docs/deployment.md, docs/api.md, compose.yaml and the Dockerfile.
 */
class DocumentedVariablesTest {
  private static final Path CONF = Path.of("conf");
  private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");
  private static final Pattern NAMED_VARIABLE = Pattern.compile("`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`");
  /** Upper-case names in the docs that are not settings of engine.json, and what reads them instead. */
  private static final Set<String> NOT_ENTRIES = Set.of(
      "CONF_DIR", // the folder engine.json is read from
      "JAVA_OPTS", // the JVM's options, read by the image's entry point
      "LOG_LEVEL", "LOG_FORMAT", // read by logback.xml
      "LQ_PG_PASSWORD", "LQ_REDIS_PASSWORD", // compose.yaml's own, passed on as PG_PASSWORD and REDIS_PASSWORD
      "AT_RISK", "SASL_PLAINTEXT", "SASL_SSL", // values: a learner state, Kafka security protocols
      "X_FILE"); // the placeholder of "X and X_FILE"

  private final Map<String, String> variables = ConfigLoader.variables(CONF);

  @Test
  void aVariableIsItsEntrysPathInUpperSnakeCase() {
    assertEquals("FAIR_PLAY_VELOCITY_MAX_PER_MINUTE", Settings.variable("fairPlay.velocityMaxPerMinute"));
    assertEquals("PG_SSL_ROOT_CERT", Settings.variables("postgres.sslRootCert").get(1));
    assertEquals("POSTGRES_SSL_ROOT_CERT", Settings.variable("postgres.sslRootCert"));
    assertEquals("CLUSTER_EVENT_BUS_HOST", Settings.variable("cluster.eventBusHost"));
    assertEquals("XP_BASE_XP_QUIZ_PASS", Settings.variable("xp.baseXp.quiz_pass"));
    assertEquals("AUTH_CACHE_TTL_MS", Settings.variable("auth.cacheTtlMs"));
    assertEquals(List.of("KAFKA_ENABLED", "KAFKA"), Settings.variables("kafka.enabled"));
    assertEquals(List.of("INSTANCES_RULES", "RULES_INSTANCES"), Settings.variables("instances.rules"));
  }

  @Test
  void everyEntryTheLoaderReadsHasItsOwnVariablesAndNoVariableSetsTwoEntries() {
    Settings settings = ConfigLoader.settings(CONF, Map.of());
    ConfigLoader.load(CONF, settings);
    Map<String, List<String>> entries = settings.overridableEntries();
    assertTrue(entries.size() > 80, "the loader reads " + entries.size() + " overridable entries");
    Map<String, String> owner = new HashMap<>();
    entries.forEach((entry, names) -> names.forEach(name -> {
      String before = owner.put(name, entry);
      assertTrue(before == null, name + " would set both " + before + " and " + entry);
    }));
    // entries that had no variable before are now set the same way as the rest
    EngineConfig config = ConfigLoader.load(CONF, Map.of("POSTGRES_GROUP_COMMIT_MAX", "50", "LEVELS_FACTOR", "3",
        "XP_BASE_XP_LESSON", "70", "KAFKA_MAX_POLL_RECORDS", "100"));
    assertEquals(50, config.postgres().groupCommitMax());
    assertEquals(3, config.levelCurve().factor());
    assertEquals(70, config.rewards().baseXp().get("lesson"));
    assertEquals(100, config.kafka().maxPollRecords());
  }

  @Test
  void twoNamesOfOneEntryMustAgree() {
    assertEquals("db1", ConfigLoader.load(CONF, Map.of("PG_HOST", "db1", "POSTGRES_HOST", "db1")).postgres().host());
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(CONF, Map.of("PG_HOST", "db1", "POSTGRES_HOST", "db2")));
    assertTrue(e.getMessage().contains("postgres.host"), e.getMessage());
    assertTrue(e.getMessage().contains("PG_HOST") && e.getMessage().contains("POSTGRES_HOST"), e.getMessage());
    assertTrue(e.getMessage().contains("keep one"), e.getMessage());
    assertFalse(e.getMessage().contains("db2"), "values stay out of the message: " + e.getMessage());
  }

  @Test
  void everyRowOfTheReadmeConfigurationTableSetsTheEntriesItNames() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("## Configuration"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    int rows = 0;
    for (String line : section.split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      List<String> names = backticked(cells[1]);
      if (names.equals(List.of("LOG_LEVEL")) || names.equals(List.of("LOG_FORMAT"))) {
        continue; // not entries of engine.json: see everyVariableTheDocsNameIsHonored
      }
      List<String> entries = entries(cells[2]);
      if (entries.equals(List.of("instances.*"))) {
        for (String verticle : ConfigLoader.VERTICLES) {
          assertSets(verticle.toUpperCase() + "_INSTANCES", "instances." + verticle);
        }
        names = names.stream().filter(n -> !n.startsWith("<")).toList();
        entries = names.stream().map(n -> "instances." + n.substring(0, n.indexOf('_')).toLowerCase()).toList();
      }
      assertEquals(names.size(), entries.size(), "row " + line);
      for (int i = 0; i < names.size(); i++) {
        assertSets(names.get(i), entries.get(i));
        rows++;
      }
    }
    assertTrue(rows >= 60, "only " + rows + " variables found in the README's table");
  }

  @Test
  void everyVariableTheDocsNameIsHonored() throws IOException {
    Set<String> named = new TreeSet<>();
    for (String doc : List.of("README.md", "docs/deployment.md", "docs/api.md")) {
      String text = Files.readString(Path.of(doc));
      Matcher variables = NAMED_VARIABLE.matcher(text);
      while (variables.find()) {
        named.add(variables.group(1));
      }
      Matcher yamlNames = Pattern.compile("name: ([A-Z][A-Z0-9_]+)").matcher(text);
      while (yamlNames.find()) {
        named.add(yamlNames.group(1));
      }
    }
    Matcher dockerEnv = Pattern.compile("(?m)^(?:ENV |    )([A-Z][A-Z0-9_]+)=").matcher(
        Files.readString(Path.of("Dockerfile")));
    while (dockerEnv.find()) {
      named.add(dockerEnv.group(1));
    }
    Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("compose.yaml")));
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    @SuppressWarnings("unchecked")
    Map<String, Object> engineEnv = (Map<String, Object>) services.get("engine-1").get("environment");
    named.addAll(engineEnv.keySet());
    assertTrue(named.size() > 70, named.toString());

    List<String> unknown = new ArrayList<>();
    for (String name : named) {
      String base = name.endsWith(ConfigLoader.FILE_SUFFIX) && !name.equals("X_FILE")
          ? name.substring(0, name.length() - ConfigLoader.FILE_SUFFIX.length()) : name;
      if (NOT_ENTRIES.contains(base)) {
        continue;
      }
      if (!variables.containsKey(base)) {
        unknown.add(name);
        continue;
      }
      assertSets(base, variables.get(base));
    }
    assertEquals(List.of(), unknown, "named in the docs, set by nothing");

    // and the others are read where the docs say
    assertEquals("CONF_DIR", ConfigLoader.CONF_DIR_ENV);
    String logback = Files.readString(Path.of("src/main/resources/logback.xml"));
    assertTrue(logback.contains("${LOG_LEVEL:-INFO}") && logback.contains("${LOG_FORMAT:-text}"));
    String composeText = Files.readString(Path.of("compose.yaml"));
    assertTrue(composeText.contains("${LQ_PG_PASSWORD:-") && composeText.contains("${LQ_REDIS_PASSWORD:-"));
    assertTrue(Files.readString(Path.of("Dockerfile")).contains("$JAVA_OPTS"));
  }

  /** The variable sets the entry: loading reads the entry, and with the variable set reads its value. */
  private void assertSets(String variable, String entry) {
    assertEquals(entry, variables.get(variable), variable + " should set " + entry);
    Settings settings = ConfigLoader.settings(CONF, Map.of(variable, "from-" + variable));
    assertEquals("from-" + variable, settings.value(entry), variable);
    Settings fromFile = ConfigLoader.settings(CONF, Map.of(variable + ConfigLoader.FILE_SUFFIX, "/nonexistent/x"));
    ConfigException unreadable = assertThrows(ConfigException.class, () -> fromFile.value(entry));
    assertTrue(unreadable.getMessage().startsWith(variable + "_FILE: cannot read"), unreadable.getMessage());
  }

  private static List<String> backticked(String text) {
    List<String> tokens = new ArrayList<>();
    Matcher m = BACKTICKED.matcher(text);
    while (m.find()) {
      tokens.add(m.group(1));
    }
    return tokens;
  }

  /**
   * The entries a table cell names: its first, and then each {@code .name} after it (short for
   * the same section) or dotted path; what stands in parentheses or after a colon describes values.
   */
  private static List<String> entries(String cell) {
    String plain = cell.replaceAll("\\([^)]*\\)", "").replaceAll(":.*", "");
    List<String> entries = new ArrayList<>();
    String section = null;
    for (String token : backticked(plain)) {
      if (entries.isEmpty()) {
        entries.add(token);
        section = token.contains(".") ? token.substring(0, token.lastIndexOf('.')) : null;
      } else if (token.startsWith(".")) {
        entries.add(section + token);
      } else if (token.contains(".")) {
        entries.add(token);
      }
    }
    return entries;
  }
}
