package io.learnquest.cluster;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.push.WsClient;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes on a Hazelcast-clustered event bus (loopback, a cluster name and port range of their
 * own), sharing PostgreSQL and Redis: a web-only node, a processing-only node, and a node with web
 * and ingestion. They work as one engine: the typed messages between them (events, outcomes, live
 * frames, the profile's parts, transitions, the badge catalog and its change notices) cross the
 * nodes in their wire form.
 */
class ClusteredNodesTest {
  static final List<String> PROCESSING = List.of("RULES", "STREAKS", "XP", "BADGES", "LEADERBOARDS", "NOTIFICATIONS");
  final List<TestEngine> nodes = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  void aWebSocketOnOneNodeGetsTheNotificationsOfAnEventPostedToAnother() {
    threeNodesWorkAsOne(Map.of());
  }

  @Test
  void soTheyDoWithKafkaInThePath() {
    threeNodesWorkAsOne(TestKafka.fresh().env(3));
  }

  private void threeNodesWorkAsOne(Map<String, String> extra) {
    TestStores.emptyTestDatabase();
    Map<String, String> common = new HashMap<>(TestStores.postgresEnv());
    common.putAll(extra);
    int port = 20_000 + ThreadLocalRandom.current().nextInt(400) * 10;
    common.put("CLUSTER", "true");
    common.put("CLUSTER_NAME", "lq-test-" + UUID.randomUUID());
    common.put("CLUSTER_PORT", Integer.toString(port));
    common.put("CLUSTER_MEMBERS", "127.0.0.1:" + port + ",127.0.0.1:" + (port + 1) + ",127.0.0.1:" + (port + 2));
    common.put("HTTP_HOST", "127.0.0.1");
    common.put("HTTP_PORT", "0");

    Map<String, String> webOnly = new HashMap<>(common);
    webOnly.put("INGESTION_INSTANCES", "0");
    PROCESSING.forEach(v -> webOnly.put(v + "_INSTANCES", "0"));
    Map<String, String> processingOnly = new HashMap<>(common);
    processingOnly.put("WEB_INSTANCES", "0");
    processingOnly.put("INGESTION_INSTANCES", "0");
    Map<String, String> webAndIngestion = new HashMap<>(webOnly);
    webAndIngestion.put("INGESTION_INSTANCES", "1");

    TestEngine node1 = start(processingOnly);
    TestEngine web1 = start(webOnly);
    TestEngine web3 = start(webAndIngestion);

    try (WsClient ws = WsClient.connect(web1, "/ws?learnerId=nomad")) {
      JsonObject outcome = web3.apply(event("c-1", "nomad", "lesson_completed").put("objectId", "l1"));
      assertEquals(52, outcome.getLong("totalXp"));
      assertEquals("processed", outcome.getString("status"));
      List<String> types = ws.awaitFrames(4).stream().map(f -> f.getString("type")).toList();
      assertEquals(List.of("streak_updated", "xp_granted", "state_changed", "badge_awarded"), types);
      ws.frames().forEach(f -> assertEquals("c-1", f.getString("eventId")));
    }
    // Reads on the web-only node are answered by the processing node's verticles.
    assertEquals(52, web1.profile("nomad").getLong("xp"));
    assertEquals(List.of("1:nomad:52"), board(web1));
    assertEquals("ACTIVE", web1.get("/api/v1/learners/nomad/transitions").json().getJsonArray("transitions")
        .getJsonObject(0).getString("to"));
    // A badge defined through the web-only node is stored by the processing node's badges verticle,
    // listed to another node, and awarded by the next event (the change notice reached the rules).
    JsonObject twoLessons = new JsonObject().put("name", "Two Lessons").put("tier", "silver")
        .put("rule", new JsonObject().put("event", "lesson_completed").put("count", 2));
    assertEquals(200, web1.put("/api/v1/badges/two_lessons", twoLessons).status());
    assertTrue(web3.get("/api/v1/badges").json().getJsonArray("badges").stream()
        .anyMatch(b -> "two_lessons".equals(((JsonObject) b).getString("badgeId"))));
    JsonObject second = web3.apply(event("c-2", "nomad", "lesson_completed").put("objectId", "l2"));
    assertEquals(List.of("two_lessons"), second.getJsonArray("badgesAwarded").getList());
    assertEquals(-1, node1.port);
  }

  private TestEngine start(Map<String, String> env) {
    TestEngine node = TestEngine.start(ConfigLoader.load(Path.of("conf"), TestEngine.withTestDefaults(env)));
    nodes.add(node);
    return node;
  }

  private static List<String> board(TestEngine engine) {
    List<String> rows = new ArrayList<>();
    engine.get("/api/v1/leaderboards/global").json().getJsonArray("entries").forEach(e -> {
      JsonObject row = (JsonObject) e;
      rows.add(row.getLong("rank") + ":" + row.getString("learnerId") + ":" + row.getLong("xp"));
    });
    return rows;
  }
}
