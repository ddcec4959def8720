package io.learnquest.web;

import io.learnquest.auth.Authenticator;
import io.learnquest.auth.Caller;
import io.learnquest.domain.Tenants;
import io.learnquest.domain.limits.Limits;
import io.learnquest.store.RateLimitStore;
import io.learnquest.store.memory.MemoryRateLimitStore;
import io.learnquest.store.redis.RedisRateLimitStore;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.redis.client.Redis;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What the guard in front of every route costs per request, in CPU: a benchmark that prints
 * figures (docs/benchmarks.md, "What the guard costs"), not a test; it runs only with
 * {@code -Dbench.auth=true}. There is no unauthenticated mode to compare with, so the guard's own
 * work is measured alone, on the code the engine runs: an API key proved from the node's cache
 * (SHA-256 and a map lookup), the route's access rule, and the rate budgets of the request and of
 * its event's learner, in the heap (embedded default) and in Redis (durable stores, the engine's
 * side of the call: encoding the script call, and the event loop's share of the reply). Learner
 * tokens (verified on every request, never cached) are measured too, though they never post events.
 * The figures are set against the engine's CPU per applied event that scripts/bench reports.
 */
class AuthCostBenchmark {
  static final int WARM = 200_000;
  static final int RUNS = 1_000_000;
  /** Requests in flight for the Redis budgets: 64 as a light node, 1,024 as scripts/bench's busy one. */
  static final int IN_FLIGHT = Integer.getInteger("bench.auth.inFlight", 64);
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  interface Work {
    void run(int i) throws Exception;
  }

  /** CPU nanoseconds of this thread per call of {@code work}, after a warm-up. */
  static double cpuNanosPerCall(int runs, Work work) throws Exception {
    for (int i = 0; i < Math.min(WARM, runs); i++) {
      work.run(i);
    }
    long before = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < runs; i++) {
      work.run(i);
    }
    return (THREADS.getCurrentThreadCpuTime() - before) / (double) runs;
  }

  /** The whole process's CPU nanoseconds per call, for work spread over event-loop threads. */
  static double processNanosPerCall(int runs, Runnable work) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long before = os.getProcessCpuTime();
    work.run();
    return (os.getProcessCpuTime() - before) / (double) runs;
  }

  @Test
  void printWhatTheGuardCostsPerRequest() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("bench.auth"), "a benchmark: run with -Dbench.auth=true");
    try (TestEngine engine = TestEngine.startMemoryAt(TestEngine.START, Map.of())) {
      Authenticator auth = engine.engine.context().shared(WebVerticle.AUTHENTICATOR, () -> {
        throw new IllegalStateException("the web verticle made the authenticator");
      });
      Caller admin = TestEngine.await(auth.authenticate(TestEngine.ADMIN_KEY));
      // 1. the key, from the node's cache, and the route's access rule
      double key = cpuNanosPerCall(RUNS, i -> {
        Caller caller = auth.authenticate(TestEngine.ADMIN_KEY).result();
        Security.authorize(Access.EVENTS_WRITE, caller, null);
      });
      // 2. the budgets in the heap: the key's request, its event's learner (1,000 learners in turn)
      Limits high = new Limits(Limits.MAX_PER_SECOND, Limits.MAX_PER_MINUTE, 5);
      io.learnquest.config.EngineConfig.LimitSettings settings =
          new io.learnquest.config.EngineConfig.LimitSettings(high, Map.of(), 65_536, 60, 0, 30_000, 250);
      RateLimiter heap = new RateLimiter(engine.vertx, new MemoryRateLimitStore(), settings, Clock.systemUTC());
      String[] learners = new String[1_000];
      for (int i = 0; i < learners.length; i++) {
        learners[i] = "learner-" + i;
      }
      double heapBudgets = cpuNanosPerCall(RUNS, i -> {
        heap.events(admin, Tenants.DEFAULT, Map.of(learners[i % learners.length], 1)).result();
      });
      // 3. the same in Redis, as the durable stores do it, IN_FLIGHT requests in flight
      Vertx vertx = engine.vertx;
      Redis redis = Redis.createClient(vertx, TestStores.redisOptions().setMaxPoolSize(4).setMaxPoolWaiting(10_000));
      String prefix = "lqbench:" + UUID.randomUUID() + ":";
      // the connections and the script first, so no take of the runs waits for them
      TestEngine.await(new RedisRateLimitStore(redis, prefix).take(List.of(new RateLimitStore.Take(Tenants.DEFAULT,
          "l:warm", 1, 1, Limits.MINUTE_MICROS, false)), System.currentTimeMillis() * 1_000));
      // the store itself, one call per event request as the event routes make it (the request's
      // budget and its learner's; the limiter's bound on the call, a timer set and cancelled, is
      // measured on its own below)
      RedisRateLimitStore inRedis = new RedisRateLimitStore(redis, prefix);
      int redisRuns = 30_000;
      redisTakes(vertx, inRedis, admin, learners, 5_000);
      long redisStart = System.nanoTime();
      double redisBudgets = processNanosPerCall(redisRuns, () -> redisTakes(vertx, inRedis, admin, learners, redisRuns));
      double redisSeconds = (System.nanoTime() - redisStart) / 1e9;
      // the takes went to Redis (a failed store would have let them through without a call)
      TestEngine.await(new RedisRateLimitStore(redis, prefix).take(List.of(new RateLimitStore.Take(Tenants.DEFAULT,
          "l:probe", 1, 1, Limits.MINUTE_MICROS, false)), System.currentTimeMillis() * 1_000));
      if (FAILED.get() > 0) {
        throw new AssertionError(FAILED.get() + " takes failed: the figure would not be Redis'");
      }
      double timers = processNanosPerCall(RUNS, () -> {
        Promise<Void> all = Promise.promise();
        vertx.runOnContext(v -> {
          for (int i = 0; i < RUNS; i++) {
            vertx.cancelTimer(vertx.setTimer(settings.storeWaitMs(), t -> {
            }));
          }
          all.complete();
        });
        TestEngine.await(all.future());
      });
      double idle = processNanosPerCall(1, () -> sleep(1_000)) / 1_000;
      redis.close();
      // 4. learner tokens, verified on every request
      String secret = "learner-token-secret-of-the-benchmark-0123456789";
      JWTAuth hs = JWTAuth.create(vertx, new JWTAuthOptions()
          .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
      TestEngine.await(auth.tenant(Tenants.DEFAULT));
      TestEngine.Response set = engine.put("/api/v1/auth/learner-tokens", new JsonObject().put("hs256Secret", secret));
      if (set.status() != 200) {
        throw new AssertionError(set.body());
      }
      long exp = System.currentTimeMillis() / 1000 + 3600;
      String token = hs.generateToken(new JsonObject().put("sub", "ana").put("tid", Tenants.DEFAULT).put("exp", exp),
          new JWTOptions().setAlgorithm("HS256"));
      TestEngine.await(auth.authenticate(token));
      double hs256 = cpuNanosPerCall(100_000, i -> TestEngine.await(auth.authenticate(token)));

      System.out.printf("%nWhat the guard costs per request (CPU of one thread, after %,d warm-up calls)%n", WARM);
      System.out.printf("  API key from the cache + access rule:            %8.2f us%n", key / 1_000);
      System.out.printf("  rate budgets in the heap (request + learner):    %8.2f us%n", heapBudgets / 1_000);
      System.out.printf("  rate budgets in Redis (request + learner, whole process, %,d requests, %,d in flight): %8.2f us%n",
          redisRuns, IN_FLIGHT, redisBudgets / 1_000);
      System.out.printf("  (%,d requests in %.1f s; the idle process uses %.2f us of CPU per ms)%n", redisRuns, redisSeconds,
          idle / 1_000);
      System.out.printf("  the limiter's bound on the store call (a timer set and cancelled): %8.2f us%n",
          timers / 1_000);
      System.out.printf("  HS256 learner token, verified (reads only):      %8.2f us%n", hs256 / 1_000);
    }
  }

  static final AtomicInteger FAILED = new AtomicInteger();

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code n} requests' takes (request, then its event's learner) with at most {@link #IN_FLIGHT} in flight, on an event loop. */
  private static void redisTakes(Vertx vertx, RedisRateLimitStore limiter, Caller caller, String[] learners, int n) {
    Promise<Void> done = Promise.promise();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    vertx.runOnContext(v -> {
      for (int k = 0; k < IN_FLIGHT; k++) {
        next(limiter, caller, learners, n, started, finished, done);
      }
    });
    try {
      done.future().await(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the Redis takes did not finish within 60 s: " + started + " started, " + finished
          + " finished", e);
    }
  }

  private static void next(RedisRateLimitStore limiter, Caller caller, String[] learners, int n, AtomicInteger started,
                           AtomicInteger finished, Promise<Void> done) {
    int i = started.getAndIncrement();
    if (i >= n) {
      return;
    }
    long now = System.currentTimeMillis() * 1_000;
    limiter.take(List.of(new RateLimitStore.Take(Tenants.DEFAULT, "k:" + caller.keyId(), 1, Limits.MAX_PER_SECOND,
            Limits.SECOND_MICROS, true), new RateLimitStore.Take(Tenants.DEFAULT, "l:" + learners[i % learners.length],
            1, Limits.MAX_PER_MINUTE, Limits.MINUTE_MICROS, false)), now)
        .onComplete(ar -> {
          if (ar.failed()) {
            FAILED.incrementAndGet();
          }
          if (finished.incrementAndGet() == n) {
            done.tryComplete();
          } else {
            // on the next turn: a chain that completes at once must not recurse
            io.vertx.core.Vertx.currentContext().runOnContext(x -> next(limiter, caller, learners, n, started,
                finished, done));
          }
        });
  }
}
