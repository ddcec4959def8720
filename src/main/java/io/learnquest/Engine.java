package io.learnquest;

import io.learnquest.badges.BadgesVerticle;
import io.learnquest.bus.Bus;
import io.learnquest.config.EngineConfig;
import io.learnquest.ingestion.IngestionVerticle;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.leaderboards.LeaderboardsVerticle;
import io.learnquest.notifications.NotificationsVerticle;
import io.learnquest.rules.RulesVerticle;
import io.learnquest.store.StoreFactory;
import io.learnquest.store.Stores;
import io.learnquest.streaks.StreaksVerticle;
import io.learnquest.web.ApiDocument;
import io.learnquest.web.WebVerticle;
import io.learnquest.xp.XpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node runs: its stores, then each verticle with the configured number of instances, in
 * an order where every verticle finds the ones it asks already listening (web last, so the API
 * opens only when the engine behind it is there).
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final EngineContext context;
  private final List<String> deployments = new ArrayList<>();
  private final List<WebVerticle> webVerticles = new ArrayList<>();

  private Engine(EngineContext context) {
    this.context = context;
  }

  public static Future<Engine> start(Vertx vertx, EngineConfig config, Clock clock) {
    return start(vertx, config, clock, UnaryOperator.identity());
  }

  /** As above, with {@code around} put in front of the stores (tests use it to make a store fail). */
  public static Future<Engine> start(Vertx vertx, EngineConfig config, Clock clock, UnaryOperator<Stores> around) {
    Future<Void> topics = config.kafka().enabled() ? KafkaClients.ensureTopics(vertx, config.kafka())
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "Kafka at " + config.kafka().bootstrapServers() + " cannot be used: " + e.getMessage(), e)))
        : Future.succeededFuture();
    return topics.compose(v -> StoreFactory.create(vertx, config, clock)).map(around).compose(stores -> {
      Engine engine = new Engine(new EngineContext(config, stores, clock));
      if (config.instancesOf("web") > 0) {
        // checked while the other verticles deploy; the web verticle waits for it
        ApiDocument.contract(engine.context, vertx);
      }
      return engine.deployAll(vertx).map(engine);
    });
  }

  private Future<Void> deployAll(Vertx vertx) {
    return deploy(vertx, "streaks", StreaksVerticle::new)
        .compose(v -> deploy(vertx, "xp", XpVerticle::new))
        .compose(v -> deploy(vertx, "badges", BadgesVerticle::new))
        .compose(v -> deploy(vertx, "leaderboards", LeaderboardsVerticle::new))
        .compose(v -> deploy(vertx, "notifications", NotificationsVerticle::new))
        .compose(v -> deploy(vertx, "rules", RulesVerticle::new))
        .compose(v -> deploy(vertx, "ingestion", IngestionVerticle::new))
        .compose(v -> deploy(vertx, "web", ctx -> {
          WebVerticle web = new WebVerticle(ctx);
          synchronized (webVerticles) {
            webVerticles.add(web);
          }
          return web;
        }));
  }

  private Future<Void> deploy(Vertx vertx, String name, Function<EngineContext, Deployable> factory) {
    int instances = context.config().instancesOf(name);
    if (instances == 0) {
      LOG.info("Not running {} on this node", name);
      return Future.succeededFuture();
    }
    Supplier<Deployable> supplier = () -> factory.apply(context);
    return vertx.deployVerticle(supplier, new DeploymentOptions().setInstances(instances))
        .onSuccess(id -> {
          Bus.servedLocally(vertx, name);
          deployments.add(id);
          LOG.info("Deployed {} x{}", name, instances);
        })
        .mapEmpty();
  }

  public EngineContext context() {
    return context;
  }

  /** The routes of the web verticle (its first instance), or null when this node runs none. */
  public Router httpRouter() {
    synchronized (webVerticles) {
      return webVerticles.isEmpty() ? null : webVerticles.get(0).router();
    }
  }

  /** The HTTP port the web verticle bound, or -1 when this node runs no web verticle. */
  public int httpPort() {
    synchronized (webVerticles) {
      return webVerticles.isEmpty() ? -1 : webVerticles.get(0).actualPort();
    }
  }
}
