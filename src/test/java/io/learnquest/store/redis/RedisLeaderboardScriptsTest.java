package io.learnquest.store.redis;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.support.TestRedis;
import io.learnquest.support.TestStores;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The leaderboard store's scripts travel by their SHA-1 once Redis knows them, and in full again
 * only after Redis forgot them ({@code SCRIPT FLUSH}). What Redis received is read from MONITOR,
 * keeping the script calls that name this test's key prefix (other clients share the server).
 */
class RedisLeaderboardScriptsTest {
  private static final String BOARD = "global/all-time";
  private static final String T = "tenant-a";
  @RegisterExtension
  static final TestRedis REDIS = new TestRedis();
  private final Redis redis = REDIS.client();
  private String prefix;
  private RedisLeaderboardStore store;

  @BeforeEach
  void fresh() {
    prefix = REDIS.freshKeyPrefix();
    store = new RedisLeaderboardStore(redis, prefix, 12, Clock.systemUTC());
  }

  @AfterEach
  void cleanUp() {
    await(store.clear());
  }

  /** Every operation that runs a script, once. */
  private void everyScript(long xp) {
    await(store.setScores(T, "alice", Map.of(BOARD, xp)));
    await(store.replaceScores(T, "alice", Map.of(BOARD, new ScoreChange(xp, xp + 1))));
    await(store.beginRebuild(T, "g" + xp, 60_000));
    await(store.rebuildPage(T, "g" + xp, Map.of(BOARD, List.of(new Standing("alice", xp + 1)))));
    await(store.finishRebuild(T, "g" + xp));
    await(store.beginRebuild(T, "h" + xp, 60_000));
    await(store.abandonRebuild(T, "h" + xp));
  }

  @Test
  void onceRedisKnowsTheScriptsEveryCallSendsOnlyTheirSha() {
    everyScript(10);
    List<String> calls = monitored(() -> everyScript(20));
    // write, replace, renew, swap, release
    assertEquals(List.of("evalsha", "evalsha", "evalsha", "evalsha", "evalsha"), calls);
    assertEquals(List.of(new Standing("alice", 21)), await(store.range(T, BOARD, 0, 10)).standings());
  }

  @Test
  void afterAScriptFlushAWriteSendsTheScriptInFullOnceAndLandsOnce() {
    await(store.setScores(T, "alice", Map.of(BOARD, 10L)));
    List<String> calls = List.of();
    // Another client of the shared server may load the script again between the flush and the
    // write; then the write found it known, and the flush is tried again.
    for (int attempt = 0; attempt < 5 && !calls.equals(List.of("evalsha", "eval")); attempt++) {
      await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
      long xp = 20 + attempt;
      calls = monitored(() -> await(store.setScores(T, "alice", Map.of(BOARD, xp))));
    }
    assertEquals(List.of("evalsha", "eval"), calls, "refused by SHA-1, then sent in full");
    assertEquals(List.of("evalsha"), monitored(() -> await(store.setScores(T, "alice", Map.of(BOARD, 40L)))),
        "known again");
    assertEquals(List.of(new Standing("alice", 40)), await(store.range(T, BOARD, 0, 10)).standings());

    await(redis.send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertEquals("g1", await(store.beginRebuild(T, "g1", 60_000)));
    await(store.rebuildPage(T, "g1", Map.of(BOARD, List.of(new Standing("alice", 40)))));
    await(store.finishRebuild(T, "g1"));
    assertEquals(List.of(new Standing("alice", 40)), await(store.range(T, BOARD, 0, 10)).standings(),
        "a rebuild's scripts too are sent again when Redis forgot them");
  }

  /** The script calls naming this test's prefix that Redis received while {@code action} ran, in order. */
  private List<String> monitored(Runnable action) {
    String done = prefix + "done:" + UUID.randomUUID();
    List<String> lines = new ArrayList<>();
    try (Socket socket = new Socket(TestStores.REDIS_HOST, TestStores.REDIS_PORT)) {
      socket.setSoTimeout(10_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      socket.getOutputStream().write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      assertEquals("+OK", in.readLine());
      action.run();
      await(redis.send(Request.cmd(Command.ECHO).arg(done)));
      for (String line = in.readLine(); !line.contains(done); line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // +<time> [<db> <client address>] "<command>" "<arg>" ...; the calls a script makes show "lua" as client
    Pattern call = Pattern.compile("^\\+\\S+ \\[\\d+ [^\\]]+\\] \"(eval|evalsha)\" .*", Pattern.CASE_INSENSITIVE);
    List<String> calls = new ArrayList<>();
    for (String line : lines) {
      Matcher m = call.matcher(line);
      if (m.matches() && line.contains("\"" + prefix)) {
        calls.add(m.group(1).toLowerCase());
      }
    }
    return calls;
  }
}
