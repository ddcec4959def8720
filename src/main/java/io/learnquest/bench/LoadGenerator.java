package io.learnquest.bench;

import io.learnquest.jobs.Progress;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Load generator for running nodes: N learners, M events of a realistic mix and time zones, sent
 * with {@code ?wait=true} so each latency is POST-to-applied. Closed loop (a fixed number in
 * flight) by default, or open loop at a fixed arrival rate with {@code --rate}. Prints sustained
 * events/s and latency percentiles, then checks invariant 4 (profile XP == ledger sum == global
 * leaderboard score) for every learner. Bounded in count and time; loopback targets only. With
 * {@code --warmup N} it first sends N events for other learners, untimed, so the figures are those
 * of warm JVMs (this one and the engine's). With {@code --history K} the first K events of every
 * measured learner go first, untimed, in the same stream and at the same rate, the measured ones
 * right behind them: the run measures learners the engine already knows (a platform's steady
 * state) rather than all of them signing up in its first seconds, and the node meets the measured
 * events busy, not after a pause. {@code --pause-ms P} puts a lull of P ms between the two, to
 * measure the return of traffic after one. {@code --wait false} posts without waiting (latency is
 * then POST-to-accepted), and {@code --refusals-ok true} makes it an overload run: 503 answers with
 * {@code Retry-After} are counted as refusals rather than failures. Afterwards every event answered
 * 202 is sent again to check that it is applied. While it sends it prints a progress line every
 * {@code --progress-ms} (5 s): answered / total, rate, ETA.
 *
 * <p>It is honest about failures: it first asks every node's {@code /health} and stops within
 * seconds when one does not answer; every request has a time limit ({@code --timeout-ms}); a run
 * whose failed requests pass {@code --max-failed} stops sending and reports what failed; and any
 * failure ends the process with a non-zero status: 1 when requests failed, the run stopped or the
 * invariant does not hold, 2 for bad arguments or a node that does not answer. {@code scripts/bench
 * --help} lists the options.
 *
 * <pre>
 * scripts/bench --urls http://127.0.0.1:8080 --learners 1000 --events 20000 --concurrency 64 --warmup 6000
 * scripts/bench --urls http://127.0.0.1:8080 --events 20000 --rate 2000
 * </pre>
 */
public final class LoadGenerator {
  /** The options {@code scripts/bench --help} describes; anything else is refused. */
  static final java.util.Set<String> OPTIONS = java.util.Set.of("urls", "learners", "events", "concurrency",
      "rate", "warmup", "history", "pause-ms", "timeline", "seed", "run", "timeout-ms", "max-failed", "wait",
      "refusals-ok", "progress-ms");
  /** How long the first /health of each node may take before the run is called off. */
  static final long PREFLIGHT_TIMEOUT_MS = 3_000;
  /** The invariant check retries a learner whose events are still being applied, until this. */
  static final long INVARIANT_DEADLINE_MS = 30_000;
  /** How long the check that every event answered 202 is applied waits for the last of them. */
  static final long APPLIED_DEADLINE_MS = 120_000;
  /** Without {@code ?wait=true}: how long the CPU count waits for the nodes to apply what they accepted. */
  static final long CPU_SETTLE_MS = 60_000;
  /** Requests in flight while that check sends events again. */
  static final int APPLIED_CHECK_CONCURRENCY = 32;
  private final Map<String, String> args;
  private final List<String> urls;
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private HttpClient http;
  /** Prepared POST requests, each for the node it goes to (round robin over the urls). */
  private List<Buffer> bodies;
  /** The eventId of each prepared request, to name the slowest ones. */
  private String[] eventIds;
  private List<KeepAliveHttp> nodes;
  /** The API key sent with every request (events:write and learners:read at least). */
  private final String key;
  private long[] latencyNanos;
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  /** When each request was sent (or planned), to show the latencies second by second. */
  private long[] sentNanos;
  /** Open loop: how late after its planned time each request left this JVM (its own stalls). */
  private long[] lagNanos;
  /** The first measured request: those before it are the untimed history. */
  private int measuredFrom;
  /** When the first measured request was sent (or planned). */
  private long measuredBegan;
  /** Open loop: a lull between the history and the measured events ({@code --pause-ms}). */
  private long pauseNanos;
  private int next;
  private int done;
  /** Requests answered with something other than 200 or 202, or not answered at all. */
  private int failed;
  private int maxFailed;
  private boolean aborted;
  /** The phase being sent: failed by an exception thrown inside the send loop, which would otherwise never end it. */
  private Promise<Void> phase;
  /** Runs before each request is posted; a test makes the send loop throw through it. */
  IntConsumer beforePost = index -> { };
  /** Why requests got no answer, counted by reason. */
  private final Map<String, Integer> errors = new TreeMap<>();
  /** The events of the phase being sent, in the order of {@link #bodies}. */
  private List<JsonObject> events;
  /** The status of each request of the phase (0 before its answer). */
  private int[] answered;
  /** {@code --refusals-ok true}: a 503 with Retry-After (overloaded) is counted apart, not as a failure. */
  private boolean refusalsOk;
  /** 503 answers with Retry-After, when they are counted apart. */
  private int refused;
  /** {@code --wait false}: events are posted without {@code ?wait=true}, answered 202 at acceptance. */
  private boolean wait = true;
  private long progressMs;
  /** How long the applied check waits for the last accepted events ({@link #APPLIED_DEADLINE_MS}). */
  long appliedDeadlineMs = APPLIED_DEADLINE_MS;

  /**
   * {@code --key}, else {@code LQ_BOOTSTRAP_KEY}, else the key a node wrote to
   * {@code .learnquest/bootstrap-key} in this working directory; null (no credentials) without any.
   */
  static String key(Map<String, String> args) {
    String key = args.get("key");
    if (key == null) {
      key = System.getenv("LQ_BOOTSTRAP_KEY");
    }
    if (key == null || key.isBlank()) {
      java.nio.file.Path file = java.nio.file.Path.of(".learnquest", "bootstrap-key");
      try {
        key = java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file).trim() : null;
      } catch (java.io.IOException e) {
        key = null;
      }
    }
    return key == null || key.isBlank() ? null : key;
  }

  LoadGenerator(Map<String, String> args) {
    this.args = args;
    this.urls = Arrays.asList(args.getOrDefault("urls", "http://127.0.0.1:8080").split(","));
    this.key = key(args);
  }

  /**
   * A step of the send loop that ends the run when it throws. Without it an exception inside a
   * callback is lost (Vert.x reports it nowhere this run could see), the phase never completes and
   * the run waits its whole bound, 30 minutes, with nothing more sent.
   */
  private <T> Handler<T> guarded(Handler<T> step) {
    return value -> {
      try {
        step.handle(value);
      } catch (RuntimeException e) {
        aborted = true;
        phase.tryFail(new IllegalStateException("the send loop failed: " + e, e));
      }
    };
  }

  public static void main(String[] argv) {
    Map<String, String> args;
    try {
      args = parse(argv);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + " (scripts/bench --help lists the options)");
      System.exit(2);
      return;
    }
    int status;
    try {
      status = new LoadGenerator(args).run() ? 0 : 1;
    } catch (NodeUnreachableException e) {
      System.err.println("bench: " + e.getMessage());
      status = 2;
    } catch (Exception e) {
      System.err.println("bench failed: " + e);
      status = 1;
    }
    // Exit whatever threads are left: a run that failed must not keep the process alive.
    System.exit(status);
  }

  /** {@code --name value} pairs; a bad argument throws, naming it. */
  static Map<String, String> parse(String[] argv) {
    Map<String, String> args = new HashMap<>();
    for (int i = 0; i < argv.length; i += 2) {
      String name = argv[i].replaceFirst("^--", "");
      if (!argv[i].startsWith("--") || !OPTIONS.contains(name)) {
        throw new IllegalArgumentException("bench: unknown option " + argv[i]);
      }
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException("bench: " + argv[i] + " needs a value");
      }
      args.put(name, argv[i + 1]);
    }
    return args;
  }

  /** A node did not answer its first {@code /health}: nothing was sent. */
  static final class NodeUnreachableException extends Exception {
    NodeUnreachableException(String message) {
      super(message);
    }
  }

  /** Runs the load; closes this generator's Vert.x whatever happens. */
  boolean run() throws Exception {
    try {
      return load();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private boolean load() throws Exception {
    int learners = Integer.parseInt(args.getOrDefault("learners", "1000"));
    int total = Integer.parseInt(args.getOrDefault("events", "20000"));
    int concurrency = Integer.parseInt(args.getOrDefault("concurrency", "64"));
    int rate = Integer.parseInt(args.getOrDefault("rate", "0"));
    long seed = Long.parseLong(args.getOrDefault("seed", "7"));
    int perLearner = Math.max(1, total / learners);
    int history = Integer.parseInt(args.getOrDefault("history", "0"));
    int span = perLearner + history;
    Duration step = Duration.ofMinutes(Math.max(1, 7 * 24 * 60 / span));
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(step.multipliedBy(span));
    int warmup = Integer.parseInt(args.getOrDefault("warmup", "0"));
    String runId = args.getOrDefault("run", "bench" + System.currentTimeMillis() % 1_000_000);
    long timeoutMs = Long.parseLong(args.getOrDefault("timeout-ms", "30000"));
    wait = Boolean.parseBoolean(args.getOrDefault("wait", "true"));
    refusalsOk = Boolean.parseBoolean(args.getOrDefault("refusals-ok", "false"));
    progressMs = Long.parseLong(args.getOrDefault("progress-ms", "5000"));
    // The load goes through KeepAliveHttp; this client only checks the nodes first, reads back for
    // the invariant check (three requests at a time) and sends accepted events again to check that
    // they are applied.
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(APPLIED_CHECK_CONCURRENCY));
    preflight();
    nodes = urls.stream().map(url -> new KeepAliveHttp(vertx, url, timeoutMs, key)).toList();
    maxFailed = Integer.parseInt(args.getOrDefault("max-failed",
        Integer.toString(Math.max(10, (total + warmup) / 100))));
    if (warmup > 0) {
      // Other learners, same mix: warms this JVM, the engine and the database statistics up, and
      // is neither timed nor checked. As many learners as it takes to keep each one's events within
      // the measured span: more than that would be dated after now, which the engine refuses.
      int warmLearners = Math.max(1, warmup / perLearner);
      int warmPerLearner = Math.max(1, warmup / warmLearners);
      load(EventMix.generate(runId + "-warmup", warmLearners, warmPerLearner, start, step, seed + 1));
      System.out.printf("warm-up: %d events sent, not measured%n", bodies.size());
      send(0, concurrency);
      if (aborted) {
        return reportAborted("warm-up");
      }
    }
    // The mix is interleaved by learner: its first learners * history events are the first
    // `history` events of each learner.
    load(EventMix.generate(runId, learners, span, start, step, seed));
    measuredFrom = Math.min(learners * history, bodies.size() - 1);
    pauseNanos = Long.parseLong(args.getOrDefault("pause-ms", "0")) * 1_000_000L;
    int measured = bodies.size() - measuredFrom;
    if (history > 0) {
      // their CPU falls in the same window as the measured events': the CPU figures count both
      System.out.printf("history: the first %d events of each learner (%d events) go first, untimed; the CPU "
          + "figures are per event of the history and the measured events together%n", history, measuredFrom);
    }
    System.out.printf("LearnQuest load: %d events for %d learners against %s, %s%s%n", measured, learners, urls,
        rate > 0 ? "open loop at " + rate + " events/s" : "closed loop, " + concurrency + " in flight",
        wait ? "" : ", without ?wait=true (latency is POST-to-accepted)");
    // The wall clock at System.nanoTime() zero: lines the timeline up with the nodes' and stores' logs.
    Instant wallAtNanoZero = Instant.now().minusNanos(System.nanoTime());
    NodeCpu cpuBefore = cpu();
    long ownCpuBefore = ownCpuNanos();
    double seconds = send(rate, concurrency);
    if (aborted) {
      return reportAborted("run");
    }
    String ownCpuLine = ownCpuLine(ownCpuNanos() - ownCpuBefore, bodies.size());
    String cpuLine = cpuSince(cpuBefore);
    System.out.println("measured from " + wallAtNanoZero.plusNanos(measuredBegan));

    long[] sorted = Arrays.copyOfRange(latencyNanos, measuredFrom, bodies.size());
    Arrays.sort(sorted);
    System.out.printf("sent %d events in %.2f s: %.0f events/s sustained%n", measured, seconds, measured / seconds);
    if (refusalsOk) {
      long acceptedMeasured = IntStream.range(measuredFrom, bodies.size()).filter(i -> ok(answered[i])).count();
      System.out.printf("of which %d accepted (%.0f events/s) and %d refused 503 with Retry-After%n",
          acceptedMeasured, acceptedMeasured / seconds, refused);
    }
    System.out.printf("POST-to-%s latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n",
        wait ? "applied" : "answer", pct(sorted, 50),
        pct(sorted, 95), pct(sorted, 99), sorted[sorted.length - 1] / 1e6);
    if (rate > 0) {
      long[] lag = Arrays.copyOfRange(lagNanos, measuredFrom, bodies.size());
      Arrays.sort(lag);
      System.out.printf("of which the generator's own send lag ms: p50 %.1f  p99 %.1f  max %.1f%n", pct(lag, 50),
          pct(lag, 99), lag[lag.length - 1] / 1e6);
    }
    System.out.println("HTTP statuses: " + statuses);
    System.out.println(cpuLine);
    System.out.println(ownCpuLine);
    if (Boolean.parseBoolean(args.getOrDefault("timeline", "false"))) {
      printTimeline(wallAtNanoZero);
    }
    if (failed > 0) {
      System.out.printf("FAILED: %d of %d requests got no 200 or 202%s%n", failed, bodies.size(),
          errors.isEmpty() ? "" : "; no answer: " + errors);
      rateLimitHint();
    }
    boolean consistent = checkInvariant(learners, runId);
    boolean applied = checkApplied();
    return consistent && applied && failed == 0;
  }

  /**
   * Every node's CPU time and applied events, summed, from their {@code /metrics}; null (said once)
   * when a node does not tell them.
   */
  private NodeCpu cpu() {
    List<NodeCpu> samples = new ArrayList<>();
    for (String url : urls) {
      try {
        String text = onContext(() -> http.request(new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(url + "/metrics").setIdleTimeout(10_000))
            .compose(req -> {
              if (key != null) {
                req.putHeader("authorization", "Bearer " + key);
              }
              return req.send();
            })
            .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b.toString() : null)))
            .await(15, TimeUnit.SECONDS);
        if (text == null) {
          throw new IllegalStateException("GET " + url + "/metrics was refused");
        }
        samples.add(NodeCpu.parse(text));
      } catch (Exception e) {
        System.out.printf("CPU per applied event not measured: %s%n", e.getMessage());
        return null;
      }
    }
    return NodeCpu.total(samples);
  }

  /**
   * The CPU line of the run since {@code before}: once the nodes have applied every event the run
   * had accepted (at once with {@code ?wait=true}; without it, asked every 200 ms for up to
   * {@link #CPU_SETTLE_MS}), so the CPU of applying them is all counted.
   */
  private String cpuSince(NodeCpu before) throws InterruptedException {
    if (before == null) {
      return "CPU per applied event: not measured";
    }
    long accepted = IntStream.range(0, answered.length).filter(i -> ok(answered[i])).count();
    long deadline = System.nanoTime() + CPU_SETTLE_MS * 1_000_000;
    NodeCpu after = cpu();
    while (after != null && after.minus(before).applied() < accepted && System.nanoTime() - deadline < 0) {
      Thread.sleep(200);
      after = cpu();
    }
    return after == null ? "CPU per applied event: not measured" : NodeCpu.report(after.minus(before), urls.size());
  }

  /** This process's CPU time so far (every thread, its JIT's and garbage collector's too). */
  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /**
   * The load generator's own CPU over the run (the history and the measured events, as the nodes'
   * CPU per applied event): on a machine it shares with the nodes
   * and stores, what it takes is not theirs, so the rate they reach is bounded by it too.
   */
  static String ownCpuLine(long cpuNanos, int events) {
    return String.format("CPU of this load generator: %.3f ms per event sent (%.2f s)", cpuNanos / 1e6 / events,
        cpuNanos / 1e9);
  }

  /** Says why the run stopped early; the figures of a stopped run would mislead, so none are printed. */
  private boolean reportAborted(String phase) {
    System.out.printf("FAILED: the %s stopped after %d of %d requests failed (more than --max-failed %d); "
        + "%d were sent, %d answered%n", phase, failed, bodies.size(), maxFailed, next, done);
    System.out.println("HTTP statuses: " + statuses + (errors.isEmpty() ? "" : "; no answer: " + errors));
    rateLimitHint();
    return false;
  }

  /**
   * A load test sends more than a platform's one key and one learner may: 429s mean the node under
   * test enforces the production limits (2,000 requests per key per second, 120 events per learner
   * per minute), which a benchmark node raises.
   */
  private void rateLimitHint() {
    if (statuses.containsKey(429)) {
      System.out.println("429 rate_limited: start the node under test with LIMITS_REQUESTS_PER_KEY_PER_SECOND "
          + "and LIMITS_EVENTS_PER_LEARNER_PER_MINUTE above this load (docs/benchmarks.md)");
    }
  }

  /** Asks every node's /health first, so a dead or wrong address stops the run in seconds. */
  private void preflight() throws NodeUnreachableException {
    for (String url : urls) {
      String problem;
      try {
        problem = onContext(() -> http.request(new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(url + "/health").setConnectTimeout(PREFLIGHT_TIMEOUT_MS)
                .setIdleTimeout(PREFLIGHT_TIMEOUT_MS))
            .compose(req -> req.send())
            .compose(resp -> resp.body().map(body -> resp.statusCode() == 200 ? null
                : "answered " + resp.statusCode() + " " + body.toString())))
            .await(2 * PREFLIGHT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        problem = "did not answer (" + e.getMessage() + ")";
      }
      if (problem != null) {
        throw new NodeUnreachableException("the node at " + url + " is not usable: GET /health " + problem
            + "; nothing was sent");
      }
    }
  }

  /** Prepares the requests before the clock starts, so the generator spends less per request. */
  private void load(List<JsonObject> events) {
    this.events = events;
    this.answered = new int[events.size()];
    refused = 0;
    nodes.forEach(KeepAliveHttp::resetRetryAfter);
    List<Buffer> prepared = new ArrayList<>(events.size());
    eventIds = new String[events.size()];
    for (int i = 0; i < events.size(); i++) {
      prepared.add(nodes.get(i % nodes.size()).postRequest(wait ? "/api/v1/events?wait=true" : "/api/v1/events",
          events.get(i).toBuffer()));
      eventIds[i] = events.get(i).getString("eventId");
    }
    bodies = prepared;
    latencyNanos = new long[bodies.size()];
    sentNanos = new long[bodies.size()];
    lagNanos = new long[bodies.size()];
    statuses.clear();
    errors.clear();
    measuredFrom = 0;
    next = 0;
    done = 0;
    failed = 0;
    // The prepared requests (tens of megabytes) would otherwise be copied out of the young
    // generation by a collection in the first seconds of the run: a pause of 100 ms and more in
    // this JVM, which the open loop would count as the engine's latency.
    System.gc();
  }

  /** Sends every loaded body; answers the seconds from the first measured one to the last answer. */
  private double send(int rate, int concurrency) throws Exception {
    long began = System.nanoTime();
    measuredBegan = rate > 0 ? plannedAt(began, measuredFrom, rate) : began;
    Promise<Void> finished = Promise.promise();
    phase = finished;
    Progress progress = new Progress(bodies.size(), began);
    context.runOnContext(guarded(v -> {
      if (progressMs > 0) {
        long timer = vertx.setPeriodic(progressMs, id -> printProgress(progress));
        finished.future().onComplete(ar -> vertx.cancelTimer(timer));
      }
      if (rate > 0) {
        openLoop(rate, began, finished);
      } else {
        for (int i = 0; i < concurrency; i++) {
          closedLoop(finished);
        }
      }
    }));
    finished.future().await(30, TimeUnit.MINUTES);
    // The last answer completes the run from inside its callback, which then goes on (the closed
    // loop looks for a next request): wait for the context to be done with it before this thread
    // loads the next phase into the same fields. Loaded under that callback's feet, the warm-up's
    // last closed loop once sent a measured request tied to the warm-up's promise, and the
    // measured run then never completed (its last answer completed the old promise).
    Promise<Void> quiet = Promise.promise();
    context.runOnContext(v -> quiet.complete());
    quiet.future().await(1, TimeUnit.MINUTES);
    return (System.nanoTime() - measuredBegan) / 1e9;
  }

  /** A progress line while a phase runs: answered of all, the rate so far and the time left at it. */
  private void printProgress(Progress progress) {
    long now = System.nanoTime();
    progress.advance(done - progress.processed());
    System.out.printf("progress: %s answered; %d sent, %d failed%s%n", progress.describe(now), next, failed,
        refusalsOk ? ", " + refused + " refused (503 overloaded)" : "");
  }

  private void closedLoop(Promise<Void> finished) {
    if (next >= bodies.size() || aborted) {
      return;
    }
    int index = next++;
    long sent = System.nanoTime();
    if (index == measuredFrom) {
      measuredBegan = sent;
    }
    post(index).onComplete(guarded(ar -> {
      record(index, sent, ar.result(), finished);
      closedLoop(finished);
    }));
  }

  /** Sends at a fixed arrival rate whatever the answers; latency counts from the planned time. */
  private void openLoop(int rate, long began, Promise<Void> finished) {
    vertx.setPeriodic(1, guarded(id -> {
      long elapsed = System.nanoTime() - began;
      while (next < bodies.size() && !aborted && due(next, elapsed, rate, measuredFrom, pauseNanos)) {
        int index = next++;
        long planned = plannedAt(began, index, rate);
        lagNanos[index] = System.nanoTime() - planned;
        post(index).onComplete(guarded(ar -> record(index, planned, ar.result(), finished)));
      }
      if (next >= bodies.size() || aborted) {
        vertx.cancelTimer(id);
      }
    }));
  }

  /**
   * Open loop: when request {@code index} is planned, in ns after the start: request i at i / rate,
   * and the measured ones (from {@code measuredFrom}) a lull of {@code pauseNanos} later.
   */
  static long plannedAfterStart(int index, int rate, int measuredFrom, long pauseNanos) {
    return index * 1_000_000_000L / rate + (index >= measuredFrom ? pauseNanos : 0);
  }

  /** Open loop: whether request {@code index} is due {@code elapsed} ns after the start (its planned time has come). */
  static boolean due(int index, long elapsed, int rate, int measuredFrom, long pauseNanos) {
    return plannedAfterStart(index, rate, measuredFrom, pauseNanos) <= elapsed;
  }

  /** Open loop: when request {@code index} is due. */
  private long plannedAt(long began, int index, int rate) {
    return began + plannedAfterStart(index, rate, measuredFrom, pauseNanos);
  }

  private void record(int index, long from, int status, Promise<Void> finished) {
    latencyNanos[index] = System.nanoTime() - from;
    sentNanos[index] = from;
    statuses.merge(status, 1, Integer::sum);
    answered[index] = status;
    if (refusalsOk && status == 503 && nodes.get(index % nodes.size()).takeRetryAfter()) {
      refused++;
    } else if (!ok(status)) {
      failed++;
      if (maxFailed >= 0 && failed > maxFailed) {
        aborted = true;
      }
    }
    done++;
    if (done == next && (aborted || done == bodies.size())) {
      finished.tryComplete();
    }
  }

  /** The status of the answer, or -1 (the reason counted in {@link #errors}) when there was none. */
  private Future<Integer> post(int index) {
    beforePost.accept(index);
    return nodes.get(index % nodes.size()).send(bodies.get(index)).recover(e -> {
      errors.merge(String.valueOf(e.getMessage()), 1, Integer::sum);
      return Future.succeededFuture(-1);
    });
  }

  private Future<JsonObject> get(String url, String path) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url + path)
            .setIdleTimeout(10_000))
        .compose(req -> {
          if (key != null) {
            req.putHeader("authorization", "Bearer " + key);
          }
          return req.send();
        })
        .compose(resp -> resp.body().map(b -> resp.statusCode() == 200 ? b.toJsonObject() : null));
  }

  /**
   * Invariant 4 for every learner of the run, retried for events still being applied until
   * {@link #INVARIANT_DEADLINE_MS} has passed; a node that stops answering ends the check at once.
   */
  private boolean checkInvariant(int learners, String runId) throws Exception {
    int bad = 0;
    int checked = 0;
    // A learner none of whose events was accepted (all refused, in an overload run) has no profile.
    java.util.Set<String> withAccepted = new java.util.HashSet<>();
    for (int i = 0; i < answered.length; i++) {
      if (ok(answered[i])) {
        withAccepted.add(events.get(i).getString("learnerId"));
      }
    }
    long deadline = System.nanoTime() + INVARIANT_DEADLINE_MS * 1_000_000;
    for (int l = 0; l < learners; l++) {
      String learner = runId + "-learner-" + l;
      if (!withAccepted.contains(learner)) {
        continue;
      }
      checked++;
      // Learner by learner round robin, as the events went: no one node serves every check.
      String url = urls.get(l % urls.size());
      String problem = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        try {
          problem = onContext(() -> check(url, learner)).await(15, TimeUnit.SECONDS);
        } catch (Exception e) {
          System.out.printf("invariant 4 not checked: the node stopped answering (%s) at learner %d of %d%n",
              e.getMessage(), l + 1, learners);
          return false;
        }
        if (problem == null || System.nanoTime() - deadline > 0) {
          break;
        }
        Thread.sleep(250);
      }
      if (problem != null) {
        bad++;
        if (bad <= 5) {
          System.out.println("invariant 4 broken: " + problem);
        }
      }
    }
    System.out.printf("invariant 4 (XP == ledger sum == global score) %s for %d learners%s%n",
        bad == 0 ? "holds" : "FAILS for " + bad + " of", checked,
        checked == learners ? "" : " (" + (learners - checked) + " had no event accepted)");
    return bad == 0;
  }

  private Future<String> check(String url, String learner) {
    return Future.all(get(url, "/api/v1/learners/" + learner), get(url, "/api/v1/learners/" + learner + "/xp?limit=1000"),
        get(url, "/api/v1/leaderboards/global/around/" + learner + "?window=0")).map(all -> {
          JsonObject profile = all.resultAt(0);
          JsonObject ledger = all.resultAt(1);
          JsonObject around = all.resultAt(2);
          if (profile == null || ledger == null) {
            return learner + " unknown";
          }
          long xp = profile.getLong("xp");
          JsonArray entries = ledger.getJsonArray("entries");
          long sum = entries.stream().mapToLong(e -> ((JsonObject) e).getLong("xp")).sum();
          long board = around == null ? 0 : around.getJsonArray("entries").getJsonObject(0).getLong("xp");
          return xp == sum && xp == board ? null : learner + ": xp " + xp + ", ledger " + sum + ", board " + board;
        });
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  /** {@code --timeline true}: requests and their p50 and p99 by the second they were sent in. */
  private void printTimeline(Instant wallAtNanoZero) {
    Map<Long, List<Integer>> bySecond = new TreeMap<>();
    for (int i = measuredFrom; i < sentNanos.length; i++) {
      bySecond.computeIfAbsent((sentNanos[i] - measuredBegan) / 1_000_000_000L, s -> new ArrayList<>()).add(i);
    }
    bySecond.forEach((second, indexes) -> {
      long[] sorted = indexes.stream().mapToLong(i -> latencyNanos[i]).sorted().toArray();
      long maxLag = indexes.stream().mapToLong(i -> lagNanos[i]).max().orElse(0);
      System.out.printf("  second %3d: %5d sent, p50 %6.1f ms, p99 %6.1f ms, send lag max %6.1f ms%n", second,
          sorted.length, pct(sorted, 50), pct(sorted, 99), maxLag / 1e6);
    });
    // The slowest requests by name and planned time, to look them up in the nodes' and stores' logs.
    IntStream.range(measuredFrom, latencyNanos.length).boxed()
        .sorted((a, b) -> Long.compare(latencyNanos[b], latencyNanos[a])).limit(5)
        .forEach(i -> System.out.printf("  slow: %s planned %s, %.1f ms%n", eventIds[i],
            wallAtNanoZero.plusNanos(sentNanos[i]), latencyNanos[i] / 1e6));
  }

  private static boolean ok(int status) {
    return status == 200 || status == 202;
  }

  /**
   * Every event of the run answered 202 (accepted, its outcome not waited for or not within the
   * wait) is applied: each is sent again with {@code ?wait=true}, and an applied one answers 200
   * {@code duplicate} with its first delivery's outcome (a bare {@code duplicate} while it is still
   * waiting to be applied, asked again until {@link #APPLIED_DEADLINE_MS}). Events answered 200
   * with {@code ?wait=true} carried their outcome already; refused ones were not recorded and are
   * not sent again (that would accept them now).
   */
  private boolean checkApplied() throws Exception {
    List<Integer> toCheck = new ArrayList<>();
    for (int i = 0; i < answered.length; i++) {
      if (answered[i] == 202 || (!wait && answered[i] == 200)) {
        toCheck.add(i);
      }
    }
    if (toCheck.isEmpty()) {
      return true;
    }
    long deadline = System.nanoTime() + appliedDeadlineMs * 1_000_000;
    long began = System.nanoTime();
    List<Integer> notYet = toCheck;
    while (true) {
      List<Integer> asking = notYet;
      try {
        // Each request has its own time limit; a pass over many events takes as long as it takes.
        notYet = onContext(() -> resendAll(asking)).await(30, TimeUnit.MINUTES);
      } catch (Exception e) {
        System.out.printf("applied check not done: the node stopped answering (%s)%n", e.getMessage());
        return false;
      }
      if (notYet.isEmpty() || System.nanoTime() - deadline > 0) {
        break;
      }
      Thread.sleep(500);
    }
    if (notYet.isEmpty()) {
      System.out.printf("every one of the %d events answered 202 is applied (checked in %.1f s)%n", toCheck.size(),
          (System.nanoTime() - began) / 1e9);
      return true;
    }
    System.out.printf("FAILED: %d of the %d events answered 202 are not applied after %d s, e.g. %s%n",
        notYet.size(), toCheck.size(), appliedDeadlineMs / 1000, events.get(notYet.get(0)).getString("eventId"));
    return false;
  }

  /** Sends the events again, some at a time; answers those not applied yet (or not answered). */
  private Future<List<Integer>> resendAll(List<Integer> indexes) {
    List<Integer> notYet = new ArrayList<>();
    Promise<List<Integer>> all = Promise.promise();
    int[] nextIndex = {0};
    int[] running = {0};
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      while (running[0] < APPLIED_CHECK_CONCURRENCY && nextIndex[0] < indexes.size()) {
        int index = indexes.get(nextIndex[0]++);
        running[0]++;
        resend(index).onComplete(ar -> {
          running[0]--;
          if (ar.failed() || !ar.result()) {
            notYet.add(index);
          }
          pump[0].run();
        });
      }
      if (running[0] == 0 && nextIndex[0] == indexes.size()) {
        all.tryComplete(notYet);
      }
    };
    pump[0].run();
    return all.future();
  }

  /** True when the event, sent again, answers its applied outcome. */
  private Future<Boolean> resend(int index) {
    return http.request(new RequestOptions().setMethod(HttpMethod.POST)
            .setAbsoluteURI(urls.get(index % urls.size()) + "/api/v1/events?wait=true").setIdleTimeout(30_000))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          if (key != null) {
            req.putHeader("authorization", "Bearer " + key);
          }
          return req.send(events.get(index).toBuffer());
        })
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            return false;
          }
          JsonObject answer = b.toJsonObject();
          return "duplicate".equals(answer.getString("status")) && answer.containsKey("totalXp");
        }));
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, i)] / 1e6;
  }

}
