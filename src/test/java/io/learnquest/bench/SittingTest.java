package io.learnquest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.learnquest.support.TestEngine;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sitting's arithmetic, how it finds a node's process, and a whole sitting against an embedded node. */
class SittingTest {
  private static final List<String> OUTPUT = List.of(
      "LearnQuest load: 30000 events for 5000 learners against [http://127.0.0.1:18601], closed loop, 1024 in flight",
      "measured from 2026-12-07T10:19:01.685600614Z",
      "sent 30000 events in 2.37 s: 12645 events/s sustained",
      "POST-to-applied latency ms: p50 79.7  p95 117.3  p99 127.2  max 151.5",
      "HTTP statuses: {200=30000}");

  @Test
  void aRunsFiguresComeFromTheGeneratorsLinesAndTheCpuReadAroundItsMeasuredEvents() {
    Sitting.Run run = Sitting.parseRun("now", OUTPUT, new Sitting.Cpu(10.0, 100.0, 5.0),
        new Sitting.Cpu(11.5, 101.8, 5.21));
    assertEquals(30000, run.events());
    assertEquals(12645, run.rate());
    assertEquals(0.05, run.nodeMs(), 1e-9);
    assertEquals(0.06, run.postgresMs(), 1e-9);
    assertEquals(0.007, run.redisMs(), 1e-9);
    assertEquals(79.7, run.p50());
    assertEquals(127.2, run.p99());
    assertNull(Sitting.parseRun("now", OUTPUT.subList(0, 3), new Sitting.Cpu(0, 0, 0), new Sitting.Cpu(1, 1, 1)),
        "a run without its latency line is no run");
  }

  @Test
  void aHistorysEventsShareTheCpuWindowAndAreCountedWithTheMeasuredOnes() {
    List<String> output = new java.util.ArrayList<>(OUTPUT);
    output.add(0, "history: the first 2 events of each learner (10000 events) go first, untimed; the CPU figures "
        + "are per event of the history and the measured events together");
    Sitting.Run run = Sitting.parseRun("now", output, new Sitting.Cpu(10.0, 100.0, 5.0), new Sitting.Cpu(12.0, 104.0, 5.4));
    assertEquals(30000, run.events(), "the measured events, whose rate and latency are reported");
    assertEquals(0.05, run.nodeMs(), 1e-9, "2 s over 40,000 events, not 30,000");
    assertEquals(0.1, run.postgresMs(), 1e-9);
    assertEquals(0.01, run.redisMs(), 1e-9);
  }

  @Test
  void eachNodesMediansAreSetAgainstTheFirstNodes() {
    Map<String, List<Sitting.Run>> runs = new LinkedHashMap<>();
    runs.put("before", List.of(run("before", 8000, 0.090), run("before", 7000, 0.080), run("before", 9000, 0.100)));
    runs.put("now", List.of(run("now", 12000, 0.045), run("now", 11000, 0.050)));
    String medians = Sitting.medians(runs);
    assertTrue(medians.contains("median of 3  before         8,000 events/s (1.00x)  node 0.0900 ms (1.00x)"), medians);
    assertTrue(medians.contains("median of 2  now           11,500 events/s (1.44x)  node 0.0475 ms (0.53x)"), medians);
  }

  private static Sitting.Run run(String label, double rate, double nodeMs) {
    return new Sitting.Run(label, 30000, rate, nodeMs, 0.1, 0.01, 80, 150);
  }

  @Test
  void aNodeIsFoundByThePortItListensOnAndItsCpuReadFromProc() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "Linux only");
    long self = ProcessHandle.current().pid();
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(self, Sitting.listeningPid(socket.getLocalPort()));
    }
    assertTrue(Sitting.processSeconds(self) > 0);
  }

  @Test
  void aClusterIsOneNodeUnderTestItsUrlsSpreadOverAndItsProcessesCpuAddedUp() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "Linux only");
    long self = ProcessHandle.current().pid();
    try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
         ServerSocket second = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String urls = "http://127.0.0.1:" + first.getLocalPort() + ",http://127.0.0.1:" + second.getLocalPort();
      Sitting sitting = Sitting.parse(new String[] {"--node", "three=" + urls, "--", "--events", "10"}, Map.of());
      Sitting.Node node = sitting.nodes().get(0);
      assertEquals("three", node.label());
      assertEquals(List.of("http://127.0.0.1:" + first.getLocalPort(), "http://127.0.0.1:" + second.getLocalPort()),
          node.urls());
      assertEquals(List.of(self, self), node.pids());
      assertEquals(urls, node.urlList(), "the generator's --urls");
      assertTrue(assertThrows(IllegalArgumentException.class, () -> Sitting.parse(
          new String[] {"--node", "three=" + urls + ","}, Map.of())).getMessage().contains("names its port"),
          "an empty URL in the list is refused");
    }
    // read after one process's seconds, the sum over it twice is at least twice those
    double once = Sitting.processSeconds(self);
    assertTrue(Sitting.Cpu.now(List.of(self, self)).node() >= 2 * once);
  }

  @Test
  void badArgumentsAreRefusedNamingWhatIsWrong() throws Exception {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Sitting.parse(new String[] {"--rounds", "2"},
        Map.of())).getMessage().contains("at least one --node"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Sitting.parse(new String[] {"--nodes", "a=b"},
        Map.of())).getMessage().contains("unknown option --nodes"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Sitting.parse(
        new String[] {"--node", "a=http://127.0.0.1"}, Map.of())).getMessage().contains("names its port"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Sitting.parse(
        new String[] {"--rounds", "many"}, Map.of())).getMessage().contains("--rounds takes a number"));
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "Linux only");
      String node = "a=http://127.0.0.1:" + socket.getLocalPort();
      assertTrue(assertThrows(IllegalArgumentException.class, () -> Sitting.parse(
          new String[] {"--node", node, "--", "--urls", "http://x:1"}, Map.of())).getMessage().contains("--urls"));
    }
  }

  @Test
  void aSittingAlternatesItsNodesAndEndsWithTheirMedians() throws Exception {
    assumeTrue(Files.exists(Path.of("/proc/net/tcp")), "Linux only");
    try (TestEngine node = TestEngine.startMemoryAt(Instant.now(), Map.of())) {
      String url = "http://127.0.0.1:" + node.port;
      long self = ProcessHandle.current().pid();
      Sitting sitting = new Sitting(List.of(new Sitting.Node("first", List.of(url), List.of(self)),
          new Sitting.Node("second", List.of(url, url), List.of(self, self))),
          2, List.of("--learners", "5", "--events", "20", "--concurrency", "4"),
          Map.of("LQ_BOOTSTRAP_KEY", TestEngine.ADMIN_KEY));
      PrintStream out = System.out;
      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      boolean ok;
      try {
        ok = assertTimeoutPreemptively(Duration.ofSeconds(120), sitting::run);
      } finally {
        System.setOut(out);
      }
      String report = printed.toString(StandardCharsets.UTF_8);
      assertTrue(ok, report);
      List<String> lines = report.lines().map(l -> l.substring(0, 16)).toList();
      assertEquals(List.of("round 1  first  ", "round 1  second ", "round 2  first  ", "round 2  second ",
          "median of 2  fir", "median of 2  sec"), lines, report);
    }
  }
}
