package io.learnquest;

import io.learnquest.auth.Bootstrap;
import io.learnquest.badges.BadgesService;
import io.learnquest.badges.BadgesVerticle;
import io.learnquest.bus.Bus;
import io.learnquest.config.EngineConfig;
import io.learnquest.ingestion.IngestionService;
import io.learnquest.ingestion.IngestionVerticle;
import io.learnquest.kafka.KafkaClients;
import io.learnquest.leaderboards.LeaderboardsService;
import io.learnquest.leaderboards.LeaderboardsVerticle;
import io.learnquest.notifications.NotificationsService;
import io.learnquest.notifications.NotificationsVerticle;
import io.learnquest.rules.LearnersPending;
import io.learnquest.rules.RulesService;
import io.learnquest.rules.RulesVerticle;
import io.learnquest.store.StoreFactory;
import io.learnquest.store.Stores;
import io.learnquest.streaks.StreaksService;
import io.learnquest.streaks.StreaksVerticle;
import io.learnquest.web.ApiDocument;
import io.learnquest.web.RequestGate;
import io.learnquest.web.WebVerticle;
import io.learnquest.xp.XpService;
import io.learnquest.xp.XpVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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

  /**
   * What a stop keeps of its grace for tearing down (undeploying, closing the stores and Vert.x),
   * so that the whole stop fits in {@code shutdown.graceMs}; each teardown step has a bound of its own.
   */
  static final long TEARDOWN_MS = 3_000;
  static final long UNDEPLOY_BOUND_MS = 1_200;
  static final long STORES_CLOSE_BOUND_MS = 800;
  public static final long VERTX_CLOSE_BOUND_MS = 1_000;
  static final long DRAIN_POLL_MS = 20;

  private final Vertx vertx;
  private final EngineContext context;
  /** Deployment ids with their verticle names, in deployment order. */
  private final List<Map.Entry<String, String>> deployments = new ArrayList<>();
  private final List<WebVerticle> webVerticles = new ArrayList<>();
  private Future<Void> stopping;

  private Engine(Vertx vertx, EngineContext context) {
    this.vertx = vertx;
    this.context = context;
  }

  public static Future<Engine> start(Vertx vertx, EngineConfig config, Clock clock) {
    return start(vertx, config, clock, UnaryOperator.identity());
  }

  /** As above, with {@code around} put in front of the stores (tests use it to make a store fail). */
  public static Future<Engine> start(Vertx vertx, EngineConfig config, Clock clock, UnaryOperator<Stores> around) {
    registerMessages(vertx);
    Future<Void> topics = config.kafka().enabled() ? KafkaClients.ensureTopics(vertx, config.kafka())
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "Kafka at " + config.kafka().bootstrapServers() + " cannot be used: " + e.getMessage(), e)))
        : Future.succeededFuture();
    return topics.compose(v -> StoreFactory.create(vertx, config, clock)).map(around)
        .compose(stores -> Bootstrap.run(vertx, stores.auth(), config.auth(), clock).map(stores))
        .compose(stores -> {
      Engine engine = new Engine(vertx, new EngineContext(config, stores, clock));
      if (config.instancesOf("web") > 0) {
        // checked while the other verticles deploy; the web verticle waits for it
        ApiDocument.contract(engine.context, vertx);
      }
      return engine.deployAll(vertx).map(engine);
    });
  }

  /**
   * Every service's message types, registered once on this Vert.x instance before any verticle
   * starts: a clustered node reads whatever its peers send, whichever verticles it runs itself.
   */
  static void registerMessages(Vertx vertx) {
    IngestionService.registerCodecs(vertx);
    LearnersPending.registerCodec(vertx);
    LeaderboardsService.registerCodecs(vertx);
    NotificationsService.registerCodecs(vertx);
    StreaksService.registerCodecs(vertx);
    XpService.registerCodecs(vertx);
    RulesService.registerCodecs(vertx);
    BadgesService.registerCodecs(vertx);
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
          deployments.add(Map.entry(id, name));
          LOG.info("Deployed {} x{}", name, instances);
        })
        .mapEmpty();
  }

  /** {@link #stop(long)} with the configured {@code shutdown.graceMs}. */
  public Future<Void> stop() {
    return stop(context.config().shutdownGraceMs());
  }

  /**
   * Stops this node in order, every step bounded, so that a stop never hangs: new requests are
   * refused (503, readiness included) at once; requests already in and, when this node applies
   * events, the backlog of accepted events get what is left of {@code graceMs} after
   * {@link #TEARDOWN_MS}; then the verticles are undeployed, web first, and the stores closed.
   * Whatever the grace leaves unapplied stays pending in the log, which the recovery pass of this
   * or another node applies (with the durable stores; the embedded default keeps nothing across a
   * restart). Vert.x itself is the caller's to close. Idempotent.
   */
  public synchronized Future<Void> stop(long graceMs) {
    if (stopping != null) {
      return stopping;
    }
    long drainDeadline = System.nanoTime() + Math.max(0, graceMs - TEARDOWN_MS) * 1_000_000;
    RequestGate gate = RequestGate.of(context);
    gate.close();
    LOG.info("Stopping: new requests refused; finishing {} in flight, up to {} ms", gate.inFlight(), graceMs);
    Promise<Void> stopped = Promise.promise();
    // On a context of its own: the timers below need one, and the caller may be any thread.
    vertx.getOrCreateContext().runOnContext(v -> waitUntil(drainDeadline, "requests still in flight",
            () -> Future.succeededFuture(gate.inFlight() == 0))
        .compose(drained -> context.config().instancesOf("rules") == 0 ? Future.succeededFuture()
            : waitUntil(drainDeadline, "accepted events still unapplied (left to recovery)",
                () -> context.stores().events().pendingCount(1).map(n -> n == 0)))
        .compose(drained -> undeployAll())
        .compose(undeployed -> bounded(context.stores().close(), STORES_CLOSE_BOUND_MS, () -> "closing the stores"))
        .onComplete(done -> {
          LOG.info("Stopped");
          stopped.complete();
        }));
    stopping = stopped.future();
    return stopping;
  }

  /**
   * Polls {@code done} until it answers true or the deadline passes; never fails (a failed poll is
   * asked again), so a store that is away cannot stop the stop.
   */
  private Future<Void> waitUntil(long deadline, String what, Supplier<Future<Boolean>> done) {
    Promise<Void> finished = Promise.promise();
    poll(deadline, what, done, finished);
    return finished.future();
  }

  private void poll(long deadline, String what, Supplier<Future<Boolean>> done, Promise<Void> finished) {
    done.get().otherwise(false).onComplete(ar -> {
      if (ar.result()) {
        finished.complete();
      } else if (System.nanoTime() - deadline >= 0) {
        LOG.warn("Stopping: grace over with {}", what);
        finished.complete();
      } else {
        vertx.setTimer(DRAIN_POLL_MS, t -> poll(deadline, what, done, finished));
      }
    });
  }

  /** Undeploys the verticles in the reverse of their start order (web first), within one bound. */
  private Future<Void> undeployAll() {
    Future<Void> chain = Future.succeededFuture();
    List<Map.Entry<String, String>> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    List<String> left = new ArrayList<>(reversed.stream().map(Map.Entry::getValue).toList());
    for (Map.Entry<String, String> deployment : reversed) {
      chain = chain.compose(v -> vertx.undeploy(deployment.getKey()).otherwise(e -> {
        LOG.warn("Stopping: {} did not undeploy cleanly: {}", deployment.getValue(), e.toString());
        return null;
      }).andThen(done -> {
        synchronized (left) {
          left.remove(deployment.getValue());
        }
      }));
    }
    return bounded(chain, UNDEPLOY_BOUND_MS, () -> {
      synchronized (left) {
        return "undeploying the verticles (left: " + String.join(", ", left) + ")";
      }
    });
  }

  /** {@code work}, or on with a warning once {@code ms} have passed; never fails. */
  private Future<Void> bounded(Future<Void> work, long ms, Supplier<String> what) {
    return Bus.within(vertx, work, ms).otherwise(e -> {
      LOG.warn("Stopping: {} did not finish within {} ms ({}); going on", what.get(), ms, e.toString());
      return null;
    });
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

  /**
   * Every route of this node's API ({@code METHOD path}) with the name of its access rule, read
   * from the router of its first web instance; empty when the node runs no web verticle.
   */
  public java.util.Map<String, String> webRoutes() {
    synchronized (webVerticles) {
      return webVerticles.isEmpty() ? java.util.Map.of() : webVerticles.get(0).routeAccess();
    }
  }

  /** The HTTP port the web verticle bound, or -1 when this node runs no web verticle. */
  public int httpPort() {
    synchronized (webVerticles) {
      return webVerticles.isEmpty() ? -1 : webVerticles.get(0).actualPort();
    }
  }
}
