package io.learnquest.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.EngineProcess;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node with a bad configuration does not start: it says which entry is wrong and exits 2. A node
 * with a good one stays up, whichever first steps its configuration takes.
 */
class MainStartupTest {
  @Test
  void aStandaloneNodeWithKafkaStaysUp() throws Exception {
    TestKafka kafka = TestKafka.fresh();
    Map<String, String> env = new HashMap<>(TestStores.postgresEnv());
    env.putAll(kafka.env(1));
    try (EngineProcess node = new EngineProcess(env, Files.createTempFile("main-kafka", ".log"))) {
      node.start();
      Thread.sleep(1000);
      assertTrue(node.isAlive(), "still running a second later");
      // and still answering; a busy machine may take more than one try's 2 s
      TestEngine.eventually(Duration.ofSeconds(20), () -> {
        assertTrue(node.isAlive(), "still running");
        return node.status("/health") == 200;
      });
    }
  }

  @Test
  void aBadEntryStopsStartUpWithAMessageNamingIt() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.learnquest.Main").redirectErrorStream(true);
    builder.environment().put("XP_PASS_MARK", "250");
    builder.environment().put("HTTP_PORT", "0");
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the node should stop by itself");
    String output = new String(process.getInputStream().readAllBytes());
    assertEquals(2, process.exitValue(), output);
    assertTrue(output.contains("Configuration error: conf/engine.json: xp.passMark must be between 0 and 100 (was 250)"),
        output);
  }
}
