package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.GatedLeaderboardStore;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The leaderboard rebuild has no gap (finding: a rebuild emptied the boards before refilling them,
 * so reads meanwhile saw totals from 0 up, and concurrent rebuilds each redid the work): reads stay
 * exact throughout, a live update during a rebuild survives its swap, and concurrent requests
 * join one rebuild. On the embedded default and, with {@code -Dtest.store=postgres}, on Redis.
 */
class LeaderboardRebuildApiTest {
  static final Duration PATIENCE = Duration.ofSeconds(30);
  static final List<String> SETTLED = List.of("ana", "ben", "cleo", "dev", "eve");

  private final AtomicReference<GatedLeaderboardStore> gated = new AtomicReference<>();
  // Pages of two totals: a rebuild takes many steps, each a chance for a read to land in a gap. No
  // periodic self-repair: every rebuild here is one the test asked for.
  private final TestEngine engine = TestEngine.start(Map.of("LEADERBOARDS_REBUILD_PAGE_SIZE", "2",
      "RECOVERY_INTERVAL_MS", "600000"), stores -> {
    GatedLeaderboardStore store = new GatedLeaderboardStore(stores.leaderboards());
    gated.set(store);
    return store.around(stores);
  });
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void close() {
    gated.get().open();
    pool.shutdownNow();
    engine.close();
  }

  private static JsonObject lesson(String eventId, String learnerId, String course) {
    return TestEngine.event(eventId, learnerId, "lesson_completed").put("courseId", course)
        .put("objectId", "o-" + eventId);
  }

  /** The settled learners' events; each learner's total is then what their profile (the ledger) says. */
  private Map<String, Long> settle() {
    int n = 0;
    for (String learner : SETTLED) {
      for (int k = 0; k <= SETTLED.indexOf(learner); k++) {
        engine.apply(lesson("s-" + ++n, learner, k % 2 == 0 ? "java-101" : "ux-1"));
      }
    }
    return truth(SETTLED);
  }

  private Map<String, Long> truth(List<String> learners) {
    Map<String, Long> totals = new TreeMap<>();
    learners.forEach(l -> totals.put(l, engine.profile(l).getLong("xp")));
    return totals;
  }

  private Map<String, Long> globalBoard() {
    JsonObject page = ok(engine.get("/api/v1/leaderboards/global?size=100"));
    Map<String, Long> board = new TreeMap<>();
    page.getJsonArray("entries").forEach(e -> board.put(((JsonObject) e).getString("learnerId"),
        ((JsonObject) e).getLong("xp")));
    assertEquals(board.size(), page.getLong("total"), page.encode());
    return board;
  }

  private CompletableFuture<TestEngine.Response> rebuildAsync() {
    return CompletableFuture.supplyAsync(() -> engine.post("/api/v1/admin/leaderboards/rebuild", ""), pool);
  }

  @Test
  void concurrentRequestsJoinOneRebuildDuringWhichReadsAndLiveUpdatesStayExact() throws Exception {
    Map<String, Long> truth = settle();
    assertEquals(truth, globalBoard());
    GatedLeaderboardStore store = gated.get();
    store.close();
    java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
    engine.vertx.eventBus().addInboundInterceptor(delivery -> {
      if (io.learnquest.bus.Addresses.LEADERBOARDS_REBUILD.equals(delivery.message().address())) {
        asked.incrementAndGet();
      }
      delivery.next();
    });
    List<CompletableFuture<TestEngine.Response>> requests = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      requests.add(rebuildAsync());
    }
    TestEngine.eventually(PATIENCE, () -> store.pagesHeld.get() == 1);

    // Held midway: reads see the whole boards, and a live update shows at once.
    assertEquals(truth, globalBoard());
    JsonObject outcome = engine.apply(lesson("live-1", "ana", "java-101"));
    truth.put("ana", outcome.getLong("totalXp"));
    assertEquals(truth, globalBoard());
    requests.add(rebuildAsync());
    requests.add(rebuildAsync());
    // Every request has reached the leaderboards before the rebuild may go on.
    TestEngine.eventually(PATIENCE, () -> asked.get() == requests.size());

    store.open();
    List<String> generations = new ArrayList<>();
    for (CompletableFuture<TestEngine.Response> request : requests) {
      TestEngine.Response r = request.get(60, TimeUnit.SECONDS);
      assertEquals(200, r.status(), r.body());
      generations.add(r.json().getString("generation"));
    }
    assertEquals(1, generations.stream().distinct().count(), "one rebuild answered them all: " + generations);
    assertEquals(1, store.rebuildsBegun.get());
    // The live update made during the rebuild survived the swap.
    assertEquals(truth, globalBoard());
    assertEquals(truth.get("ana"), engine.profile("ana").getLong("xp"));
  }

  @Test
  void readsDuringRepeatedRebuildsWhileEventsFlowAlwaysShowTheTrueTotals() throws Exception {
    Map<String, Long> settled = settle();
    List<String> flowing = List.of("fa", "fb", "fc");
    AtomicBoolean flow = new AtomicBoolean(true);
    Map<String, Long> lastApplied = new ConcurrentHashMap<>();
    CompletableFuture<Void> events = CompletableFuture.runAsync(() -> {
      for (int n = 0; flow.get(); n++) {
        String learner = flowing.get(n % flowing.size());
        TestEngine.Response r = engine.post("/api/v1/events?wait=true", lesson("f-" + n, learner, "ux-1"));
        if (r.status() == 200) {
          lastApplied.merge(learner, r.json().getLong("totalXp"), Math::max);
        }
      }
    }, pool);
    CompletableFuture<Void> rebuilds = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < 6; i++) {
        TestEngine.Response r = engine.post("/api/v1/admin/leaderboards/rebuild", "");
        assertEquals(200, r.status(), r.body());
      }
    }, pool);
    int reads = 0;
    while (!rebuilds.isDone() || reads < 20) {
      Map<String, Long> board = globalBoard();
      reads++;
      for (String learner : SETTLED) {
        assertEquals(settled.get(learner), board.get(learner), "read " + reads + " of " + board);
      }
    }
    rebuilds.get(60, TimeUnit.SECONDS);
    flow.set(false);
    events.get(60, TimeUnit.SECONDS);
    // Once the flow stops, the board is the durable truth, every learner's ledger total.
    List<String> everyone = new ArrayList<>(SETTLED);
    everyone.addAll(flowing.stream().filter(lastApplied::containsKey).toList());
    TestEngine.eventually(PATIENCE, () -> truth(everyone).equals(globalBoard()));
    assertTrue(reads >= 20);
  }
}
