package io.learnquest.support;

import io.learnquest.Engine;
import io.learnquest.config.ConfigLoader;
import io.learnquest.config.EngineConfig;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One engine node deployed in-process on a free port with the embedded default, a hand-moved clock
 * and a blocking HTTP client: tests act through real HTTP against the real verticles.
 */
public final class TestEngine implements AutoCloseable, AfterEachCallback {
  public static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
  /** True when this run tests the durable stores ({@code -Dtest.store=postgres}). */
  public static final boolean DURABLE = "postgres".equals(System.getProperty("test.store"));
  /**
   * How long a {@code ?wait=true} request of a test waits for the outcome (ms): a test asks whether
   * events are applied right, not how fast, and on a noisy 2-core machine with the durable stores a
   * learner's chain of fifty events can take longer than conf's 5 s. Under the client's 20 s idle
   * timeout. Tests of the wait's own timeout set theirs.
   */
  public static final String WAIT_TIMEOUT_MS = "15000";
  /**
   * The admin key of tenant {@code default} every engine under test starts with
   * ({@code LQ_BOOTSTRAP_KEY}); the helpers send it on every request, WebSocket and SSE stream.
   */
  public static final String ADMIN_KEY = "lq_test-admin-key-of-tenant-default-0123456789";
  public static final String SHUTDOWN_GRACE_MS = "5000";
  /**
   * Rate and connection limits as high as they go: the test clock stands still, so a budget never
   * refills, and tests send far more than 120 events to one learner (the limits are tested with
   * their own values, RateLimitApiTest and ConnectionLimitTest).
   */
  public static final Map<String, String> TEST_LIMITS = Map.of(
      "LIMITS_REQUESTS_PER_KEY_PER_SECOND", "1000000",
      "LIMITS_EVENTS_PER_LEARNER_PER_MINUTE", "60000000",
      "LIMITS_CONNECTIONS_PER_LEARNER", "10000");

  public final Vertx vertx;
  public final MutableClock clock;
  public final Engine engine;
  public final HttpClient http;
  public final int port;
  /** The one context every request of this engine's {@link #http} client is sent from (see {@link #request}). */
  public final Context clientContext;
  private boolean closed;

  private TestEngine(Vertx vertx, MutableClock clock, Engine engine) {
    this(vertx, clock, engine, engine.httpPort());
  }

  private TestEngine(Vertx vertx, MutableClock clock, Engine engine, int port) {
    this.vertx = vertx;
    this.clock = clock;
    this.engine = engine;
    this.port = port;
    this.clientContext = vertx.getOrCreateContext();
    this.http = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new PoolOptions().setHttp1MaxSize(64));
  }

  public static TestEngine start() {
    return start(Map.of());
  }

  /**
   * Starts with {@code conf/} plus the given environment overrides (HTTP_PORT is always 0). With
   * {@code -Dtest.store=postgres} the engine runs on PostgreSQL and Redis: the test database,
   * emptied first, and a Redis key prefix of its own.
   */
  public static TestEngine start(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>();
    if (DURABLE) {
      merged.putAll(TestStores.postgresEnv());
      TestStores.emptyTestDatabase();
    }
    merged.putAll(env);
    merged.put("HTTP_PORT", "0");
    return start(ConfigLoader.load(Path.of("conf"), withTestDefaults(merged)));
  }

  /**
   * {@code env} with what every engine under test has unless the test says otherwise: HTTP on the
   * loopback, outcomes waited for up to {@link #WAIT_TIMEOUT_MS} rather than conf's 5 s, and no
   * velocity limit: the test clock stands still, so every event a test sends without an
   * occurredAt happens in the same instant (fair play is tested with the limit on, FairPlayApiTest).
   */
  public static Map<String, String> withTestDefaults(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(env);
    merged.putIfAbsent("HTTP_HOST", "127.0.0.1");
    merged.putIfAbsent("WAIT_TIMEOUT_MS", WAIT_TIMEOUT_MS);
    merged.putIfAbsent("LQ_BOOTSTRAP_KEY", ADMIN_KEY);
    merged.putIfAbsent("FAIR_PLAY_VELOCITY_MAX_PER_MINUTE", "1000000");
    TEST_LIMITS.forEach(merged::putIfAbsent);
    // A test's engine stops as a node does, but gives what is still pending less time to finish.
    merged.putIfAbsent("SHUTDOWN_GRACE_MS", SHUTDOWN_GRACE_MS);
    return merged;
  }

  /**
   * An engine on PostgreSQL and Redis whatever {@code test.store} says, on the test database as it
   * is (not emptied), so a test can stop an engine and start another on the same data.
   */
  public static TestEngine startDurable(Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(TestStores.postgresEnv());
    merged.putAll(env);
    merged.put("HTTP_PORT", "0");
    return start(ConfigLoader.load(Path.of("conf"), withTestDefaults(merged)));
  }

  /** An embedded-default engine whatever {@code test.store} says, its clock at {@code now}. */
  public static TestEngine startMemoryAt(Instant now, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(overrides);
    env.put("HTTP_PORT", "0");
    env.put("HTTP_HOST", "127.0.0.1");
    env.put("STORE", "memory");
    return start(ConfigLoader.load(Path.of("conf"), withTestDefaults(env)), now);
  }

  /** Only the HTTP helpers, for an engine that runs elsewhere (another process). */
  public static TestEngine client(int port) {
    return new TestEngine(Vertx.vertx(), null, null, port);
  }

  public static TestEngine start(EngineConfig config) {
    return start(config, START);
  }

  public static TestEngine start(EngineConfig config, Instant now) {
    return start(config, now, java.util.function.UnaryOperator.identity());
  }

  /** With {@code around} in front of the stores, e.g. a store that fails on purpose. */
  public static TestEngine start(EngineConfig config, Instant now,
                                 java.util.function.UnaryOperator<io.learnquest.store.Stores> around) {
    Vertx vertx = await(io.learnquest.Nodes.vertx(config));
    MutableClock clock = new MutableClock(now);
    Engine engine = await(Engine.start(vertx, config, clock, around));
    return new TestEngine(vertx, clock, engine);
  }

  /**
   * As {@link #start(Map)} (the store {@code test.store} names, emptied first), with {@code around}
   * in front of the stores.
   */
  public static TestEngine start(Map<String, String> env,
                                 java.util.function.UnaryOperator<io.learnquest.store.Stores> around) {
    Map<String, String> merged = new HashMap<>();
    if (DURABLE) {
      merged.putAll(TestStores.postgresEnv());
      TestStores.emptyTestDatabase();
    }
    merged.putAll(env);
    merged.put("HTTP_PORT", "0");
    return start(ConfigLoader.load(Path.of("conf"), withTestDefaults(merged)), START, around);
  }

  /** An HTTP answer: status, raw body, and the body as JSON when it is JSON. */
  public record Response(int status, String contentType, String body, Map<String, String> headers) {
    public Response(int status, String contentType, String body) {
      this(status, contentType, body, Map.of());
    }

    /** A header of the answer (names in lower case). */
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray jsonArray(String field) {
      return json().getJsonArray(field);
    }
  }

  /**
   * Sends from one fixed Vert.x context: driven from the test thread (a fresh context per call),
   * the 5.0.7 HttpClient was seen to lose a few requests in a hundred on kept-alive connections.
   */
  public Response request(HttpMethod method, String uri, String body) {
    return request(method, uri, body, Map.of("authorization", "Bearer " + ADMIN_KEY));
  }

  /**
   * Sends with exactly these headers (plus content-type: application/json unless they set it); no
   * credentials unless they carry some.
   */
  public Response request(HttpMethod method, String uri, String body, Map<String, String> headers) {
    Response response;
    try {
      response = await(send(method, uri, body, headers));
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(method + " " + uri + " on port " + port + " failed: " + e, e);
    }
    // Every answer a test gets must be one the API document describes.
    ApiContractCheck.check(vertx, method, uri, response.status(), response.contentType(), response.body());
    return response;
  }

  /**
   * {@link #request} without waiting, for requests a test keeps in flight together: sent from the
   * same fixed context; the caller checks the answer.
   */
  public io.vertx.core.Future<Response> send(HttpMethod method, String uri, String body, Map<String, String> headers) {
    Promise<Response> answer = Promise.promise();
    clientContext.runOnContext(v -> http.request(new RequestOptions().setMethod(method).setURI(uri)
            .setIdleTimeout(20_000))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          headers.forEach(req::putHeader);
          return body == null ? req.send() : req.send(Buffer.buffer(body));
        })
        .compose(resp -> resp.body().map(b -> {
          Map<String, String> received = new HashMap<>();
          resp.headers().forEach(h -> received.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
          return new Response(resp.statusCode(), resp.getHeader("content-type"), b.toString(), received);
        }))
        .onComplete(answer));
    return answer.future();
  }

  /** Sends with {@code Authorization: Bearer <credential>} (none when null). */
  public Response requestAs(String credential, HttpMethod method, String uri, Object body) {
    return request(method, uri, body == null ? null : body instanceof String s ? s : Json.encode(body),
        credential == null ? Map.of() : Map.of("authorization", "Bearer " + credential));
  }

  public Response get(String uri) {
    return request(HttpMethod.GET, uri, null);
  }

  public Response post(String uri, Object body) {
    return request(HttpMethod.POST, uri, body instanceof String s ? s : Json.encode(body));
  }

  /** A new API key of the default tenant, made with the admin key: its secret. */
  public String newKey(String name, String... scopes) {
    Response created = post("/api/v1/keys", new JsonObject().put("name", name)
        .put("scopes", new JsonArray(List.of((Object[]) scopes))));
    Assertions.assertEquals(201, created.status(), created.body());
    return created.json().getString("key");
  }

  public Response put(String uri, Object body) {
    return request(HttpMethod.PUT, uri, body instanceof String s ? s : Json.encode(body));
  }

  /** Posts with {@code ?wait=true} and returns the outcome; fails the test unless it is 200. */
  public JsonObject apply(JsonObject event) {
    Response r = post("/api/v1/events?wait=true", event);
    if (r.status() != 200) {
      throw new AssertionError("expected 200 outcome, got " + r.status() + " " + r.body());
    }
    return r.json();
  }

  public JsonObject profile(String learnerId) {
    Response r = get("/api/v1/learners/" + learnerId);
    if (r.status() != 200) {
      throw new AssertionError("expected profile, got " + r.status() + " " + r.body());
    }
    return r.json();
  }

  /** Polls until the condition holds (never a fixed sleep); fails after the timeout. */
  public static void eventually(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** A learning event as JSON, occurring at the test clock's now unless set otherwise. */
  public static JsonObject event(String eventId, String learnerId, String type) {
    return new JsonObject().put("eventId", eventId).put("learnerId", learnerId).put("type", type);
  }

  /**
   * As a test's {@code @RegisterExtension} field ({@code final TestEngine engine = TestEngine.start()}),
   * an engine per test method, closed after it.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Idempotent: a test may close its engine early, and the extension closes it again after. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    http.close();
    if (engine != null) {
      stopEngine();
      clearLeaderboards();
    }
    closeVertx(vertx);
  }

  /** Bound of a whole engine stop in tests: its grace, its teardown, and room for a busy machine. */
  public static long stopBoundMs(io.learnquest.Engine engine) {
    return engine.context().config().shutdownGraceMs() + 10_000;
  }

  /** The engine's own ordered stop (what SIGTERM does), which must end within its bound. */
  private void stopEngine() {
    long bound = stopBoundMs(engine);
    try {
      engine.stop().await(bound, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the engine did not stop within " + bound + " ms:\n" + threadDump(), e);
    }
  }

  /**
   * Each engine has a Redis key prefix of its own: leave nothing behind in a shared Redis. Done
   * after the stop (which applied what was pending) with a client of its own, the engine's being closed.
   */
  private void clearLeaderboards() {
    EngineConfig config = engine.context().config();
    if (!"postgres".equals(config.store())) {
      return;
    }
    io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(vertx,
        "redis://" + config.redis().host() + ":" + config.redis().port());
    try {
      new io.learnquest.store.redis.RedisLeaderboardStore(redis, config.redis().keyPrefix(),
          config.redis().weeklyRetentionWeeks(), java.time.Clock.systemUTC()).clear().await(5, TimeUnit.SECONDS);
    } catch (Exception | AssertionError redisAway) {
      // a test that cut Redis off; its keys expire with Redis' next restart
    } finally {
      redis.close();
    }
  }

  /**
   * Closes a Vert.x instance of a test, bounded: a close that hangs fails the test with every
   * thread's stack, so the next hang shows where it is.
   */
  public static void closeVertx(Vertx vertx) {
    try {
      vertx.close().await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("Vert.x did not close within 20 s:\n" + threadDump(), e);
    }
  }

  /** Every thread's stack, for a failure message. */
  public static String threadDump() {
    StringBuilder dump = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      dump.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
      for (StackTraceElement frame : stack) {
        dump.append("    at ").append(frame).append('\n');
      }
    });
    return dump.toString();
  }

  /** Waits for a future from the test thread; a timeout or failure fails the test. */
  public static <T> T await(io.vertx.core.Future<T> future) {
    try {
      return future.await(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("timed out waiting", e);
    }
  }
}
