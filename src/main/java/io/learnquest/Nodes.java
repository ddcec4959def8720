package io.learnquest;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.KubernetesConfig;
import com.hazelcast.config.NetworkConfig;
import io.learnquest.config.EngineConfig;
import io.learnquest.metrics.EngineMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.Arrays;

/**
 * The Vert.x instance a node runs on: standalone, or a member of a Hazelcast-clustered event bus
 * when {@code cluster.enabled}. The cluster is configured from {@code conf/engine.json} and the
 * environment, never by multicast: members are listed (or found through Kubernetes), interfaces
 * pinned.
 */
public final class Nodes {
  static final String ANY_INTERFACE = "*";
  static final String KUBERNETES = "kubernetes";

  private Nodes() {
  }

  public static Future<Vertx> vertx(EngineConfig config) {
    EngineConfig.ClusterSettings cluster = config.cluster();
    // Each node its own registry: in a cluster every node answers /metrics for itself.
    EngineMetrics metrics = EngineMetrics.create();
    VertxOptions options = new VertxOptions().setMetricsOptions(metrics.vertxOptions());
    options.setEventLoopPoolSize(eventLoops(config.eventLoops(), Runtime.getRuntime().availableProcessors()));
    if (!cluster.enabled()) {
      Vertx vertx = Vertx.builder().with(options).withMetrics(metrics.vertxFactory()).build();
      metrics.attachTo(vertx);
      return Future.succeededFuture(vertx);
    }
    options.setEventBusOptions(new EventBusOptions()
        .setHost(cluster.eventBusHost())
        .setClusterPublicHost(cluster.eventBusHost()));
    return Vertx.builder().with(options).withMetrics(metrics.vertxFactory())
        .withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
        .buildClustered()
        .onSuccess(metrics::attachTo);
  }

  /**
   * The event-loop threads of a node: {@code configured}, or when it is 0 half the {@code cores}, at
   * least one. Vert.x's own default is twice the cores; fewer loops hand an event between threads
   * less often, and on two cores one loop cost 0.64 times the CPU per event of four at a light load
   * and 0.77 to 0.81 times at saturation, at a higher rate (docs/deployment.md, "Event loops").
   */
  static int eventLoops(int configured, int cores) {
    return configured > 0 ? configured : Math.max(1, cores / 2);
  }

  /** Vert.x's own map settings (from its default configuration), with our network on top. */
  static Config hazelcast(EngineConfig.ClusterSettings cluster) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // A member that stops answering is dropped within seconds, so its locks (the inactivity
    // sweeper's lease among them) move to another member quickly.
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "6");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    if (ANY_INTERFACE.equals(cluster.networkInterface())) {
      // A pod's address is not known before it starts: bind every interface.
      config.setProperty("hazelcast.socket.bind.any", "true");
    } else {
      network.getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(cluster.networkInterface()));
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (KUBERNETES.equals(cluster.discovery())) {
      // Hazelcast's own Kubernetes discovery: a DNS lookup of a headless service, or the API.
      join.getTcpIpConfig().setEnabled(false);
      KubernetesConfig kubernetes = join.getKubernetesConfig().setEnabled(true);
      if (!cluster.kubernetesServiceDns().isEmpty()) {
        kubernetes.setProperty("service-dns", cluster.kubernetesServiceDns());
      } else {
        if (!cluster.kubernetesNamespace().isEmpty()) {
          kubernetes.setProperty("namespace", cluster.kubernetesNamespace());
        }
        if (!cluster.kubernetesServiceName().isEmpty()) {
          kubernetes.setProperty("service-name", cluster.kubernetesServiceName());
        }
      }
      kubernetes.setProperty("service-port", Integer.toString(cluster.port()));
    } else {
      join.getTcpIpConfig().setEnabled(true)
          .setMembers(Arrays.stream(cluster.members().split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList());
    }
    return config;
  }
}
