package io.learnquest.push;

import static io.learnquest.push.Frames.lesson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.Tenants;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.store.ConnectionLeases;
import io.learnquest.support.PrometheusText;
import io.learnquest.support.TestEngine;
import io.learnquest.support.WebSockets;
import io.learnquest.support.UnreachableConnectionLeases;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Contract section 11, connections: at most {@code limits.connectionsPerLearner} live push
 * connections per learner (the next is refused: WebSocket close 1008, SSE 429
 * {@code too_many_connections}), and a bounded send buffer per connection: a client that does not
 * read is closed rather than allowed to grow the node's memory.
 */
class ConnectionLimitTest {
  static final Duration PATIENCE = Duration.ofSeconds(30);
  /**
   * A send buffer of 1 KiB per connection, and the kernel's fixed at 16 KiB (left to itself, Linux
   * lets a socket's grow to 4 MiB, which a test would need thousands of events to fill).
   */
  static final Map<String, String> SMALL_BUFFERS = Map.of("LIMITS_PUSH_SEND_BUFFER_BYTES", "1024",
      "HTTP_SOCKET_SEND_BUFFER_BYTES", "16384");
  private TestEngine engine;

  @AfterEach
  void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  private double liveConnections() {
    return new PrometheusText(EngineMetrics.of(engine.vertx).registry().scrape()).value("learnquest_push_connections");
  }

  /** A WebSocket of {@code learnerId}, with what its close said. */
  private record Ws(WebSocket socket, AtomicReference<String> closed) {
  }

  private Ws webSocket(WebSocketClient client, String learnerId) {
    AtomicReference<String> closed = new AtomicReference<>();
    // the handler before the handshake: a refused connection is closed as soon as it is accepted
    io.vertx.core.http.ClientWebSocket ws = client.webSocket();
    ws.closeHandler(v -> closed.set(ws.closeStatusCode() + " " + ws.closeReason()));
    WebSockets.connect(ws, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(engine.port).setURI("/ws?learnerId=" + learnerId).setAllowOriginHeader(false)
        .addHeader("authorization", "Bearer " + TestEngine.ADMIN_KEY));
    return new Ws(ws, closed);
  }

  @Test
  void aLearnerHoldsAtMostTheLimitOfLiveConnectionsAndTheNextIsRefused() {
    engine = TestEngine.start(Map.of("LIMITS_CONNECTIONS_PER_LEARNER", "2"));
    WebSocketClient client = engine.vertx.createWebSocketClient();
    try {
      Ws first = webSocket(client, "ana");
      try (SseClient second = SseClient.open(engine, "/api/v1/learners/ana/notifications")) {
        assertEquals(200, second.status());
        Ws third = webSocket(client, "ana");
        TestEngine.eventually(PATIENCE, () -> third.closed().get() != null);
        assertTrue(third.closed().get().startsWith("1008 "), third.closed().get());
        assertTrue(third.closed().get().contains("connections"), third.closed().get());
        try (SseClient fourth = SseClient.open(engine, "/api/v1/learners/ana/notifications")) {
          assertEquals(429, fourth.status());
          TestEngine.eventually(PATIENCE, () -> fourth.body().endsWith("}"));
          assertEquals("too_many_connections", new JsonObject(fourth.body()).getString("error"));
        }
        // another learner is not held back, and ana's two connections still get every frame
        Ws bob = webSocket(client, "bob");
        TestEngine.Response applied = engine.post("/api/v1/events?wait=true", lesson("cl-1", "ana", "lesson-1"));
        assertEquals(200, applied.status(), applied.body());
        second.awaitFrames(4);
        assertEquals(null, bob.closed().get());
        assertEquals(null, first.closed().get());
      }
      // once one of ana's connections ends, a new one is let in (ana's first, bob's, and the new one)
      TestEngine.eventually(PATIENCE, () -> liveConnections() == 2);
      Ws again = webSocket(client, "ana");
      TestEngine.eventually(PATIENCE, () -> liveConnections() == 3);
      assertEquals(null, again.closed().get());
    } finally {
      TestEngine.await(client.close());
    }
  }

  /**
   * Starts {@link #engine} with {@code env}, its connection leases behind an
   * {@link UnreachableConnectionLeases} that fails every call at once, or never answers when
   * {@code silent}.
   */
  private AtomicReference<UnreachableConnectionLeases> startBehindUnreachableLeases(Map<String, String> env,
                                                                                   boolean silent) {
    AtomicReference<UnreachableConnectionLeases> leases = new AtomicReference<>();
    engine = TestEngine.start(env, stores -> {
      leases.set(new UnreachableConnectionLeases(stores.connectionLeases()));
      (silent ? leases.get().silent : leases.get().cutOff).set(true);
      return leases.get().around(stores);
    });
    return leases;
  }

  /**
   * With the lease store unreachable, connections are let in on the node's own count: the limit
   * holds per node (never open-ended), and once the store is back the node's renewals put the
   * leases of the connections let in meanwhile into it, so they count for the cluster again.
   */
  @Test
  void whileTheLeaseStoreIsUnreachableTheLimitHoldsOnTheNodesOwnCount() {
    AtomicReference<UnreachableConnectionLeases> leases = startBehindUnreachableLeases(
        Map.of("LIMITS_CONNECTIONS_PER_LEARNER", "2", "LIMITS_CONNECTION_LEASE_MS", "1500"), false);
    String uri = "/api/v1/learners/ana/notifications";
    try (SseClient first = SseClient.open(engine, uri); SseClient second = SseClient.open(engine, uri)) {
      assertEquals(200, first.status());
      assertEquals(200, second.status());
      try (SseClient third = SseClient.open(engine, uri)) {
        assertEquals(429, third.status());
        TestEngine.eventually(PATIENCE, () -> third.body().endsWith("}"));
        assertEquals("too_many_connections", new JsonObject(third.body()).getString("error"));
      }
      assertTrue(leases.get().failed.get() > 0, "the store was asked, and failed");
      leases.get().cutOff.set(false);
      // the store back, a renewal adds both leases: a third holder is refused by the store itself
      ConnectionLeases store = engine.engine.context().stores().connectionLeases();
      TestEngine.eventually(PATIENCE, () -> {
        ConnectionLeases.Lease probe = new ConnectionLeases.Lease(Tenants.DEFAULT, "ana", "probe:1");
        if (TestEngine.await(store.acquire(probe, 2, 60_000))) {
          TestEngine.await(store.release(probe));
          return false;
        }
        return true;
      });
    }
  }

  /**
   * A lease store that hangs (asked, never answering) holds a connection for at most
   * {@code limits.storeWaitMs}: it is then let in on the node's own count, and the limit still holds
   * on the node.
   */
  @Test
  void aLeaseStoreThatDoesNotAnswerIsWaitedForAtMostStoreWaitMs() {
    AtomicReference<UnreachableConnectionLeases> leases = startBehindUnreachableLeases(
        Map.of("LIMITS_CONNECTIONS_PER_LEARNER", "1", "LIMITS_STORE_WAIT_MS", "100"), true);
    String uri = "/api/v1/learners/ana/notifications";
    try (SseClient first = SseClient.open(engine, uri)) {
      assertEquals(200, first.status(), "let in once the wait is over");
      assertTrue(leases.get().unanswered.get() > 0, "the store was asked, and did not answer");
      try (SseClient second = SseClient.open(engine, uri)) {
        assertEquals(429, second.status());
      }
    }
  }

  /**
   * A node that stops gives its connections' leases back as it closes them: its learners may open
   * their connections elsewhere at once, not only once the leases expire. On the durable stores the
   * node is clustered (a cluster of one), as a node with others elsewhere is: only then are its
   * leases in Redis, where the other nodes see them.
   */
  @Test
  void aNodeThatStopsGivesItsConnectionsLeasesBack() {
    // a Redis slower than limits.storeWaitMs would let the connection in on the node's count alone,
    // without a lease to give back: a busy machine's pause must not be that
    Map<String, String> env = new java.util.HashMap<>(Map.of("LIMITS_CONNECTIONS_PER_LEARNER", "1",
        "LIMITS_STORE_WAIT_MS", "10000"));
    if (TestEngine.DURABLE) {
      int clusterPort = 26_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(400) * 10;
      env.put("CLUSTER", "true");
      env.put("CLUSTER_NAME", "lq-test-" + java.util.UUID.randomUUID());
      env.put("CLUSTER_PORT", Integer.toString(clusterPort));
      env.put("CLUSTER_MEMBERS", "127.0.0.1:" + clusterPort);
    }
    engine = TestEngine.start(env);
    String uri = "/api/v1/learners/ana/notifications";
    io.learnquest.config.EngineConfig.RedisSettings rs = engine.engine.context().config().redis();
    io.vertx.redis.client.Redis redis = io.vertx.redis.client.Redis.createClient(engine.vertx,
        io.learnquest.store.StoreFactory.redisOptions(rs));
    // the store as another node sees it: the engine's own Redis client is closed with it
    ConnectionLeases elsewhere = TestEngine.DURABLE
        ? new io.learnquest.store.redis.RedisConnectionLeases(redis, rs.keyPrefix())
        : engine.engine.context().stores().connectionLeases();
    ConnectionLeases.Lease probe = new ConnectionLeases.Lease(Tenants.DEFAULT, "ana", "other-node:1");
    try (SseClient open = SseClient.open(engine, uri)) {
      assertEquals(200, open.status());
      assertEquals(false, TestEngine.await(elsewhere.acquire(probe, 1, 60_000)), "the open connection holds the slot");
      TestEngine.await(engine.engine.stop());
      assertEquals(true, TestEngine.await(elsewhere.acquire(probe, 1, 60_000)), "the stopped node gave it back");
      TestEngine.await(elsewhere.release(probe));
    } finally {
      redis.close();
    }
  }

  /** Sends the request line and headers of {@code uri} on a socket that then never reads. */
  private Socket stalledClient(String request) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(2048);
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", engine.port));
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    return socket;
  }

  private void flood(String learnerId, int events) {
    JsonArray batch = new JsonArray();
    for (int i = 0; i < events; i++) {
      batch.add(lesson(learnerId + "-" + i, learnerId, "lesson-" + i));
    }
    assertEquals(200, engine.post("/api/v1/events/batch", new JsonObject().put("events", batch)).status());
  }

  /** Reads what the server still sent until the end of the stream (or a reset): the socket was closed. */
  private static void assertClosedByServer(Socket socket) throws IOException {
    socket.setSoTimeout(30_000);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[65_536];
    try {
      while (in.read(buffer) >= 0) {
        // the frames written before the close
      }
    } catch (SocketException reset) {
      // closed with a reset: closed all the same
    }
  }

  @Test
  void aWebSocketThatDoesNotReadIsClosedInsteadOfGrowingMemory() throws IOException {
    engine = TestEngine.start(SMALL_BUFFERS);
    try (Socket socket = stalledClient("GET /ws?learnerId=slow HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer " + TestEngine.ADMIN_KEY + "\r\n\r\n")) {
      TestEngine.eventually(PATIENCE, () -> liveConnections() == 1);
      flood("slow", 400);
      TestEngine.eventually(PATIENCE, () -> liveConnections() == 0);
      assertClosedByServer(socket);
    }
  }

  @Test
  void anSseStreamThatDoesNotReadIsClosedInsteadOfGrowingMemory() throws IOException {
    engine = TestEngine.start(SMALL_BUFFERS);
    try (Socket socket = stalledClient("GET /api/v1/learners/slow/notifications HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Accept: text/event-stream\r\nAuthorization: Bearer " + TestEngine.ADMIN_KEY + "\r\n\r\n")) {
      TestEngine.eventually(PATIENCE, () -> liveConnections() == 1);
      flood("slow", 400);
      TestEngine.eventually(PATIENCE, () -> liveConnections() == 0);
      assertClosedByServer(socket);
    }
  }
}
