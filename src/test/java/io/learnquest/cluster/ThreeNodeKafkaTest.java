package io.learnquest.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.bench.EventMix;
import io.learnquest.support.EngineProcess;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Three engine nodes (separate JVMs) on loopback, clustered by Hazelcast, with PostgreSQL, Redis
 * and Kafka in the path. 10,000 events for 200 learners go to the nodes round-robin with 5 %
 * duplicates; one node is killed with SIGKILL midway and restarted. Afterwards every event answered
 * 202 has been applied exactly once, and every learner and leaderboard equals the embedded default
 * applying the same accepted events one by one.
 */
class ThreeNodeKafkaTest {
  static final int LEARNERS = 200;
  static final int PER_LEARNER = 50;
  static final int DUPLICATE_PERCENT = 5;
  static final int SENDERS = 12;
  static final String NO_SWEEP = Long.toString(Duration.ofDays(1).toMillis());

  @Test
  void tenThousandEventsAcrossThreeNodesAndAKillAreAppliedExactlyOnce() throws Exception {
    TestKafka kafka = TestKafka.fresh();
    TestStores.emptyTestDatabase();
    int port = 25_000 + ThreadLocalRandom.current().nextInt(400) * 10;
    Map<String, String> env = new HashMap<>(TestStores.postgresEnv());
    env.putAll(kafka.env(6));
    env.put("CONF_DIR", "conf");
    // Lifecycle lines only (what deployed when), so a node that does not come up says where it stopped.
    env.put("LOG_LEVEL", "INFO");
    env.put("CLUSTER", "true");
    env.put("CLUSTER_NAME", "lq-three-" + UUID.randomUUID());
    env.put("CLUSTER_PORT", Integer.toString(port));
    env.put("CLUSTER_MEMBERS", "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1) + ",127.0.0.1:" + (port + 2));
    env.put("INACTIVITY_SWEEP_INTERVAL_MS", NO_SWEEP);
    env.put("RECOVERY_INTERVAL_MS", "1000");
    // An event the killed node recorded but had not produced yet is applied by recovery soon after.
    env.put("KAFKA_RECOVER_AFTER_MS", "5000");

    String runId = "three" + System.nanoTime() % 100_000;
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(6L * PER_LEARNER));
    List<JsonObject> events = EventMix.generate(runId, LEARNERS, PER_LEARNER, start, Duration.ofHours(6), 4242);
    List<JsonObject> sends = withDuplicates(events, new Random(17));

    List<EngineProcess> nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(new EngineProcess(env, Files.createTempFile("three-node-" + i, ".log")));
    }
    Map<String, Integer> answers = new ConcurrentHashMap<>();
    AtomicInteger answered = new AtomicInteger();
    try (EngineProcess a = nodes.get(0); EngineProcess b = nodes.get(1); EngineProcess c = nodes.get(2)) {
      long t0 = System.nanoTime();
      for (EngineProcess node : nodes) {
        node.start();
      }
      long t1 = System.nanoTime();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
      List<Future<?>> sent = new ArrayList<>();
      AtomicInteger next = new AtomicInteger();
      // Each sender owns some learners and sends their events in order, round-robin over the nodes,
      // moving to the next node when one does not answer (as a load balancer would).
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        sent.add(senders.submit(() -> {
          for (JsonObject event : sends) {
            if (Math.floorMod(event.getString("learnerId").hashCode(), SENDERS) != sender) {
              continue;
            }
            int node = next.getAndIncrement() % 3;
            int status;
            while ((status = EngineProcess.post(http, nodes.get(node).base() + "/api/v1/events", event)) < 0
                || status == 503) {
              node = (node + 1) % 3;
              sleep(20);
            }
            answers.merge(event.getString("eventId"), status, (x, y) -> x == 202 ? x : y);
            answered.incrementAndGet();
          }
          return null;
        }));
      }
      TestEngine.eventually(Duration.ofSeconds(120), () -> answered.get() >= sends.size() / 3);
      b.kill();
      int answeredAtKill = answered.get();
      System.out.println("node 2 killed with " + answeredAtKill + " of " + sends.size() + " answered, "
          + Replay.pendingCount() + " accepted events not yet applied");
      b.start();
      for (Future<?> f : sent) {
        f.get(300, TimeUnit.SECONDS);
      }
      senders.shutdown();
      long t2 = System.nanoTime();
      assertTrue(answeredAtKill < sends.size(), "the kill landed while events were still flowing");

      TestEngine.eventually(Duration.ofSeconds(120), () -> Replay.pendingCount() == 0);
      long t3 = System.nanoTime();
      System.out.printf("3 nodes up in %d ms; %d requests answered in %d ms; all applied %d ms later%n",
          (t1 - t0) / 1_000_000, sends.size(), (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
      assertEquals(events.size(), answers.size(), "every event got an answer");
      assertTrue(answers.values().stream().allMatch(s -> s == 202 || s == 200), answers.values().stream()
          .filter(s -> s != 202 && s != 200).distinct().toList().toString());
      Set<String> answered202 = answers.entrySet().stream().filter(e -> e.getValue() == 202).map(Map.Entry::getKey)
          .collect(Collectors.toSet());
      List<JsonObject> accepted = Replay.acceptedInOrder();
      assertEquals(events.size(), accepted.size(), "every event is in the log once");
      assertTrue(accepted.stream().map(e -> e.getString("eventId")).collect(Collectors.toSet())
          .containsAll(answered202), "every event answered 202 is in the log");
      assertEquals(0L, TestStores.query("SELECT count(*) FROM (SELECT event_id FROM xp_ledger "
          + "GROUP BY event_id, activity HAVING count(*) > 1) twice").get(0).getLong(0), "no grant twice");
      assertEquals(0L, TestStores.query("SELECT count(*) FROM (SELECT learner_id FROM learner_badges "
          + "GROUP BY learner_id, badge_id HAVING count(*) > 1) twice").get(0).getLong(0), "no badge twice");

      try (TestEngine node1 = TestEngine.client(a.port)) {
        Replay.assertNodeEqualsReplay(node1, accepted, Map.of("INACTIVITY_SWEEP_INTERVAL_MS", NO_SWEEP),
            List.of("course-0", "course-1", "course-2", "course-3"));
        assertLeaderboardEqualsPostgres(node1);
      }
    }
  }

  /** The events in send order, with 5 % of them sent a second time a little later (client retries). */
  static List<JsonObject> withDuplicates(List<JsonObject> events, Random random) {
    List<JsonObject> sends = new ArrayList<>(events);
    int duplicates = events.size() * DUPLICATE_PERCENT / 100;
    for (int i = 0; i < duplicates; i++) {
      int original = random.nextInt(events.size());
      int at = Math.min(sends.size(), original + 1 + random.nextInt(200));
      sends.add(at, events.get(original).copy());
    }
    return sends;
  }

  /** The global board served from Redis equals the learners' XP in PostgreSQL, learner by learner. */
  static void assertLeaderboardEqualsPostgres(TestEngine node) {
    Map<String, Long> redis = new HashMap<>();
    Replay.board(node, "/api/v1/leaderboards/global").forEach(row -> {
      String[] parts = row.split(":");
      redis.put(parts[1], Long.parseLong(parts[2]));
    });
    Map<String, Long> postgres = new HashMap<>();
    TestStores.query("SELECT learner_id, xp FROM learners WHERE xp > 0")
        .forEach(row -> postgres.put(row.getString(0), row.getLong(1)));
    assertEquals(postgres, redis);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
