package io.learnquest.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The engine's own meters, every name in this one class, on the node's Prometheus registry (the
 * one Vert.x reports its pool, event bus and JVM meters to as well). One instance per node, shared
 * by every verticle instance: {@link #of(Vertx)}. No meter has a label whose values come from
 * requests as they are (no learnerId, eventId, path or method of the client's own), so the number
 * of series stays bounded.
 */
public final class EngineMetrics {
  /** {@code learnquest_events_total{outcome}}: events answered, by what was answered. */
  static final String EVENTS = "learnquest.events";
  /** {@code learnquest_event_apply_seconds}: from acceptance to applied, a histogram. */
  static final String APPLY = "learnquest.event.apply";
  /** {@code learnquest_pending_events}: accepted and not yet applied, as the event log counts them. */
  static final String PENDING = "learnquest.pending.events";
  /** {@code learnquest_quarantined_events}: events moved aside because they could not be applied. */
  static final String QUARANTINED = "learnquest.quarantined.events";
  /**
   * {@code learnquest_http_requests_in_flight}: requests this node has let in and not answered yet;
   * during a stop, what the node still waits for before it exits.
   */
  static final String HTTP_IN_FLIGHT = "learnquest.http.requests.in.flight";
  /** {@code learnquest_push_connections}: live WebSocket and SSE connections of this node. */
  static final String PUSH = "learnquest.push.connections";
  /**
   * {@code learnquest_job_processed_items{kind}} and {@code learnquest_job_expected_items{kind}}:
   * the latest job of a kind on this node (a gauge may not end in {@code _total}, kept for counters).
   */
  static final String JOB_PROCESSED = "learnquest.job.processed.items";
  static final String JOB_TOTAL = "learnquest.job.expected.items";
  /** {@code learnquest_job_running{kind}}: 1 while a job of that kind runs on this node. */
  static final String JOB_RUNNING = "learnquest.job.running";
  /** {@code learnquest_kafka_consumer_lag_records}: records of the events topic this node's consumers have yet to read. */
  static final String KAFKA_LAG = "learnquest.kafka.consumer.lag.records";
  /** {@code jvm_jit_cpu_seconds_total}: CPU time of the JIT compiler threads (Linux only). */
  static final String JIT_CPU = "jvm.jit.cpu";

  /**
   * The latency histograms' buckets: a dozen fixed ones rather than Micrometer's default of about
   * seventy per series, so a scrape stays small (every route and status code is a series).
   */
  static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60)};
  /**
   * {@code learnquest_http_server_response_time_seconds{route,method,code}}: from a request's
   * arrival to its answer's end, a histogram, by route template (never the raw path, which holds
   * learner ids), method and status code.
   */
  static final String HTTP_SERVER_LATENCY = "learnquest.http.server.response.time";

  public static final String ACCEPTED = "accepted";
  public static final String DUPLICATE = "duplicate";
  public static final String REFUSED = "refused";
  public static final String RATE_LIMITED = "rate_limited";
  static final Set<String> OUTCOMES = Set.of(ACCEPTED, DUPLICATE, REFUSED, RATE_LIMITED);

  /** The kinds of long work with a progress gauge from the start (0 until the first job of the kind). */
  public static final Set<String> JOB_KINDS = Set.of("leaderboard_rebuild");

  private static final String LOCAL_MAP = "learnquest.node";
  private static final String KEY = "metrics";

  private final PrometheusMeterRegistry registry;
  private final Map<String, Counter> events = new ConcurrentHashMap<>();
  private Timer apply;
  private final AtomicLong pending = new AtomicLong();
  private final AtomicLong quarantined = new AtomicLong();
  private final AtomicLong push = new AtomicLong();
  private volatile IntSupplier requestsInFlight = () -> 0;
  private final Map<String, JobGauges> jobs = new ConcurrentHashMap<>();
  private final Map<Object, ToDoubleFunction<Object>> lagSources = new ConcurrentHashMap<>();
  private final Map<HttpSeries, Timer> httpTimers = new ConcurrentHashMap<>();

  private record JobGauges(AtomicLong processed, AtomicLong total, AtomicLong running) {
  }

  /** Held here: a function counter keeps only a weak reference to what it reads. */
  private final CompilerThreadsCpu jitCpu = CompilerThreadsCpu.ofThisProcess();

  EngineMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Registers the engine's meters: after Vert.x has set up the registry (its label filters must
   * come before any meter).
   */
  private void registerMeters() {
    for (String outcome : OUTCOMES) {
      events.put(outcome, Counter.builder(EVENTS).description("Events answered, by outcome")
          .tag("outcome", outcome).register(registry));
    }
    apply = Timer.builder(APPLY).description("Time from an event's acceptance to its application")
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry);
    Gauge.builder(PENDING, pending, AtomicLong::get)
        .description("Events accepted and not yet applied (the event log's count, sampled)").register(registry);
    Gauge.builder(QUARANTINED, quarantined, AtomicLong::get)
        .description("Events in the quarantine: accepted, never applied, waiting for an admin (sampled)")
        .register(registry);
    Gauge.builder(PUSH, push, AtomicLong::get).description("Live WebSocket and SSE connections").register(registry);
    Gauge.builder(HTTP_IN_FLIGHT, this, m -> m.requestsInFlight.getAsInt())
        .description("HTTP requests let in and not answered yet (push streams not counted)").register(registry);
    JOB_KINDS.forEach(this::job);
    Gauge.builder(KAFKA_LAG, this, EngineMetrics::kafkaLag)
        .description("Records of the events topic not yet read by this node's consumers").register(registry);
    // jvm_compilation_time_ms_total: the JIT's compile time, elapsed. A fresh node spends a large
    // part of its CPU compiling for its first minutes under load: jvm_jit_cpu_seconds_total is what
    // that costs, which the bench reports beside the CPU per event.
    new JvmCompilationMetrics().bindTo(registry);
    if (jitCpu != null) {
      FunctionCounter.builder(JIT_CPU, jitCpu, CompilerThreadsCpu::seconds).baseUnit("seconds")
          .description("CPU time used by the JVM's JIT compiler threads (Linux)").register(registry);
    }
  }

  /** A registry of its own; Vert.x reports to it when built with {@link #vertxOptions} and {@link #vertxFactory}. */
  public static EngineMetrics create() {
    return new EngineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * What Vert.x itself reports: pools; the event bus by address (a fixed set, plus one per web
   * instance); the JVM. Not its HTTP server meters: they looked their meters up in the registry
   * several times per request (about 2 % of the node's CPU per event), and the engine times its
   * answers itself ({@link #httpAnswered}). The registry name is unique, so two nodes in one JVM
   * (tests) never share a registry.
   */
  public MetricsOptions vertxOptions() {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName("learnquest-" + UUID.randomUUID())
        .setJvmMetricsEnabled(true)
        .setLabels(EnumSet.of(Label.POOL_TYPE, Label.POOL_NAME, Label.EB_ADDRESS, Label.EB_SIDE))
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER)
        // without a remote label (which would be every client's address) its gauges would collide
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  public VertxMetricsFactory vertxFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** Kept in the node's local shared data: every verticle instance of a node finds the same one. */
  private record Holder(EngineMetrics metrics) implements Shareable {
  }

  /** Makes these the meters of {@code vertx}; done once, when the node's Vert.x is built. */
  public void attachTo(Vertx vertx) {
    registerMeters();
    vertx.sharedData().<String, Holder>getLocalMap(LOCAL_MAP).put(KEY, new Holder(this));
  }

  /** The node's meters (a registry of their own when this Vert.x was not built by {@code Nodes}). */
  public static EngineMetrics of(Vertx vertx) {
    LocalMap<String, Holder> map = vertx.sharedData().getLocalMap(LOCAL_MAP);
    Holder holder = map.get(KEY);
    if (holder == null) {
      synchronized (EngineMetrics.class) {
        holder = map.get(KEY);
        if (holder == null) {
          create().attachTo(vertx);
          holder = map.get(KEY);
        }
      }
    }
    return holder.metrics();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts {@code n} events answered with {@code outcome} (one of {@link #OUTCOMES}). */
  public void events(String outcome, int n) {
    if (n > 0) {
      Counter counter = events.get(outcome);
      if (counter == null) {
        throw new IllegalArgumentException("no such event outcome: " + outcome);
      }
      counter.increment(n);
    }
  }

  /** An event was applied {@code sinceAccepted} after its acceptance (negative, from clock skew, counts as 0). */
  public void applied(Duration sinceAccepted) {
    apply.record(Math.max(0, sinceAccepted.toNanos()), TimeUnit.NANOSECONDS);
  }

  public void pendingEvents(long count) {
    pending.set(count);
  }

  public long pendingEvents() {
    return pending.get();
  }

  public void quarantinedEvents(long count) {
    quarantined.set(count);
  }

  public void pushConnected() {
    push.incrementAndGet();
  }

  public void pushDisconnected() {
    push.decrementAndGet();
  }

  /** Where the latest job of {@code kind} on this node stands. */
  public void jobProgress(String kind, long processed, long total, boolean running) {
    JobGauges gauges = job(kind);
    gauges.processed().set(processed);
    gauges.total().set(total);
    gauges.running().set(running ? 1 : 0);
  }

  private JobGauges job(String kind) {
    return jobs.computeIfAbsent(kind, k -> {
      JobGauges g = new JobGauges(new AtomicLong(), new AtomicLong(), new AtomicLong());
      Gauge.builder(JOB_PROCESSED, g.processed(), AtomicLong::get).description("Items the latest job has processed")
          .tag("kind", k).register(registry);
      Gauge.builder(JOB_TOTAL, g.total(), AtomicLong::get).description("Items the latest job has in all")
          .tag("kind", k).register(registry);
      Gauge.builder(JOB_RUNNING, g.running(), AtomicLong::get).description("1 while a job runs here")
          .tag("kind", k).register(registry);
      return g;
    });
  }

  /**
   * Adds a source of Kafka consumer lag (a consumer of this node), read at each scrape; the gauge
   * is their sum. {@code lag} must be safe to call from the scraping thread.
   */
  @SuppressWarnings("unchecked")
  public <T> void kafkaLagSource(T source, ToDoubleFunction<T> lag) {
    lagSources.put(source, (ToDoubleFunction<Object>) lag);
  }

  public void removeKafkaLagSource(Object source) {
    lagSources.remove(source);
  }

  private double kafkaLag() {
    double sum = 0;
    for (Map.Entry<Object, ToDoubleFunction<Object>> e : lagSources.entrySet()) {
      double lag = e.getValue().applyAsDouble(e.getKey());
      if (!Double.isNaN(lag)) {
        sum += lag;
      }
    }
    return sum;
  }

  /**
   * A request answered: {@code nanos} from its arrival to its answer's end, on its route template
   * ({@code ""} when it was answered before any route took it), with its method and status code.
   * Each series' timer is found once, then kept: a lookup in the registry per request cost more
   * than the timing.
   */
  public void httpAnswered(String route, String method, int code, long nanos) {
    HttpSeries series = new HttpSeries(route, method, code);
    Timer timer = httpTimers.get(series);
    if (timer == null) {
      timer = httpTimers.computeIfAbsent(series, s -> Timer.builder(HTTP_SERVER_LATENCY)
          .description("Time from a request's arrival to the end of its answer")
          .tag("route", s.route).tag("method", s.method).tag("code", Integer.toString(s.code))
          .serviceLevelObjectives(LATENCY_BUCKETS)
          .register(registry));
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A series of {@link #HTTP_SERVER_LATENCY}: its hash computed once (the texts keep theirs). */
  private static final class HttpSeries {
    private final String route;
    private final String method;
    private final int code;
    private final int hash;

    HttpSeries(String route, String method, int code) {
      this.route = route;
      this.method = method;
      this.code = code;
      this.hash = (route.hashCode() * 31 + method.hashCode()) * 31 + code;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof HttpSeries s && s.code == code && s.route.equals(route) && s.method.equals(method);
    }
  }

  /** Where {@code learnquest_http_requests_in_flight} is read from: the node's request gate. */
  public void requestsInFlightFrom(IntSupplier inFlight) {
    requestsInFlight = inFlight;
  }

  /** The Prometheus text exposition of every meter of the node. */
  public String scrape() {
    return registry.scrape();
  }
}
