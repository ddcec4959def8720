package io.learnquest.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node tells its operator when PostgreSQL's WAL limit makes checkpoints come with the load. */
class ServerSettingsCheckTest {
  @Test
  void theServersDefaultWalLimitGetsAdviceAndFourGigabytesOrMoreNone() {
    List<String> advice = ServerSettingsCheck.advice(1L << 30, true);
    assertEquals(1, advice.size(), advice.toString());
    assertTrue(advice.get(0).contains("max_wal_size is 1024 MB") && advice.get(0).contains("at least 4 GB"),
        advice.get(0));
    assertEquals(1, ServerSettingsCheck.advice((4L << 30) - (1 << 20), true).size(), "just under 4 GB");
    assertEquals(List.of(), ServerSettingsCheck.advice(4L << 30, true));
    assertEquals(List.of(), ServerSettingsCheck.advice(16L << 30, true));
  }

  @Test
  void autovacuumOffGetsAdviceOfItsOwn() {
    List<String> advice = ServerSettingsCheck.advice(16L << 30, false);
    assertEquals(1, advice.size(), advice.toString());
    assertTrue(advice.get(0).contains("autovacuum is off"), advice.get(0));
    assertEquals(2, ServerSettingsCheck.advice(1L << 30, false).size());
  }

  /** Asked of the server itself: the advice follows what it shows, whatever this machine's settings. */
  @Test
  void theAdviceFollowsTheServersSettings() {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = TestStores.migratedPool(vertx);
      String walSize = show(pool, "max_wal_size");
      String autovacuum = show(pool, "autovacuum");
      List<String> advice = TestEngine.await(ServerSettingsCheck.advice(pool));
      assertEquals(ServerSettingsCheck.advice(bytes(walSize), autovacuum.equals("on")), advice,
          "max_wal_size " + walSize + ", autovacuum " + autovacuum);
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  private static String show(Pool pool, String setting) {
    return TestEngine.await(pool.query("SHOW " + setting).execute()).iterator().next().getString(0);
  }

  /** PostgreSQL shows sizes as a number and one of its units: "1GB", "1536MB". */
  private static long bytes(String shown) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(kB|MB|GB|TB)").matcher(shown);
    assertTrue(m.matches(), shown);
    int shift = switch (m.group(2)) {
      case "kB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      default -> 40;
    };
    return Long.parseLong(m.group(1)) << shift;
  }
}
