package io.learnquest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.learnquest.config.ConfigLoader;
import io.learnquest.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hazelcast configuration a clustered node is built with: a static member list, or Kubernetes. */
class NodesTest {
  private static Config hazelcast(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("STORE", "postgres");
    all.put("CLUSTER", "true");
    return Nodes.hazelcast(ConfigLoader.load(Path.of("conf"), all).cluster());
  }

  @Test
  void staticDiscoveryJoinsTheListedMembersOnThePinnedInterface() {
    Config config = hazelcast(Map.of("CLUSTER_MEMBERS", "10.0.1.11, 10.0.1.12:5702", "CLUSTER_INTERFACE",
        "10.0.1.*"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.1.11", "10.0.1.12:5702"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getKubernetesConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(config.getNetworkConfig().getInterfaces().isEnabled());
    assertEquals(List.of("10.0.1.*"), List.copyOf(config.getNetworkConfig().getInterfaces().getInterfaces()));
  }

  @Test
  void kubernetesDiscoveryByTheDnsOfAHeadlessService() {
    Config config = hazelcast(Map.of("CLUSTER_DISCOVERY", "kubernetes",
        "CLUSTER_K8S_SERVICE_DNS", "lq-hazelcast.prod.svc.cluster.local", "CLUSTER_INTERFACE", "*"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("lq-hazelcast.prod.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5701", join.getKubernetesConfig().getProperty("service-port"));
    assertFalse(config.getNetworkConfig().getInterfaces().isEnabled(), "a pod's address is not known in advance");
    assertEquals("true", config.getProperty("hazelcast.socket.bind.any"));
  }

  @Test
  void kubernetesDiscoveryThroughTheApi() {
    Config config = hazelcast(Map.of("CLUSTER_DISCOVERY", "kubernetes", "CLUSTER_K8S_NAMESPACE", "prod",
        "CLUSTER_K8S_SERVICE_NAME", "lq-hazelcast"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("prod", join.getKubernetesConfig().getProperty("namespace"));
    assertEquals("lq-hazelcast", join.getKubernetesConfig().getProperty("service-name"));
    assertEquals(null, join.getKubernetesConfig().getProperty("service-dns"));
  }

  /** {@code node.eventLoops} sets the number of Vert.x event-loop threads; 0 is half the cores, at least one. */
  @Test
  void theNodeRunsTheEventLoopsItIsConfiguredWith() {
    for (Map.Entry<String, Integer> loops : Map.of("1", 1, "3", 3,
        "0", Nodes.eventLoops(0, Runtime.getRuntime().availableProcessors())).entrySet()) {
      Vertx vertx = TestEngine.await(Nodes.vertx(ConfigLoader.load(Path.of("conf"),
          Map.of("NODE_EVENT_LOOPS", loops.getKey()))));
      try {
        int threads = 0;
        for (io.netty.util.concurrent.EventExecutor ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
          threads++;
        }
        assertEquals(loops.getValue(), threads, "NODE_EVENT_LOOPS=" + loops.getKey());
      } finally {
        TestEngine.await(vertx.close());
      }
    }
  }

  /**
   * Not Vert.x's twice the cores: on the two-core machine of the benchmarks one loop per two cores
   * took the least CPU per event at every load measured.
   */
  @Test
  void byDefaultANodeRunsOneEventLoopForEveryTwoCores() {
    assertEquals(1, Nodes.eventLoops(0, 1));
    assertEquals(1, Nodes.eventLoops(0, 2));
    assertEquals(1, Nodes.eventLoops(0, 3));
    assertEquals(4, Nodes.eventLoops(0, 8));
    assertEquals(3, Nodes.eventLoops(3, 8), "a configured number is kept");
    assertEquals(16, Nodes.eventLoops(16, 2), "even above the cores");
  }
}
