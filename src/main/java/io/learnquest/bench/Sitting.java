package io.learnquest.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sitting (docs/benchmarks.md): the load generator run against several nodes in alternated
 * rounds, one node after the other in each round, so that the machine's drift falls on all of them
 * alike; then the medians of each node's runs and their ratios to the first node's. Beside the rate
 * and the latency of each run, the CPU per measured event of the node's process and of the
 * machine's PostgreSQL and Redis processes, read from {@code /proc} over the measured events only
 * (from the generator's "LearnQuest load" line to its "measured from" line; with {@code --history}
 * the history's events fall in that window too, and are counted with the measured ones): it needs
 * no metric of the node's, so it measures any build alike, an old one too. A node under test may be several
 * processes, a cluster, measured as one: the generator spreads its requests over their URLs and
 * their CPU is added up, so one node and three are compared in the same rounds. Linux only.
 */
public final class Sitting {
  /** Linux's clock ticks a second ({@code getconf CLK_TCK}), the unit of {@code /proc/<pid>/stat}. */
  private static final double TICKS_PER_SECOND = 100;
  private static final Pattern SENT = Pattern.compile("^sent (\\d+) events in [\\d.]+ s: (\\d+) events/s sustained");
  /** With {@code --history}, the events sent before the measured ones, in the same CPU window. */
  private static final Pattern HISTORY = Pattern.compile("^history: .*\\((\\d+) events\\)");
  private static final Pattern LATENCY = Pattern.compile("latency ms: p50 ([\\d.]+) +p95 [\\d.]+ +p99 ([\\d.]+)");
  private static final String MEASURING = "LearnQuest load:";
  private static final String MEASURED = "measured from ";

  /**
   * A node under test, or several measured as one (a cluster): its label, its base URLs (the load
   * generator spreads its requests over them), and the processes that serve them, whose CPU is added up.
   */
  record Node(String label, List<String> urls, List<Long> pids) {
    Node {
      urls = List.copyOf(urls);
      pids = List.copyOf(pids);
    }

    String urlList() {
      return String.join(",", urls);
    }
  }

  /**
   * One generator run against one node under test: {@code events} measured (their rate and latency),
   * the CPU in ms per event of its CPU window (the measured events, and a {@code --history}'s).
   */
  record Run(String label, long events, double rate, double nodeMs, double postgresMs, double redisMs, double p50,
             double p99) {
    String line(int round) {
      return String.format(Locale.ROOT, "round %d  %-10s %,9.0f events/s  node %.4f ms  postgres %.4f ms  redis %.4f ms"
          + "  p50 %.1f ms  p99 %.1f ms", round, label, rate, nodeMs, postgresMs, redisMs, p50, p99);
    }
  }

  /** CPU seconds at one moment: the node's processes, every postgres process, every redis-server process. */
  record Cpu(double node, double postgres, double redis) {
    static Cpu now(List<Long> nodePids) {
      double node = 0;
      for (long pid : nodePids) {
        node += processSeconds(pid);
      }
      return new Cpu(node, commandSeconds("postgres"), commandSeconds("redis-server"));
    }
  }

  private final List<Node> nodes;
  private final int rounds;
  private final List<String> generatorArgs;
  private final Map<String, String> generatorEnv;

  Sitting(List<Node> nodes, int rounds, List<String> generatorArgs, Map<String, String> generatorEnv) {
    this.nodes = List.copyOf(nodes);
    this.rounds = rounds;
    this.generatorArgs = List.copyOf(generatorArgs);
    this.generatorEnv = Map.copyOf(generatorEnv);
  }

  public static void main(String[] argv) {
    Sitting sitting;
    try {
      sitting = parse(argv, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("bench-sitting: " + e.getMessage() + " (scripts/bench-sitting --help)");
      System.exit(2);
      return;
    }
    int status;
    try {
      status = sitting.run() ? 0 : 1;
    } catch (Exception e) {
      System.err.println("bench-sitting failed: " + e);
      status = 1;
    }
    System.exit(status);
  }

  /**
   * {@code --rounds N --node LABEL=URL[,URL...] ... -- generator options}; a bad argument throws,
   * naming it.
   */
  static Sitting parse(String[] argv, Map<String, String> env) {
    int rounds = 8;
    List<Node> nodes = new ArrayList<>();
    int i = 0;
    for (; i < argv.length && !argv[i].equals("--"); i += 2) {
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException(argv[i] + " needs a value");
      }
      String value = argv[i + 1];
      switch (argv[i]) {
        case "--rounds" -> rounds = count(value);
        case "--node" -> {
          int eq = value.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--node takes LABEL=URL[,URL...], not " + value);
          }
          List<String> urls = List.of(value.substring(eq + 1).split(",", -1));
          List<Long> pids = new ArrayList<>();
          for (String url : urls) {
            pids.add(listeningPid(port(url)));
          }
          nodes.add(new Node(value.substring(0, eq), urls, pids));
        }
        default -> throw new IllegalArgumentException("unknown option " + argv[i]);
      }
    }
    if (nodes.isEmpty() || rounds < 1) {
      throw new IllegalArgumentException("at least one --node, and --rounds of 1 or more");
    }
    List<String> generator = i < argv.length ? List.of(argv).subList(i + 1, argv.length) : List.of();
    if (generator.contains("--urls")) {
      throw new IllegalArgumentException("the generator's --urls are the nodes'");
    }
    return new Sitting(nodes, rounds, generator, env);
  }

  List<Node> nodes() {
    return nodes;
  }

  /** Runs every round; false as soon as a generator run fails (its output is printed). */
  boolean run() throws IOException, InterruptedException {
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (Node node : nodes) {
        Run run = runOnce(node);
        if (run == null) {
          return false;
        }
        runs.computeIfAbsent(node.label(), l -> new ArrayList<>()).add(run);
        System.out.println(run.line(round));
      }
    }
    System.out.print(medians(runs));
    return true;
  }

  private Run runOnce(Node node) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        LoadGenerator.class.getName(), "--urls", node.urlList(), "--progress-ms", "0"));
    command.addAll(generatorArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(generatorEnv);
    Process generator = builder.start();
    List<String> output = new ArrayList<>();
    Cpu from = null;
    Cpu to = null;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(generator.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        // read at once: the measured events begin right after this line and end right before that one
        if (line.startsWith(MEASURING)) {
          from = Cpu.now(node.pids());
        } else if (line.startsWith(MEASURED)) {
          to = Cpu.now(node.pids());
        }
        output.add(line);
      }
    }
    int status = generator.waitFor();
    Run run = status == 0 && from != null && to != null ? parseRun(node.label(), output, from, to) : null;
    if (run == null) {
      System.out.println("FAILED: the run against " + node.label() + " (" + node.urlList() + ") ended with status "
          + status + ":");
      output.forEach(line -> System.out.println("  " + line));
    }
    return run;
  }

  /** The run's figures from the generator's output and the CPU read around its measured events; null if missing. */
  static Run parseRun(String label, List<String> output, Cpu from, Cpu to) {
    Long events = null;
    long history = 0;
    double rate = Double.NaN;
    double p50 = Double.NaN;
    double p99 = Double.NaN;
    for (String line : output) {
      Matcher sent = SENT.matcher(line);
      Matcher latency = LATENCY.matcher(line);
      Matcher historyLine = HISTORY.matcher(line);
      if (historyLine.find()) {
        history = Long.parseLong(historyLine.group(1));
      } else if (sent.find()) {
        events = Long.parseLong(sent.group(1));
        rate = Double.parseDouble(sent.group(2));
      } else if (latency.find()) {
        p50 = Double.parseDouble(latency.group(1));
        p99 = Double.parseDouble(latency.group(2));
      }
    }
    if (events == null || events == 0 || Double.isNaN(p99)) {
      return null;
    }
    // the window from "LearnQuest load" to "measured from" holds the history's events too
    double msPerEvent = 1000.0 / (events + history);
    return new Run(label, events, rate, (to.node() - from.node()) * msPerEvent,
        (to.postgres() - from.postgres()) * msPerEvent, (to.redis() - from.redis()) * msPerEvent, p50, p99);
  }

  /** Each node's medians, and their ratios to the first node's. */
  static String medians(Map<String, List<Run>> runs) {
    StringBuilder out = new StringBuilder();
    Run first = null;
    for (Map.Entry<String, List<Run>> e : runs.entrySet()) {
      List<Run> of = e.getValue();
      Run median = new Run(e.getKey(), 0, median(of, Run::rate), median(of, Run::nodeMs), median(of, Run::postgresMs),
          median(of, Run::redisMs), median(of, Run::p50), median(of, Run::p99));
      first = first == null ? median : first;
      out.append(String.format(Locale.ROOT, "median of %d  %-10s %,9.0f events/s (%.2fx)  node %.4f ms (%.2fx)"
              + "  postgres %.4f ms (%.2fx)  redis %.4f ms (%.2fx)  p50 %.1f ms  p99 %.1f ms%n", of.size(), e.getKey(),
          median.rate(), median.rate() / first.rate(), median.nodeMs(), median.nodeMs() / first.nodeMs(),
          median.postgresMs(), median.postgresMs() / first.postgresMs(), median.redisMs(),
          median.redisMs() / first.redisMs(), median.p50(), median.p99()));
    }
    return out.toString();
  }

  static double median(List<Run> runs, ToDoubleFunction<Run> figure) {
    double[] sorted = runs.stream().mapToDouble(figure).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static int count(String rounds) {
    try {
      return Integer.parseInt(rounds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--rounds takes a number, not " + rounds);
    }
  }

  private static int port(String url) {
    Matcher m = Pattern.compile("^https?://[^/:]+:(\\d+)/?$").matcher(url);
    if (!m.find()) {
      throw new IllegalArgumentException("a node's URL names its port: http://HOST:PORT, not " + url);
    }
    return Integer.parseInt(m.group(1));
  }

  /** The CPU seconds a process has used, all its threads ({@code /proc/<pid>/stat}'s utime and stime). */
  static double processSeconds(long pid) {
    long[] ticks = ticks(Path.of("/proc", Long.toString(pid), "stat"));
    if (ticks == null) {
      throw new IllegalStateException("process " + pid + " is gone");
    }
    return (ticks[0] + ticks[1]) / TICKS_PER_SECOND;
  }

  /**
   * The CPU seconds of every process named {@code command}, with their children that ended (a
   * PostgreSQL backend that closed is counted in its parent's).
   */
  static double commandSeconds(String command) {
    long total = 0;
    for (Path p : processes()) {
      try {
        if (Files.readString(p.resolve("comm")).strip().equals(command)) {
          long[] ticks = ticks(p.resolve("stat"));
          total += ticks == null ? 0 : ticks[0] + ticks[1] + ticks[2] + ticks[3];
        }
      } catch (IOException gone) {
        // it ended while the list was read
      }
    }
    return total / TICKS_PER_SECOND;
  }

  /** Every process's directory under {@code /proc}. */
  private static List<Path> processes() {
    try (var entries = Files.list(Path.of("/proc"))) {
      return entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list /proc (Linux only): " + e.getMessage(), e);
    }
  }

  /** utime, stime, cutime, cstime; null when the process is gone. */
  private static long[] ticks(Path stat) {
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException gone) {
      return null;
    }
    // after the command's closing parenthesis (a command may hold spaces): state is field 3, utime 14
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(fields[11]), Long.parseLong(fields[12]), Long.parseLong(fields[13]),
        Long.parseLong(fields[14])};
  }

  /** The process listening on this TCP port, from {@code /proc/net/tcp{,6}} and the processes' sockets. */
  static long listeningPid(int port) {
    String inode = null;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.trim().split("\\s+");
          // local_address is ADDRESS:PORT in hex; state 0A is LISTEN
          if (f.length > 9 && f[1].endsWith(String.format(":%04X", port)) && f[3].equals("0A")) {
            inode = f[9];
          }
        }
      } catch (IOException absent) {
        // no IPv6 table, or not Linux: the search below fails with a message
      }
    }
    if (inode != null) {
      String socket = "socket:[" + inode + "]";
      for (Path p : processes()) {
        try (var fds = Files.list(p.resolve("fd"))) {
          if (fds.anyMatch(fd -> isLink(fd, socket))) {
            return Long.parseLong(p.getFileName().toString());
          }
        } catch (IOException | SecurityException notOurs) {
          // another user's process, or one that ended
        }
      }
    }
    throw new IllegalArgumentException("no process of this user listens on port " + port);
  }

  private static boolean isLink(Path fd, String target) {
    try {
      return Files.readSymbolicLink(fd).toString().equals(target);
    } catch (IOException closed) {
      return false;
    }
  }
}
