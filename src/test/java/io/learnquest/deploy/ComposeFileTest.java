package io.learnquest.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What compose.yaml and the Dockerfile must hold for the engine, beyond the Compose schema (which
 * scripts/check-compose checks): three clustered nodes on the durable stores and Kafka, each
 * setting one the engine knows, started only once their stores are healthy; an image that builds
 * in stages, runs as a non-root user, checks its health and listens beyond loopback.
 */
class ComposeFileTest {
  private static final List<String> ENGINES = List.of("engine-1", "engine-2", "engine-3");
  private static final Pattern DEFAULTED = Pattern.compile("\\$\\{(\\w+):-([^}]*)}");
  private static Map<String, Object> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void read() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("compose.yaml")));
    services = (Map<String, Object>) compose.get("services");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(String name) {
    Map<String, Object> service = (Map<String, Object>) services.get(name);
    assertNotNull(service, "no service " + name);
    return service;
  }

  /** A node's environment as Compose gives it when no LQ_* variable is set: the ${X:-default}s. */
  @SuppressWarnings("unchecked")
  private static Map<String, String> environment(String name) {
    Map<String, String> env = new LinkedHashMap<>();
    ((Map<String, Object>) service(name).get("environment")).forEach((key, value) -> {
      Matcher m = DEFAULTED.matcher(String.valueOf(value));
      env.put(key, m.replaceAll(r -> Matcher.quoteReplacement(r.group(2))));
    });
    return env;
  }

  @Test
  void theStoresKafkaAndThreeEnginesEachWithAHealthCheck() {
    for (String name : List.of("postgres", "redis", "kafka", "engine-1", "engine-2", "engine-3")) {
      assertNotNull(service(name).get("healthcheck"), name + " has no healthcheck");
    }
    assertEquals(6, services.size(), services.keySet().toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyEngineIsBuiltFromTheDockerfileAndWaitsForHealthyStores() {
    for (String engine : ENGINES) {
      assertEquals(".", service(engine).get("build"), engine);
      Map<String, Map<String, Object>> dependsOn = (Map<String, Map<String, Object>>) service(engine).get("depends_on");
      assertEquals(List.of("kafka", "postgres", "redis"), dependsOn.keySet().stream().sorted().toList(), engine);
      dependsOn.forEach((store, condition) -> assertEquals("service_healthy", condition.get("condition"),
          engine + " -> " + store));
    }
  }

  @Test
  void everyEngineSettingIsOneTheEngineKnowsAndTheWholeLoads() {
    for (String engine : ENGINES) {
      Map<String, String> env = environment(engine);
      Map<String, String> known = ConfigLoader.variables(Path.of("conf"));
      List<String> unknown = new ArrayList<>();
      for (String variable : env.keySet()) {
        String base = variable.endsWith(ConfigLoader.FILE_SUFFIX)
            ? variable.substring(0, variable.length() - ConfigLoader.FILE_SUFFIX.length()) : variable;
        if (!known.containsKey(base) && !base.equals("JAVA_OPTS")) {
          unknown.add(variable);
        }
      }
      assertEquals(List.of(), unknown, engine + " sets variables the engine does not read");
      EngineConfig config = ConfigLoader.load(Path.of("conf"), new HashMap<>(env));
      assertEquals("postgres", config.store(), engine);
      assertTrue(config.kafka().enabled(), engine);
      assertTrue(config.cluster().enabled(), engine);
      assertEquals("static", config.cluster().discovery(), engine);
      assertEquals(engine, config.cluster().eventBusHost(), engine + " must give the others its own address");
      assertEquals(String.join(",", ENGINES), config.cluster().members(), engine);
      assertEquals("kafka:9092", config.kafka().bootstrapServers(), engine);
      assertEquals("postgres", config.postgres().host(), engine);
      assertEquals("redis", config.redis().host(), engine);
      assertEquals(engine, service(engine).get("hostname"));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void enginesPublishDistinctPortsOnLoopbackOnly() {
    List<String> ports = new ArrayList<>();
    for (String engine : ENGINES) {
      for (Object port : (List<Object>) service(engine).get("ports")) {
        assertTrue(String.valueOf(port).startsWith("127.0.0.1:"), engine + " publishes " + port + " beyond loopback");
        ports.add(String.valueOf(port).split(":")[1]);
      }
    }
    assertEquals(List.of("8080", "8081", "8082"), ports);
  }

  @Test
  void kafkaRunsInKraftModeWithoutZooKeeper() {
    Map<String, String> env = environment("kafka");
    assertTrue(env.get("KAFKA_PROCESS_ROLES").contains("controller"), env.toString());
    assertFalse(services.containsKey("zookeeper"));
    assertTrue(env.keySet().stream().noneMatch(k -> k.contains("ZOOKEEPER")), env.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void redisWantsTheEnginesAclUserWithThePasswordTheEnginesSend() {
    List<String> command = ((List<Object>) service("redis").get("command")).stream().map(String::valueOf).toList();
    String password = environment("engine-1").get("REDIS_PASSWORD");
    assertEquals("engine", environment("engine-1").get("REDIS_USER"));
    int user = command.indexOf("engine");
    assertTrue(user > 0 && command.get(user - 1).equals("--user"), command.toString());
    String expected = ">" + password;
    assertTrue(command.stream().anyMatch(arg -> DEFAULTED.matcher(arg).replaceAll(r -> r.group(2)).equals(expected)),
        command.toString());
    assertTrue(command.contains("~" + new EngineKeys().prefix() + "*"), command.toString());
  }

  @Test
  void theImageBuildsInStagesRunsAsANonRootUserAndChecksItsHealth() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("Dockerfile")).stream().map(String::strip)
        .filter(l -> !l.startsWith("#")).toList();
    assertEquals(2, lines.stream().filter(l -> l.startsWith("FROM ")).count(), "a build stage and a run stage");
    assertTrue(lines.stream().anyMatch(l -> l.matches("FROM maven:\\S+ AS build")), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("COPY --from=build ")), lines.toString());
    String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
    assertFalse(user.equals("USER root") || user.equals("USER 0"), user);
    String dockerfile = String.join("\n", lines);
    assertTrue(dockerfile.contains("HEALTHCHECK"), "no HEALTHCHECK");
    assertTrue(dockerfile.contains("/health\""), "the HEALTHCHECK asks /health");
    assertTrue(dockerfile.contains("HTTP_HOST=0.0.0.0"), "the engine must listen beyond the container's loopback");
  }

  @Test
  void theBuildContextLeavesTargetAndGitOut() throws IOException {
    List<String> patterns = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    assertEquals("*", patterns.get(0), "everything is left out unless named");
    assertEquals(List.of("!pom.xml", "!src/main/", "!conf/"), patterns.subList(1, patterns.size()));
  }

  /** The key prefix the shipped configuration gives the engine's Redis keys. */
  private record EngineKeys() {
    String prefix() {
      return ConfigLoader.load(Path.of("conf"), Map.of()).redis().keyPrefix();
    }
  }
}
