package io.learnquest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.config.ConfigLoader;
import io.learnquest.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Redis client as the engine builds it, against real redis-servers of the test's own: one that
 * wants a password (the default user's {@code requirepass}, and an ACL user), one that speaks only
 * TLS with a certificate of the test's own CA.
 */
class RedisAuthTest {
  private static final String DEFAULT_PASSWORD = "default-pw-7";
  private static final String ACL_USER = "engine";
  private static final String ACL_PASSWORD = "engine-pw-9";
  /** The narrowest user docs/deployment.md and compose.yaml give the engine. */
  private static final String LEAST_USER = "lqleast";
  private static final String LEAST_PASSWORD = "least-pw-3";
  @TempDir
  static Path dir;
  private static final List<Process> servers = new ArrayList<>();
  private static Vertx vertx;
  private static int authPort;
  private static int tlsPort;

  @BeforeAll
  static void startServers() throws Exception {
    vertx = Vertx.vertx();
    authPort = freePort();
    start(List.of("redis-server", "--port", Integer.toString(authPort), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--requirepass", DEFAULT_PASSWORD,
        "--user", ACL_USER, "on", ">" + ACL_PASSWORD, "~*", "+@all",
        "--user", LEAST_USER, "on", ">" + LEAST_PASSWORD, "~lq:*", "+@sortedset", "+@set", "+@string", "+@keyspace",
        "+@scripting", "+ping", "+time"),
        authPort);
    // A self-signed certificate for 127.0.0.1: the client must check it against this file, by name.
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
        "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", dir.resolve("key.pem").toString(),
        "-out", dir.resolve("cert.pem").toString());
    tlsPort = freePort();
    start(List.of("redis-server", "--port", "0", "--tls-port", Integer.toString(tlsPort), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no", "--tls-cert-file", dir.resolve("cert.pem").toString(),
        "--tls-key-file", dir.resolve("key.pem").toString(), "--tls-ca-cert-file", dir.resolve("cert.pem").toString(),
        "--tls-auth-clients", "no"), tlsPort);
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    for (Process server : servers) {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
    TestEngine.await(vertx.close());
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("openssl.log").toFile()).start();
    assertEquals(0, p.waitFor(), () -> "openssl failed: " + read(dir.resolve("openssl.log")));
  }

  private static void start(List<String> command, int port) throws IOException, InterruptedException {
    Path log = dir.resolve("redis-" + port + ".log");
    Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    servers.add(server);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (!server.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("redis-server on " + port + " did not start: " + read(log));
        }
        Thread.sleep(20);
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** SETs and GETs one key through a client built from these environment variables. */
  private static String roundTrip(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("STORE", "postgres");
    Redis redis = Redis.createClient(vertx, StoreFactory.redisOptions(
        ConfigLoader.load(Path.of("conf"), all).redis()));
    try {
      TestEngine.await(redis.send(Request.cmd(Command.SET).arg("lqtest:auth").arg("ok")));
      return TestEngine.await(redis.send(Request.cmd(Command.GET).arg("lqtest:auth"))).toString();
    } finally {
      redis.close();
    }
  }

  private static Map<String, String> at(int port) {
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_HOST", "127.0.0.1");
    env.put("REDIS_PORT", Integer.toString(port));
    return env;
  }

  @Test
  void theDefaultUsersPasswordIsSent() {
    Map<String, String> env = at(authPort);
    env.put("REDIS_PASSWORD", DEFAULT_PASSWORD);
    assertEquals("ok", roundTrip(env));
  }

  @Test
  void withoutThePasswordTheServerRefuses() {
    Throwable refused = assertThrows(Throwable.class, () -> roundTrip(at(authPort)));
    assertTrue(String.valueOf(refused.getMessage()).contains("NOAUTH"), String.valueOf(refused));
  }

  @Test
  void anAclUserWithItsPasswordFromAFile() throws IOException {
    Map<String, String> env = at(authPort);
    env.put("REDIS_USER", ACL_USER);
    env.put("REDIS_PASSWORD_FILE", Files.writeString(dir.resolve("redis-password"), ACL_PASSWORD + "\n").toString());
    assertEquals("ok", roundTrip(env));
  }

  @Test
  void anAclUserWithAWrongPasswordIsRefused() {
    Map<String, String> env = at(authPort);
    env.put("REDIS_USER", ACL_USER);
    env.put("REDIS_PASSWORD", DEFAULT_PASSWORD);
    Throwable refused = assertThrows(Throwable.class, () -> roundTrip(env));
    assertTrue(String.valueOf(refused.getMessage()).contains("WRONGPASS"), String.valueOf(refused));
  }

  /** A node's Redis settings as the documented least-privilege ACL user, on the authenticated server. */
  private io.learnquest.config.EngineConfig.RedisSettings leastPrivilegeSettings() {
    Map<String, String> env = at(authPort);
    env.put("STORE", "postgres");
    env.put("REDIS_USER", LEAST_USER);
    env.put("REDIS_PASSWORD", LEAST_PASSWORD);
    env.put("REDIS_KEY_PREFIX", "lq:acl:");
    return ConfigLoader.load(Path.of("conf"), env).redis();
  }

  /** Every command the leaderboard store sends is allowed to the documented least-privilege user. */
  @Test
  void theLeaderboardStoreWorksWithTheDocumentedLeastPrivilegeAclUser() {
    io.learnquest.config.EngineConfig.RedisSettings rs = leastPrivilegeSettings();
    Redis redis = Redis.createClient(vertx, StoreFactory.redisOptions(rs));
    try {
      var store = new io.learnquest.store.redis.RedisLeaderboardStore(redis, rs.keyPrefix(), rs.weeklyRetentionWeeks(),
          java.time.Clock.systemUTC());
      String global = io.learnquest.domain.leaderboard.Board.global(io.learnquest.domain.leaderboard.Board.ALL_TIME)
          .key();
      String weekly = io.learnquest.domain.leaderboard.Board.global("2026-W49").key();
      TestEngine.await(store.ping());
      TestEngine.await(store.setScores(io.learnquest.domain.Tenants.DEFAULT, "ana", Map.of(global, 52L, weekly, 52L)));
      TestEngine.await(store.setScores(io.learnquest.domain.Tenants.DEFAULT, "ben", Map.of(global, 70L)));
      assertEquals(2, TestEngine.await(store.range(io.learnquest.domain.Tenants.DEFAULT, global, 0, 10)).total());
      assertEquals(1L, TestEngine.await(store.position(io.learnquest.domain.Tenants.DEFAULT, global, "ana")));
      assertEquals(false, TestEngine.await(store.isEmpty(io.learnquest.domain.Tenants.DEFAULT)));
      TestEngine.await(store.rebuild(io.learnquest.domain.Tenants.DEFAULT, Map.of(global, List.of(new io.learnquest.domain.leaderboard.Standing("ana", 60L)))));
      TestEngine.await(store.clear());
      assertEquals(true, TestEngine.await(store.isEmpty(io.learnquest.domain.Tenants.DEFAULT)));
    } finally {
      redis.close();
    }
  }

  /** Every command the connection-lease store sends (its scripts read Redis's TIME) is allowed to that user. */
  @Test
  void theConnectionLeaseStoreWorksWithTheDocumentedLeastPrivilegeAclUser() {
    io.learnquest.config.EngineConfig.RedisSettings rs = leastPrivilegeSettings();
    Redis redis = Redis.createClient(vertx, StoreFactory.redisOptions(rs));
    try {
      var leases = new io.learnquest.store.redis.RedisConnectionLeases(redis, rs.keyPrefix());
      var lease = new ConnectionLeases.Lease(io.learnquest.domain.Tenants.DEFAULT, "ana", "node-a:1");
      assertTrue(TestEngine.await(leases.acquire(lease, 1, 60_000)));
      assertEquals(false, TestEngine.await(leases.acquire(new ConnectionLeases.Lease(
          io.learnquest.domain.Tenants.DEFAULT, "ana", "node-a:2"), 1, 60_000)));
      assertEquals(List.of(true), TestEngine.await(leases.renew(List.of(new ConnectionLeases.Renewal(lease, false)),
          60_000)));
      TestEngine.await(leases.release(lease));
      assertTrue(TestEngine.await(leases.acquire(new ConnectionLeases.Lease(
          io.learnquest.domain.Tenants.DEFAULT, "ana", "node-a:2"), 1, 60_000)));
    } finally {
      redis.close();
    }
  }

  @Test
  void aUrlCarriesUserAndPassword() {
    assertEquals("ok", roundTrip(Map.of("REDIS_URL",
        "redis://" + ACL_USER + ":" + ACL_PASSWORD + "@127.0.0.1:" + authPort)));
  }

  @Test
  void tlsTrustingTheServersCertificate() {
    Map<String, String> env = at(tlsPort);
    env.put("REDIS_TLS", "true");
    env.put("REDIS_TLS_CA_CERT", dir.resolve("cert.pem").toString());
    assertEquals("ok", roundTrip(env));
  }

  @Test
  void tlsRefusesACertificateItDoesNotTrust() {
    Map<String, String> env = at(tlsPort);
    env.put("REDIS_TLS", "true");
    assertThrows(Throwable.class, () -> roundTrip(env));
  }

  @Test
  void tlsChecksTheHostName() {
    // The certificate names 127.0.0.1 only; "localhost" reaches the same server under another name.
    Map<String, String> env = new HashMap<>(Map.of("REDIS_URL", "rediss://localhost:" + tlsPort,
        "REDIS_TLS_CA_CERT", dir.resolve("cert.pem").toString()));
    assertThrows(Throwable.class, () -> roundTrip(env));
  }
}
