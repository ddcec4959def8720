package io.learnquest.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.EngineProcess;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The inactivity sweep runs on exactly one node of a cluster (the holder of the sweeper lease),
 * and moves to another node when that one is killed with SIGKILL.
 */
class SweeperLeaseTest {
  @Test
  void exactlyOneNodeSweepsAndTheLeaseMovesWhenItDies() throws Exception {
    TestStores.emptyTestDatabase();
    Map<String, String> env = new HashMap<>(TestStores.postgresEnv());
    int port = 24_000 + ThreadLocalRandom.current().nextInt(400) * 10;
    env.put("CONF_DIR", "conf");
    env.put("LOG_LEVEL", "WARN");
    env.put("CLUSTER", "true");
    env.put("CLUSTER_NAME", "lq-lease-" + UUID.randomUUID());
    env.put("CLUSTER_PORT", Integer.toString(port));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1));
    env.put("INACTIVITY_SWEEP_INTERVAL_MS", "200");
    try (EngineProcess a = new EngineProcess(env, Files.createTempFile("lease-a", ".log"));
         EngineProcess b = new EngineProcess(env, Files.createTempFile("lease-b", ".log"))) {
      a.start();
      b.start();
      TestEngine.eventually(Duration.ofSeconds(20), () -> sweeper(a) || sweeper(b));
      // Over a number of sweep rounds, the lease stays with one node and never with both.
      EngineProcess holder = sweeper(a) ? a : b;
      EngineProcess other = holder == a ? b : a;
      for (int i = 0; i < 10; i++) {
        assertEquals(List.of(true, false), List.of(sweeperAnswer(holder), sweeperAnswer(other)));
        Thread.sleep(200);
      }
      holder.kill();
      TestEngine.eventually(Duration.ofSeconds(30), () -> sweeper(other));
    }
  }

  /** Whether the node says it is the sweeper; false too while it does not answer (starting, dead). */
  private static boolean sweeper(EngineProcess node) {
    try {
      return askSweeper(node);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What a running node says, asked again while it does not answer: a node slow to answer on a busy
   * machine is not a node that says "not the sweeper".
   */
  private static boolean sweeperAnswer(EngineProcess node) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        return askSweeper(node);
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    }
  }

  private static boolean askSweeper(EngineProcess node) throws IOException {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.base() + "/health"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("/health answered " + r.statusCode());
      }
      return new JsonObject(r.body()).getBoolean("inactivitySweeper");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
