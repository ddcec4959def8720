package io.learnquest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.learnquest.store.EventLog;
import io.learnquest.store.Stores;
import io.learnquest.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node whose event log records slower than clients send holds a bounded number of events in
 * flight: while the log holds every append (a starved or slow database), four batches of 1,000
 * are let in, and the fifth, which would pass 4,096 events waiting to be recorded, is refused at
 * once with 503 {@code overloaded}, Retry-After and the error body, recording nothing. Once the log
 * goes on, the four are recorded (their requests answered 200, or 503 {@code store_unavailable} when
 * the bus's time limit ran out first on a slow machine), and the fifth, sent again, is accepted.
 */
class IngestionInFlightApiTest {
  static final int PER_BATCH = 1000;
  /** Once set, the log answers appends as they come again. */
  static final java.util.concurrent.atomic.AtomicBoolean RELEASED = new java.util.concurrent.atomic.AtomicBoolean();

  @Test
  void pastTheEventsInFlightALogThatDoesNotAnswerGetsNoMoreAndTheRequestIs503() throws Exception {
    ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    RELEASED.set(false);
    Vertx client = Vertx.vertx();
    try (TestEngine engine = TestEngine.start(Map.of("INGESTION_MAX_BACKLOG", "100000"),
        stores -> holdingAppends(stores, held))) {
      HttpClient http = client.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(engine.port), new PoolOptions().setHttp1MaxSize(8));
      String run = "inflight" + System.nanoTime() % 1_000_000;
      List<Future<JsonObject>> firstFour = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        firstFour.add(postBatch(client, http, batch(run, b)));
        int expected = (b + 1) * PER_BATCH;
        // Each batch reaches the log (and waits there) before the next is sent.
        TestEngine.eventually(Duration.ofSeconds(30), () -> heldEvents(held) == expected);
      }
      JsonObject fifth = postBatch(client, http, batch(run, 4)).await(30, TimeUnit.SECONDS);
      assertEquals(503, fifth.getInteger("status"), fifth::encode);
      assertNotNull(fifth.getString("retryAfter"), fifth::encode);
      JsonObject error = fifth.getJsonObject("body");
      assertEquals("overloaded", error.getString("error"), error::encode);
      assertEquals(3, error.size(), error::encode);
      assertEquals(4 * PER_BATCH, heldEvents(held), "the refused batch never reached the log");

      RELEASED.set(true);
      held.forEach(Runnable::run);
      for (Future<JsonObject> f : firstFour) {
        JsonObject answer = f.await(60, TimeUnit.SECONDS);
        if (answer.getInteger("status") == 503) {
          assertEquals("store_unavailable", answer.getJsonObject("body").getString("error"), answer::encode);
        } else {
          assertEquals(200, answer.getInteger("status"), answer::encode);
          answer.getJsonObject("body").getJsonArray("results").forEach(r ->
              assertEquals("accepted", ((JsonObject) r).getString("status"), r::toString));
        }
      }
      // Each of the four was recorded once the log went on: sent again, every event is a duplicate.
      for (int b = 0; b < 4; b++) {
        int batch = b;
        TestEngine.eventually(Duration.ofSeconds(30), () -> {
          JsonObject again = TestEngine.await(postBatch(client, http, batch(run, batch)));
          return again.getInteger("status") == 200 && again.getJsonObject("body").getJsonArray("results").stream()
              .allMatch(r -> "duplicate".equals(((JsonObject) r).getString("status")));
        });
      }
      // The fifth was not recorded: sent again now, every event of it is new.
      JsonObject again = postBatch(client, http, batch(run, 4)).await(60, TimeUnit.SECONDS);
      assertEquals(200, again.getInteger("status"), again::encode);
      again.getJsonObject("body").getJsonArray("results").forEach(r ->
          assertEquals("accepted", ((JsonObject) r).getString("status"), r::toString));
    } finally {
      TestEngine.closeVertx(client);
    }
  }

  /** The number of events in the appends the log holds. */
  private static int heldEvents(ConcurrentLinkedQueue<Runnable> held) {
    return held.stream().mapToInt(r -> ((HeldAppend) r).events).sum();
  }

  private record HeldAppend(int events, Runnable release) implements Runnable {
    @Override
    public void run() {
      release.run();
    }
  }

  /** The stores, with an event log whose appends wait until the test lets them go. */
  private static Stores holdingAppends(Stores stores, ConcurrentLinkedQueue<Runnable> held) {
    EventLog real = stores.events();
    EventLog holding = (EventLog) Proxy.newProxyInstance(EventLog.class.getClassLoader(),
        new Class<?>[] {EventLog.class}, (proxy, method, args) -> {
          if (!method.getName().equals("append") || RELEASED.get()) {
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }
          Context context = Vertx.currentContext();
          Promise<Object> answer = Promise.promise();
          held.add(new HeldAppend(((List<?>) args[1]).size(), () -> context.runOnContext(v -> {
            try {
              ((Future<?>) method.invoke(real, args)).onComplete(ar -> {
                if (ar.succeeded()) {
                  answer.complete(ar.result());
                } else {
                  answer.fail(ar.cause());
                }
              });
            } catch (ReflectiveOperationException e) {
              answer.fail(e);
            }
          })));
          return answer.future();
        });
    return new Stores(holding, stores.learners(), stores.leaderboards(), stores.badgeCatalog(), stores.auth(), stores.rateLimits(),
        stores.connectionLeases(), stores.closer());
  }

  private static JsonObject batch(String run, int b) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < PER_BATCH; i++) {
      events.add(TestEngine.event(run + "-" + b + "-" + i, run + "-learner-" + i % 50, "lesson_completed")
          .put("courseId", "inflight-101").put("objectId", "inflight-" + b + "-" + i));
    }
    return new JsonObject().put("events", events);
  }

  private static Future<JsonObject> postBatch(Vertx client, HttpClient http, JsonObject body) {
    Promise<JsonObject> answer = Promise.promise();
    client.runOnContext(v -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setURI("/api/v1/events/batch").setIdleTimeout(60_000))
        .compose(req -> req.putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer " + TestEngine.ADMIN_KEY).send(body.toBuffer()))
        .compose(resp -> resp.body().map(b -> new JsonObject().put("status", resp.statusCode())
            .put("retryAfter", resp.getHeader("retry-after")).put("body", new JsonObject(b))))
        .onComplete(answer));
    return answer.future();
  }
}
