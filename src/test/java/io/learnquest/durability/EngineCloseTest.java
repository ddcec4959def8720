package io.learnquest.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.learnquest.web.RequestGate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A node must never hang on close. Engines are started and stopped again and again, each stop
 * right after a burst of single events, batches and {@code ?wait=true} waiters that are still being
 * answered: every stop (the node's own, as on SIGTERM) and the Vert.x close after it end within
 * their bound, every request the node let in gets its answer (none cut off), and with the durable
 * stores every event answered 202 is in PostgreSQL. Both stores, whatever {@code test.store} says.
 * {@code -DengineClose.repeats=N} sets the stops per store (3 by default).
 */
class EngineCloseTest {
  static final int REPEATS = Integer.getInteger("engineClose.repeats", 3);
  static final int LEARNERS = 40;
  static final int SINGLES = 160;
  static final int BATCHES = 8;
  static final int PER_BATCH = 100;
  /**
   * Time enough for the burst's requests to be answered: a waiter waits at most the tests' 15 s,
   * and this test asks that nothing let in is cut off, not how fast a busy machine applies.
   */
  static final Map<String, String> ENV = Map.of("SHUTDOWN_GRACE_MS", "30000");

  @ParameterizedTest(name = "store {0}")
  @ValueSource(strings = {"memory", "postgres"})
  void everyStopRightAfterABurstEndsWithinItsBoundAndAnswersWhatItLetIn(String store) {
    Vertx client = Vertx.vertx();
    try {
      for (int round = 0; round < REPEATS; round++) {
        burstThenStop(client, store, round);
      }
    } finally {
      TestEngine.closeVertx(client);
    }
  }

  private void burstThenStop(Vertx client, String store, int round) {
    TestEngine engine;
    if (store.equals("postgres")) {
      TestStores.emptyTestDatabase();
      engine = TestEngine.startDurable(ENV);
    } else {
      engine = TestEngine.startMemoryAt(TestEngine.START, ENV);
    }
    HttpClient http = client.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(engine.port), new PoolOptions().setHttp1MaxSize(SINGLES + BATCHES));
    List<Sent> requests = burst(round);
    Map<Sent, Answer> answers = new ConcurrentHashMap<>();
    Set<Sent> failed = ConcurrentHashMap.newKeySet();
    client.runOnContext(v -> requests.forEach(sent -> http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setURI(sent.uri).setIdleTimeout(60_000))
        .compose(req -> req.putHeader("content-type", "application/json")
            .putHeader("authorization", "Bearer " + TestEngine.ADMIN_KEY).send(Buffer.buffer(sent.body)))
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b.toString())))
        .onSuccess(answer -> answers.put(sent, answer))
        .onFailure(e -> failed.add(sent))));
    RequestGate gate = RequestGate.of(engine.engine.context());
    // Stop once the node has let every request in (many still unanswered): what it let in, it must answer.
    TestEngine.eventually(Duration.ofSeconds(60), () -> gate.admitted() >= requests.size() || !failed.isEmpty());
    int inFlightAtStop = gate.inFlight();

    long bound = TestEngine.stopBoundMs(engine.engine);
    long started = System.nanoTime();
    try {
      engine.engine.stop().await(bound, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(store + " round " + round + ": the stop did not end within " + bound + " ms\n"
          + TestEngine.threadDump(), e);
    }
    long stopMs = (System.nanoTime() - started) / 1_000_000;
    TestEngine.eventually(Duration.ofSeconds(30), () -> answers.size() + failed.size() == requests.size());
    assertEquals(Set.of(), failed, store + " round " + round + ": requests the node let in were cut off");
    answers.forEach((sent, answer) -> assertTrue(answer.status == 200 || answer.status == 202,
        store + " round " + round + ": " + sent.uri + " answered " + answer.status + " " + answer.body));
    if (store.equals("postgres")) {
      assertAcceptedEventsAreInPostgres(requests, answers, store + " round " + round);
    }
    engine.close();
    System.out.printf("EngineCloseTest %s round %d: %d requests in flight at the stop, stopped in %d ms%n", store,
        round, inFlightAtStop, stopMs);
  }

  private record Sent(String uri, String body, List<String> eventIds) {
  }

  private record Answer(int status, String body) {
  }

  /** Single events (every fourth waiting for its outcome) and batches, over a few learners. */
  private static List<Sent> burst(int round) {
    // Ids of this run alone: a database a failed run left behind holds no duplicate of them.
    String run = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    List<Sent> sent = new ArrayList<>();
    for (int i = 0; i < SINGLES; i++) {
      String id = "close-" + run + "-" + round + "-s" + i;
      sent.add(new Sent(i % 4 == 0 ? "/api/v1/events?wait=true" : "/api/v1/events",
          lesson(id, "closer-" + i % LEARNERS, i).encode(), List.of(id)));
    }
    for (int b = 0; b < BATCHES; b++) {
      JsonArray events = new JsonArray();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < PER_BATCH; i++) {
        String id = "close-" + run + "-" + round + "-b" + b + "-" + i;
        ids.add(id);
        events.add(lesson(id, "closer-" + i % LEARNERS, b * PER_BATCH + i + SINGLES));
      }
      sent.add(new Sent("/api/v1/events/batch", new JsonObject().put("events", events).encode(), ids));
    }
    return sent;
  }

  private static JsonObject lesson(String eventId, String learnerId, int n) {
    return TestEngine.event(eventId, learnerId, "lesson_completed").put("courseId", "close-101")
        .put("objectId", "close-lesson-" + n);
  }

  private static void assertAcceptedEventsAreInPostgres(List<Sent> requests, Map<Sent, Answer> answers,
                                                        String what) {
    List<String> accepted = new ArrayList<>();
    for (Sent sent : requests) {
      Answer answer = answers.get(sent);
      if (sent.uri.endsWith("/batch")) {
        new JsonObject(answer.body).getJsonArray("results").forEach(r -> {
          if ("accepted".equals(((JsonObject) r).getString("status"))) {
            accepted.add(((JsonObject) r).getString("eventId"));
          }
        });
      } else if (answer.status == 202 || (answer.status == 200 && sent.uri.contains("wait=true"))) {
        accepted.addAll(sent.eventIds); // 202 accepted, or applied (so accepted) for a waiter
      }
    }
    assertEquals(requests.stream().mapToInt(s -> s.eventIds.size()).sum(), accepted.size(),
        what + ": every event of the burst is new and valid, so accepted");
    String ids = String.join("','", accepted);
    long recorded = TestStores.query("SELECT count(*) AS n FROM events WHERE event_id IN ('" + ids + "')").get(0)
        .getLong("n");
    assertEquals(accepted.size(), recorded, what + ": events answered as accepted but not in PostgreSQL");
  }
}
