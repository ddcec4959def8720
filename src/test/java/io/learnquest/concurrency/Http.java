package io.learnquest.concurrency;

import io.learnquest.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * HTTP for the concurrency and push tests: firing many requests at once without waiting between
 * them (from one fixed Vert.x context, for the reason {@link TestEngine#request} gives), plus
 * blocking calls, which are {@link TestEngine}'s own, and ledger and board readers.
 */
public final class Http implements AutoCloseable, AfterEachCallback {
  private final TestEngine engine;
  private final HttpClient client;
  private final Context context;

  public Http(TestEngine engine) {
    this.engine = engine;
    this.client = engine.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(engine.port), new PoolOptions().setHttp1MaxSize(128));
    this.context = engine.vertx.getOrCreateContext();
  }

  private Future<TestEngine.Response> request(HttpMethod method, String uri, JsonObject body) {
    return client.request(new RequestOptions().setMethod(method).setURI(uri))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          req.putHeader("authorization", "Bearer " + TestEngine.ADMIN_KEY);
          return body == null ? req.send() : req.send(body.toBuffer());
        })
        .compose(resp -> resp.body().map(b -> new TestEngine.Response(resp.statusCode(),
            resp.getHeader("content-type"), b.toString())));
  }

  public TestEngine.Response get(String uri) {
    return engine.get(uri);
  }

  public TestEngine.Response post(String uri, JsonObject body) {
    return engine.post(uri, body);
  }

  /** Posts with {@code ?wait=true}; fails unless the answer is 200 with the outcome. */
  public JsonObject apply(JsonObject event) {
    JsonObject outcome = engine.apply(event);
    if (!outcome.containsKey("xpGranted")) {
      throw new AssertionError("expected an outcome, got " + outcome);
    }
    return outcome;
  }

  public JsonObject profile(String learnerId) {
    return engine.profile(learnerId);
  }

  /**
   * Fires every {@code (uris[i], bodies[i])} in one go (one event-loop task issues them all, none
   * waits for another) and returns the answers in the same order once all are in.
   */
  public List<TestEngine.Response> postAll(List<String> uris, List<JsonObject> bodies) {
    return awaitAll(fire(uris, bodies));
  }

  public List<TestEngine.Response> postAll(String uri, List<JsonObject> bodies) {
    return postAll(Collections.nCopies(bodies.size(), uri), bodies);
  }

  /** Fires them all at once; the answers, pending, in the same order. */
  public List<Future<TestEngine.Response>> fire(List<String> uris, List<JsonObject> bodies) {
    if (uris.size() != bodies.size()) {
      throw new IllegalArgumentException("one uri per body");
    }
    List<Promise<TestEngine.Response>> promises = new ArrayList<>();
    bodies.forEach(b -> promises.add(Promise.promise()));
    context.runOnContext(v -> {
      for (int i = 0; i < bodies.size(); i++) {
        request(HttpMethod.POST, uris.get(i), bodies.get(i)).onComplete(promises.get(i));
      }
    });
    return promises.stream().map(Promise::future).toList();
  }

  public static List<TestEngine.Response> awaitAll(List<Future<TestEngine.Response>> pending) {
    TestEngine.await(Future.join(new ArrayList<Future<?>>(pending)));
    return pending.stream().map(Future::result).toList();
  }

  /** {@code GET /api/v1/learners/{id}/xp?limit=1000}: the whole ledger, oldest first. */
  public List<JsonObject> ledgerOldestFirst(String learnerId) {
    TestEngine.Response r = get("/api/v1/learners/" + learnerId + "/xp?limit=1000");
    if (r.status() != 200) {
      throw new AssertionError("expected the ledger of " + learnerId + ", got " + r.status() + " " + r.body());
    }
    JsonArray entries = r.jsonArray("entries");
    List<JsonObject> oldestFirst = new ArrayList<>();
    for (int i = entries.size() - 1; i >= 0; i--) {
      oldestFirst.add(entries.getJsonObject(i));
    }
    return oldestFirst;
  }

  /** The number of ledger rows of a learner, 0 while the learner is unknown. */
  public int ledgerSize(String learnerId) {
    TestEngine.Response r = get("/api/v1/learners/" + learnerId + "/xp?limit=1000");
    return r.status() == 200 ? r.jsonArray("entries").size() : 0;
  }

  /** {@code GET /api/v1/leaderboards/global} all-time, first page of 100. */
  public JsonObject globalBoard() {
    TestEngine.Response r = get("/api/v1/leaderboards/global?period=all-time&page=1&size=100");
    if (r.status() != 200) {
      throw new AssertionError("expected the global board, got " + r.status() + " " + r.body());
    }
    return r.json();
  }

  /** {@link TestEngine#eventually}, reporting {@code state} when the condition is not met in time. */
  public static void eventually(java.time.Duration timeout, java.util.function.BooleanSupplier condition,
                                Supplier<String> state) {
    try {
      TestEngine.eventually(timeout, condition);
    } catch (AssertionError e) {
      throw new AssertionError("not settled within " + timeout + "; state: " + state.get(), e);
    }
  }

  /** As a test's {@code @RegisterExtension} field, closed after each test method (before its engine). */
  @Override
  public void afterEach(ExtensionContext extensionContext) {
    close();
  }

  @Override
  public void close() {
    TestEngine.await(client.close());
  }

  /** The engine these requests go to. */
  public TestEngine engine() {
    return engine;
  }
}
