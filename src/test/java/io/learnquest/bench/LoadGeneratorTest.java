package io.learnquest.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The load generator against an embedded node: what it measures, and invariant 4 afterwards. */
class LoadGeneratorTest {

  @Test
  void onlyTheEventsAfterTheHistoryAreMeasuredAndInvariantFourHolds() throws Exception {
    try (TestEngine node = TestEngine.startMemoryAt(Instant.now(), Map.of())) {
      Map<String, String> args = new HashMap<>(Map.of("urls", "http://127.0.0.1:" + node.port, "learners", "20",
          "events", "60", "rate", "400", "history", "2", "pause-ms", "200", "timeline", "true"));
      PrintStream out = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      boolean ok;
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try {
        ok = new LoadGenerator(args).run();
      } finally {
        System.setOut(out);
      }
      String report = printed.toString(StandardCharsets.UTF_8);
      assertTrue(ok, report);
      // 20 learners, 3 events each measured after 2 each of history: 60 measured of 100 sent.
      assertTrue(report.contains("sent 60 events in"), report);
      assertTrue(report.contains("invariant 4 (XP == ledger sum == global score) holds for 20 learners"), report);
      // Every measured second is reported, the first one from the end of the lull on.
      assertTrue(report.contains("  second   0:"), report);
    }
  }
}
