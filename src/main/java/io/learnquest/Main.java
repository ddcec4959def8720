package io.learnquest;

import io.learnquest.config.ConfigException;
import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node with the configuration from {@code conf/} and the environment. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    EngineConfig config;
    try {
      config = ConfigLoader.load();
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx;
    try {
      vertx = Nodes.vertx(config).await();
    } catch (Exception e) {
      LOG.error("Could not join the cluster: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    // Started from an event loop: its (non-daemon) thread keeps the JVM up once main returns, even
    // when the first steps (Kafka's admin client) run only on daemon threads of their own.
    vertx.getOrCreateContext().runOnContext(ignored -> Engine.start(vertx, config, Clock.systemUTC())
        .onSuccess(engine -> LOG.info("LearnQuest engine ready on port {} (store: {}, {}{})", engine.httpPort(),
            config.store(), config.cluster().enabled() ? "cluster " + config.cluster().name() : "standalone",
            config.kafka().enabled() ? ", kafka " + config.kafka().bootstrapServers() : ""))
        .onFailure(e -> {
          LOG.error("Engine failed to start: {}", e.getMessage(), e);
          vertx.close().onComplete(v -> System.exit(1));
        }));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await();
      } catch (Exception e) {
        LOG.warn("Shutdown: {}", e.getMessage());
      }
    }));
  }
}
