package io.learnquest.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.web.Access;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Contract section 10, table-driven: every route of the router and both push endpoints, against
 * every kind of caller that must not get in (or must get only what is theirs). Each row asserts
 * the status, the error body, and that nothing of tenant {@code default} changed. The table of
 * routes must equal the router's own list, so a route added without a row fails here.
 */
class SecuritySuiteTest {
  static final String OPERATOR_KEY = "lq_test-operator-key-0123456789abcdefghijklmnopq";
  static final String TOKEN_SECRET = "learner-token-secret-of-default-0123456789";
  static final String OTHER_TOKEN_SECRET = "learner-token-secret-of-other-tenant-98765";
  static final String DEFAULT_ORIGIN = "https://lms-default.example";
  static final String PROBE_ORIGIN = "https://probe.example";
  static final String OWNER = "ana";

  /** Who calls. */
  enum Caller {
    NO_CREDENTIALS, UNKNOWN_KEY, REVOKED_KEY, OTHER_TENANT_KEY, KEY_WITHOUT_SCOPE, TOKEN_OF_OTHER_LEARNER,
    EXPIRED_TOKEN, BAD_SIGNATURE, ALG_NONE, QUERY_TOKEN_ON_REST
  }

  /**
   * Whether learners, events, boards and the catalog are kept per tenant (every store, key and
   * message names the tenant): then another tenant's key gets what that tenant's own data answers
   * ({@link Example#otherTenant}: 404 for a learner it does not have), never this tenant's data.
   */
  static final boolean TENANT_DATA_ISOLATED = true;

  /** The push endpoint that is not a route of the router. */
  static final String WEBSOCKET = "GET /ws";

  /**
   * One example request per route: its expected access rule (checked against the router's), what
   * the tenant's own admin would get, and what the admin of another tenant gets (404 for an object
   * of this tenant: as if absent).
   */
  record Example(String route, Access access, String uri, Object body, int own, int otherTenant) {
    HttpMethod method() {
      return HttpMethod.valueOf(route.substring(0, route.indexOf(' ')));
    }
  }

  static final AtomicInteger SEQ = new AtomicInteger();

  static List<Example> examples() {
    JsonObject badge = new JsonObject().put("name", "Probe").put("description", "A probe.").put("tier", "bronze")
        .put("rule", new JsonObject().put("metric", "xp").put("gte", 0));
    return List.of(
        new Example("POST /api/v1/events/batch", Access.EVENTS_WRITE, "/api/v1/events/batch", "batch", 200, 200),
        new Example("POST /api/v1/events", Access.EVENTS_WRITE, "/api/v1/events", "event", 202, 202),
        new Example("POST /api/v1/events/:eventId/void", Access.ADMIN, "/api/v1/events/sec-1/void",
            new JsonObject().put("reason", "probe"), 200, 404),
        new Example("GET /api/v1/learners/:learnerId", Access.LEARNER, "/api/v1/learners/ana", null, 200, 404),
        new Example("GET /api/v1/learners/:learnerId/xp", Access.LEARNER, "/api/v1/learners/ana/xp", null, 200, 404),
        new Example("GET /api/v1/learners/:learnerId/badges", Access.LEARNER, "/api/v1/learners/ana/badges", null,
            200, 404),
        new Example("GET /api/v1/learners/:learnerId/transitions", Access.LEARNER,
            "/api/v1/learners/ana/transitions", null, 200, 404),
        new Example("GET /api/v1/learners/:learnerId/flags", Access.LEARNER, "/api/v1/learners/ana/flags", null,
            200, 404),
        new Example("GET /api/v1/flags", Access.ADMIN, "/api/v1/flags", null, 200, 200),
        new Example("GET /api/v1/learners/:learnerId/notifications", Access.LEARNER_PUSH,
            "/api/v1/learners/ana/notifications", null, 200, 200),
        new Example(WEBSOCKET, Access.LEARNER_PUSH, "/ws?learnerId=ana", null, 101, 101),
        new Example("GET /api/v1/badges", Access.CATALOG, "/api/v1/badges", null, 200, 200),
        new Example("PUT /api/v1/badges/:badgeId", Access.RULES_WRITE, "/api/v1/badges/first_lesson", badge, 200,
            200),
        new Example("DELETE /api/v1/badges/:badgeId", Access.RULES_WRITE, "/api/v1/badges/no_such_badge", null, 404,
            404),
        new Example("GET /api/v1/leaderboards/global", Access.BOARD, "/api/v1/leaderboards/global", null, 200, 200),
        new Example("GET /api/v1/leaderboards/global/around/:learnerId", Access.BOARD_AROUND,
            "/api/v1/leaderboards/global/around/ana", null, 200, 404),
        new Example("GET /api/v1/leaderboards/courses/:courseId", Access.BOARD, "/api/v1/leaderboards/courses/java-101",
            null, 200, 200),
        new Example("GET /api/v1/leaderboards/courses/:courseId/around/:learnerId", Access.BOARD_AROUND,
            "/api/v1/leaderboards/courses/java-101/around/ana", null, 200, 404),
        new Example("POST /api/v1/admin/leaderboards/rebuild", Access.ADMIN, "/api/v1/admin/leaderboards/rebuild",
            new JsonObject(), 200, 200),
        new Example("GET /api/v1/jobs", Access.ADMIN, "/api/v1/jobs", null, 200, 200),
        new Example("GET /api/v1/jobs/:jobId", Access.ADMIN, "/api/v1/jobs/no-such-job", null, 404, 404),
        new Example("POST /api/v1/admin/inactivity/sweep", Access.ADMIN, "/api/v1/admin/inactivity/sweep",
            new JsonObject(), 200, 200),
        new Example("GET /api/v1/admin/quarantine", Access.ADMIN, "/api/v1/admin/quarantine", null, 200, 200),
        new Example("POST /api/v1/admin/quarantine/:eventId/retry", Access.ADMIN,
            "/api/v1/admin/quarantine/sec-1/retry", new JsonObject(), 404, 404),
        new Example("POST /api/v1/admin/quarantine/:eventId/discard", Access.ADMIN,
            "/api/v1/admin/quarantine/sec-1/discard", new JsonObject(), 404, 404),
        new Example("POST /api/v1/keys", Access.ADMIN, "/api/v1/keys",
            new JsonObject().put("name", "probe").put("scopes", new JsonArray().add("admin")), 201, 201),
        new Example("GET /api/v1/keys", Access.ADMIN, "/api/v1/keys", null, 200, 200),
        new Example("DELETE /api/v1/keys/:keyId", Access.ADMIN, "/api/v1/keys/{victim}", null, 204, 404),
        new Example("PUT /api/v1/auth/learner-tokens", Access.ADMIN, "/api/v1/auth/learner-tokens",
            new JsonObject().put("hs256Secret", "a-probe-secret-that-would-lock-out-every-learner"), 200, 200),
        new Example("PUT /api/v1/auth/origins", Access.ADMIN, "/api/v1/auth/origins",
            new JsonObject().put("origins", new JsonArray().add(PROBE_ORIGIN)), 200, 200),
        new Example("POST /api/v1/tenants", Access.OPERATOR, "/api/v1/tenants",
            new JsonObject().put("tenantId", "probe").put("name", "Probe"), 201, 403),
        new Example("GET /api/v1/tenants", Access.OPERATOR, "/api/v1/tenants", null, 200, 403),
        new Example("DELETE /api/v1/tenants/:tenantId", Access.OPERATOR, "/api/v1/tenants/default", null, 204, 403),
        new Example("GET /health", Access.PUBLIC, "/health", null, 200, 200),
        new Example("GET /openapi.json", Access.PUBLIC, "/openapi.json", null, 200, 200),
        new Example("GET /metrics", Access.PUBLIC, "/metrics", null, 200, 200),
        new Example("GET /ready", Access.PUBLIC, "/ready", null, 200, 200));
  }

  static TestEngine engine;
  static LogCapture logs;
  static final Map<Caller, String> CREDENTIALS = new EnumMap<>(Caller.class);
  static String writerKey;
  static String readerKey;
  static String allButAdminKey;
  static String victimKeyId;
  static String ownToken;
  static List<String> secrets = new ArrayList<>();

  @BeforeAll
  static void start() {
    logs = new LogCapture();
    engine = TestEngine.startMemoryAt(TestEngine.START, Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY,
        "LQ_ALLOWED_ORIGINS", DEFAULT_ORIGIN));
    ok(engine.put("/api/v1/auth/learner-tokens", new JsonObject().put("hs256Secret", TOKEN_SECRET)), 200);
    engine.apply(TestEngine.event("sec-1", OWNER, "lesson_completed").put("courseId", "java-101"));
    engine.apply(TestEngine.event("sec-2", "ben", "lesson_completed").put("courseId", "java-101"));

    JsonObject other = ok(engine.requestAs(OPERATOR_KEY, HttpMethod.POST, "/api/v1/tenants",
        new JsonObject().put("tenantId", "other").put("name", "Other school")), 201);
    String otherKey = other.getString("key");
    ok(engine.requestAs(otherKey, HttpMethod.PUT, "/api/v1/auth/learner-tokens",
        new JsonObject().put("hs256Secret", OTHER_TOKEN_SECRET)), 200);
    writerKey = newKey("writer", "events:write");
    readerKey = newKey("reader", "learners:read");
    allButAdminKey = newKey("all-but-admin", "events:write", "learners:read", "leaderboards:read", "rules:write");
    JsonObject victim = ok(engine.post("/api/v1/keys", keyRequest("victim", "admin")), 201);
    victimKeyId = victim.getString("keyId");
    JsonObject revoked = ok(engine.post("/api/v1/keys", keyRequest("revoked", "admin")), 201);
    assertEquals(204, engine.request(HttpMethod.DELETE, "/api/v1/keys/" + revoked.getString("keyId"), null).status());

    JWTAuth signer = Credentials.hs256(engine, TOKEN_SECRET);
    ownToken = Credentials.sign(signer, "HS256", Credentials.claims("default", OWNER, 600));
    CREDENTIALS.put(Caller.UNKNOWN_KEY, "lq_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    CREDENTIALS.put(Caller.REVOKED_KEY, revoked.getString("key"));
    CREDENTIALS.put(Caller.OTHER_TENANT_KEY, otherKey);
    CREDENTIALS.put(Caller.TOKEN_OF_OTHER_LEARNER,
        Credentials.sign(signer, "HS256", Credentials.claims("default", "ben", 600)));
    CREDENTIALS.put(Caller.EXPIRED_TOKEN, Credentials.sign(signer, "HS256", Credentials.claims("default", OWNER, -60)));
    CREDENTIALS.put(Caller.BAD_SIGNATURE, Credentials.sign(Credentials.hs256(engine, OTHER_TOKEN_SECRET + "-x"),
        "HS256", Credentials.claims("default", OWNER, 600)));
    CREDENTIALS.put(Caller.ALG_NONE, Credentials.algNone(Credentials.claims("default", OWNER, 600)));
    CREDENTIALS.put(Caller.QUERY_TOKEN_ON_REST, ownToken);
    secrets.addAll(List.of(TestEngine.ADMIN_KEY, OPERATOR_KEY, TOKEN_SECRET, OTHER_TOKEN_SECRET, writerKey,
        readerKey, allButAdminKey, victim.getString("key"), ownToken));
    secrets.addAll(CREDENTIALS.values());
  }

  @AfterAll
  static void stop() {
    try {
      engine.close();
    } finally {
      logs.close();
    }
  }

  private static String newKey(String name, String... scopes) {
    return ok(engine.post("/api/v1/keys", keyRequest(name, scopes)), 201).getString("key");
  }

  private static JsonObject keyRequest(String name, String... scopes) {
    return new JsonObject().put("name", name).put("scopes", new JsonArray(List.of((Object[]) scopes)));
  }

  private static JsonObject ok(TestEngine.Response r, int status) {
    assertEquals(status, r.status(), () -> "status of " + r.body());
    return r.json();
  }

  @Test
  void theTableHasOneRowPerRouteOfTheRouterWithTheSameAccessRule() {
    Map<String, String> router = new TreeMap<>(engine.engine.webRoutes());
    Map<String, String> table = new TreeMap<>();
    examples().stream().filter(e -> !e.route().equals(WEBSOCKET)).forEach(e -> table.put(e.route(), e.access().name()));
    assertEquals(table, router, "every route of the router needs a row here, with the access rule it should have");
  }

  @TestFactory
  Stream<DynamicTest> everyRouteRefusesEveryCallerThatIsNotEntitled() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Example example : examples()) {
      if (example.access() == Access.PUBLIC) {
        tests.add(DynamicTest.dynamicTest(example.route() + " is public", () ->
            assertEquals(200, send(example, Map.of()).status)));
        continue;
      }
      for (Caller caller : Caller.values()) {
        tests.add(DynamicTest.dynamicTest(example.route() + " / " + caller, () -> check(example, caller)));
      }
    }
    tests.add(DynamicTest.dynamicTest("no key, secret or token reached a log line", SecuritySuiteTest::noSecretLogged));
    return tests.stream();
  }

  /** Routes whose data (learners, events, boards, catalog) is the tenant threading's to keep apart. */
  static final Set<Access> TENANT_DATA = EnumSet.of(Access.EVENTS_WRITE, Access.LEARNER, Access.LEARNER_PUSH,
      Access.CATALOG, Access.BOARD, Access.BOARD_AROUND, Access.RULES_WRITE);

  /** Routes of a tenant's learning data: everything but its keys, its settings, tenants and public ones. */
  static boolean holdsLearningData(Example example) {
    String uri = example.uri();
    return TENANT_DATA.contains(example.access()) || example.access() == Access.ADMIN
        && !uri.startsWith("/api/v1/keys") && !uri.startsWith("/api/v1/auth/");
  }

  private static void check(Example example, Caller caller) {
    Snapshot before = Snapshot.take();
    int expected = expected(example, caller);
    Answer answer = send(example, caller);
    assertEquals(expected, answer.status, () -> example.route() + " as " + caller + ": " + answer.body);
    if (!example.route().equals(WEBSOCKET)) {
      BROWSER_HEADERS.forEach((name, value) -> assertEquals(value, answer.headers.get(name),
          () -> name + " of " + example.route() + " as " + caller));
    }
    if (example.route().equals(WEBSOCKET)) {
      // a refused upgrade carries only its status to this client
    } else if (expected == 401) {
      assertEquals("Bearer", answer.headers.get("www-authenticate"), "WWW-Authenticate of a 401");
      assertEquals("unauthorized", new JsonObject(answer.body).getString("error"));
    } else if (expected == 403) {
      assertEquals("forbidden", new JsonObject(answer.body).getString("error"));
    } else if (expected == 404) {
      assertEquals("not_found", new JsonObject(answer.body).getString("error"));
    }
    Snapshot after = Snapshot.take();
    assertEquals(before, after, () -> example.route() + " as " + caller + " changed tenant default");
  }

  /** docs/api.md, "On every response": on every answer, whatever its route, caller and status. */
  static final Map<String, String> BROWSER_HEADERS = Map.of("x-content-type-options", "nosniff",
      "referrer-policy", "no-referrer", "content-security-policy", "default-src 'none'; frame-ancestors 'none'",
      "x-frame-options", "DENY", "cache-control", "no-store");

  static int expected(Example example, Caller caller) {
    return switch (caller) {
      case NO_CREDENTIALS, UNKNOWN_KEY, REVOKED_KEY, EXPIRED_TOKEN, BAD_SIGNATURE, ALG_NONE -> 401;
      case QUERY_TOKEN_ON_REST -> example.access() == Access.LEARNER_PUSH ? example.own() : 401;
      case KEY_WITHOUT_SCOPE -> example.access() == Access.CATALOG ? example.own() : 403;
      case TOKEN_OF_OTHER_LEARNER -> EnumSet.of(Access.BOARD, Access.CATALOG).contains(example.access())
          ? example.own() : 403;
      // Learning data is kept per tenant: another tenant's key sees its own tenant's data.
      case OTHER_TENANT_KEY -> TENANT_DATA_ISOLATED || !holdsLearningData(example) ? example.otherTenant() : 403;
    };
  }

  /** The key of this tenant that lacks what the route needs. */
  static String keyWithoutScope(Access access) {
    return switch (access) {
      case EVENTS_WRITE, BOARD, BOARD_AROUND, RULES_WRITE -> readerKey;
      case LEARNER, LEARNER_PUSH, CATALOG -> writerKey;
      case ADMIN -> allButAdminKey;
      case OPERATOR -> TestEngine.ADMIN_KEY;
      case PUBLIC -> throw new IllegalArgumentException("public");
    };
  }

  record Answer(int status, Map<String, String> headers, String body) {
  }

  static Answer send(Example example, Caller caller) {
    Map<String, String> headers = new HashMap<>();
    String uri = example.uri().replace("{victim}", victimKeyId);
    String credential = caller == Caller.KEY_WITHOUT_SCOPE ? keyWithoutScope(example.access()) : CREDENTIALS.get(caller);
    if (caller == Caller.QUERY_TOKEN_ON_REST) {
      uri += (uri.contains("?") ? "&" : "?") + "access_token=" + URLEncoder.encode(credential, StandardCharsets.UTF_8);
    } else if (credential != null) {
      headers.put("authorization", "Bearer " + credential);
    }
    // Another tenant's events are its own: they go to a learner of its own, so that its "ana" stays
    // absent and its rows show what another tenant's learner answers (404).
    return send(example, uri, headers, caller == Caller.OTHER_TENANT_KEY ? "learner-of-other" : OWNER);
  }

  static Answer send(Example example, Map<String, String> headers) {
    return send(example, example.uri().replace("{victim}", victimKeyId), headers, OWNER);
  }

  private static Answer send(Example example, String uri, Map<String, String> headers, String learner) {
    if (example.route().equals(WEBSOCKET)) {
      return webSocket(uri, headers);
    }
    if (example.access() == Access.LEARNER_PUSH || example.access() == Access.PUBLIC) {
      // the stream never ends, and /metrics is text: read the status and headers only
      return stream(uri, headers);
    }
    Object body = example.body();
    if ("event".equals(body)) {
      body = TestEngine.event("probe-" + SEQ.incrementAndGet(), learner, "lesson_completed").put("courseId", "java-101");
    } else if ("batch".equals(body)) {
      body = new JsonObject().put("events", new JsonArray().add(TestEngine.event("probe-" + SEQ.incrementAndGet(),
          learner, "lesson_completed").put("courseId", "java-101")));
    }
    TestEngine.Response r = engine.request(example.method(), uri, body == null ? null : Json.encode(body), headers);
    return new Answer(r.status(), r.headers(), r.body());
  }

  /** Opens the SSE stream: the status and headers, the body unless it is the (endless) stream; then hangs up. */
  static Answer stream(String uri, Map<String, String> headers) {
    HttpClient client = engine.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(engine.port));
    Promise<Answer> answer = Promise.promise();
    engine.vertx.getOrCreateContext().runOnContext(v -> client.request(new RequestOptions().setURI(uri))
        .compose(req -> {
          headers.forEach(req::putHeader);
          return req.send();
        })
        .compose(resp -> {
          Map<String, String> received = new HashMap<>();
          resp.headers().forEach(h -> received.put(h.getKey().toLowerCase(), h.getValue()));
          if (resp.statusCode() == 200) {
            return io.vertx.core.Future.succeededFuture(new Answer(200, received, ""));
          }
          return resp.body().map(b -> new Answer(resp.statusCode(), received, b.toString()));
        })
        .onComplete(answer));
    try {
      return TestEngine.await(answer.future());
    } finally {
      TestEngine.await(client.close());
    }
  }

  /** Attempts the WebSocket handshake: 101 when accepted (then closed), else the refusal's status. */
  static Answer webSocket(String uri, Map<String, String> headers) {
    WebSocketClient client = engine.vertx.createWebSocketClient();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(engine.port)
        .setURI(uri).setAllowOriginHeader(false);
    headers.forEach(options::addHeader);
    try {
      TestEngine.await(client.connect(options));
      return new Answer(101, Map.of(), "");
    } catch (AssertionError | RuntimeException e) {
      Throwable cause = e;
      while (cause != null && !(cause instanceof UpgradeRejectedException)) {
        cause = cause.getCause();
      }
      if (cause instanceof UpgradeRejectedException rejected) {
        return new Answer(rejected.getStatus(), Map.of(), statusBody(rejected.getStatus()));
      }
      throw e;
    } finally {
      TestEngine.await(client.close());
    }
  }

  /** A refused upgrade has no body to read here; the status is what the row checks. */
  private static String statusBody(int status) {
    String error = switch (status) {
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      default -> "http_" + status;
    };
    return new JsonObject().put("error", error).encode();
  }

  /**
   * What of tenant {@code default} could be changed by a call that should change nothing: its
   * learners, boards, catalog, keys, tenants, and whether its learner tokens and origins still work.
   */
  record Snapshot(Map<String, String> reads) {
    static Snapshot take() {
      Map<String, String> reads = new LinkedHashMap<>();
      for (String uri : List.of("/api/v1/learners/ana", "/api/v1/learners/ben", "/api/v1/learners/ana/xp",
          "/api/v1/leaderboards/global?size=100", "/api/v1/leaderboards/courses/java-101?size=100",
          "/api/v1/badges", "/api/v1/keys")) {
        TestEngine.Response r = engine.get(uri);
        reads.put(uri, r.status() + " " + r.body());
      }
      TestEngine.Response tenants = engine.requestAs(OPERATOR_KEY, HttpMethod.GET, "/api/v1/tenants", null);
      reads.put("tenants", tenants.status() + " " + tenants.body());
      TestEngine.Response asLearner = engine.request(HttpMethod.GET, "/api/v1/learners/ana", null,
          Map.of("authorization", "Bearer " + ownToken, "origin", DEFAULT_ORIGIN));
      reads.put("learner token", asLearner.status() + " origin " + asLearner.header("access-control-allow-origin"));
      TestEngine.Response probe = engine.request(HttpMethod.GET, "/api/v1/learners/ana", null,
          Map.of("authorization", "Bearer " + ownToken, "origin", PROBE_ORIGIN));
      reads.put("probe origin", probe.status() + " origin " + probe.header("access-control-allow-origin"));
      return new Snapshot(reads);
    }
  }

  @Test
  void theSnapshotSeesWhatTheRowsCheck() {
    Snapshot s = Snapshot.take();
    assertTrue(s.reads().get("/api/v1/learners/ana").startsWith("200 "));
    assertTrue(s.reads().get("/api/v1/keys").contains("victim"));
    assertEquals("200 origin " + DEFAULT_ORIGIN, s.reads().get("learner token"));
    assertEquals("200 origin null", s.reads().get("probe origin"));
  }

  static void noSecretLogged() {
    List<String> lines = logs.lines();
    assertFalse(lines.isEmpty(), "the log capture saw nothing: it would prove nothing");
    for (String line : lines) {
      for (String secret : secrets) {
        assertFalse(line.contains(secret), () -> "a credential reached the log: " + line);
      }
      assertFalse(line.contains("access_token="), () -> "a query token reached the log: " + line);
    }
  }

  static Set<Caller> callers() {
    return EnumSet.allOf(Caller.class);
  }
}
