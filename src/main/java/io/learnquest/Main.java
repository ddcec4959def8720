package io.learnquest;

import io.learnquest.config.ConfigException;
import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts one node with the configuration from {@code conf/} and the environment. */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  /** The appenders of logback.xml that {@code LOG_FORMAT} chooses between. */
  static final java.util.List<String> LOG_FORMATS = java.util.List.of("text", "json");

  private Main() {
  }

  /**
   * Netty 4.2 registers its buffer allocator's JFR events when it first allocates a chunk, on
   * whichever event loop that is: on a busy machine the JFR metadata set-up blocked an event loop
   * for over 6 s. Off unless the command line turns it on ({@code -Dio.netty.jfr.enabled=true});
   * JFR recordings of the JVM itself are not affected.
   */
  static final String NETTY_JFR = "io.netty.jfr.enabled";

  public static void main(String[] args) {
    if (System.getProperty(NETTY_JFR) == null) {
      System.setProperty(NETTY_JFR, "false");
    }
    String logFormat = System.getenv("LOG_FORMAT");
    if (logFormat != null && !logFormat.isEmpty() && !LOG_FORMATS.contains(logFormat)) {
      // logback would log nothing at all for an unknown format
      System.err.println("Configuration error: LOG_FORMAT must be one of " + LOG_FORMATS + ", not " + logFormat);
      System.exit(2);
      return;
    }
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
    AtomicReference<Engine> started = new AtomicReference<>();
    vertx.getOrCreateContext().runOnContext(ignored -> Engine.start(vertx, config, Clock.systemUTC())
        .onSuccess(started::set)
        .onSuccess(engine -> LOG.info("LearnQuest engine ready on port {} (store: {}, {}{})", engine.httpPort(),
            config.store(), config.cluster().enabled() ? "cluster " + config.cluster().name() : "standalone",
            config.kafka().enabled() ? ", kafka " + config.kafka().bootstrapServers() : ""))
        .onFailure(e -> {
          LOG.error("Engine failed to start: {}", e.getMessage(), e);
          vertx.close().onComplete(v -> System.exit(1));
        }));
    // SIGTERM (or the end of main's JVM): stop in order within shutdown.graceMs. The JVM halts when
    // this hook returns, so the bounded wait is what guarantees the exit, whatever is still closing.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long graceMs = config.shutdownGraceMs();
      Engine engine = started.get();
      LOG.info("Shutdown requested: stopping within {} ms", graceMs);
      try {
        (engine == null ? Future.<Void>succeededFuture() : engine.stop(graceMs))
            .eventually(() -> vertx.close())
            .await(Math.max(graceMs, Engine.VERTX_CLOSE_BOUND_MS), TimeUnit.MILLISECONDS);
        LOG.info("Shutdown complete");
      } catch (TimeoutException e) {
        LOG.warn("Shutdown: not all closed within {} ms; exiting anyway", graceMs);
      } catch (Exception e) {
        LOG.warn("Shutdown: {}", e.toString());
      }
    }, "learnquest-shutdown"));
  }
}
