package io.learnquest.web;

import io.learnquest.auth.Caller;
import io.learnquest.config.EngineConfig;
import io.learnquest.domain.limits.Limits;
import io.learnquest.store.RateLimitStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate limits of docs/api.md, "Limits", over the node's {@link RateLimitStore} (shared by every
 * node on the same Redis, so a budget holds cluster-wide): requests per credential per second
 * (an API key, an operator key, or one learner's tokens), and events per learner per minute.
 * Budgets refill continuously (GCRA), on the engine's clock.
 *
 * <p>When the store fails or does not answer within {@code limits.storeWaitMs}, requests are let
 * through (logged at most every ten seconds) and the store is not asked again for a second
 * ({@link StoreWait}): Redis holds no truth, and an outage of it must not stop learning.
 */
final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);
  /** The budget space of operator keys, which belong to no tenant ({@code _} is never in a tenant id). */
  static final String OPERATORS = "_operators";

  /** A refusal: nothing was taken, and one more unit fits after {@code retryAfterSeconds}. */
  static final class Limited extends RuntimeException {
    final long retryAfterSeconds;

    Limited(String message, long retryAfterMicros) {
      super(message, null, false, false);
      this.retryAfterSeconds = seconds(retryAfterMicros);
    }
  }

  private final RateLimitStore store;
  private final EngineConfig.LimitSettings settings;
  private final Clock clock;
  private final StoreWait wait;

  RateLimiter(Vertx vertx, RateLimitStore store, EngineConfig.LimitSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
    this.wait = new StoreWait(vertx, settings.storeWaitMs());
  }

  /** Seconds for a Retry-After header: the wait rounded up, at least 1. */
  static long seconds(long micros) {
    return Math.max(1, (micros + 999_999) / 1_000_000);
  }

  /** Takes one request from the caller's budget; fails with {@link Limited} when it is spent. */
  Future<Void> request(Caller caller) {
    return take(List.of(requestTake(caller))).compose(grants -> grants.get(0).granted() == 1
        ? Future.succeededFuture() : Future.failedFuture(requestLimited(caller, grants.get(0))));
  }

  private RateLimitStore.Take requestTake(Caller caller) {
    String tenant = caller.tenantId() == null ? OPERATORS : caller.tenantId();
    String name = switch (caller.kind()) {
      case LEARNER -> "u:" + caller.learnerId();
      case KEY, OPERATOR -> "k:" + caller.keyId();
    };
    long limit = settings.of(caller.tenantId()).requestsPerKeyPerSecond();
    return new RateLimitStore.Take(tenant, name, 1, limit, Limits.SECOND_MICROS, true);
  }

  private Limited requestLimited(Caller caller, RateLimitStore.Grant grant) {
    long limit = settings.of(caller.tenantId()).requestsPerKeyPerSecond();
    return new Limited(caller.kind() == Caller.Kind.LEARNER
        ? "more than " + limit + " requests per second with this learner's tokens; retry after the Retry-After seconds"
        : "more than " + limit + " requests per second with this key; retry after the Retry-After seconds",
        grant.retryAfterMicros());
  }

  /**
   * Takes the request from the caller's budget and its events from the budgets of their learners,
   * in one step: {@code perLearner} is how many each learner is sent, in the request's order (empty
   * when none of its events was valid). Answers how many of each learner's events fit (the first
   * ones), and the longest wait of a learner that did not get all of them (0 when all fit); a
   * spent request budget takes nothing from the learners.
   */
  Future<Admitted> events(Caller caller, String tenantId, Map<String, Integer> perLearner) {
    long limit = settings.of(tenantId).eventsPerLearnerPerMinute();
    List<RateLimitStore.Take> takes = new ArrayList<>(perLearner.size() + 1);
    takes.add(requestTake(caller));
    perLearner.forEach((learnerId, n) -> takes.add(
        new RateLimitStore.Take(tenantId, "l:" + learnerId, n, limit, Limits.MINUTE_MICROS, false)));
    return take(takes).map(grants -> {
      if (grants.get(0).granted() < 1) {
        Map<String, Long> none = new LinkedHashMap<>();
        perLearner.keySet().forEach(l -> none.put(l, 0L));
        return new Admitted(none, 0, limit, requestLimited(caller, grants.get(0)));
      }
      Map<String, Long> granted = new LinkedHashMap<>();
      long retry = 0;
      int i = 1;
      for (Map.Entry<String, Integer> e : perLearner.entrySet()) {
        RateLimitStore.Grant grant = grants.get(i++);
        granted.put(e.getKey(), grant.granted());
        if (grant.granted() < e.getValue()) {
          retry = Math.max(retry, grant.retryAfterMicros());
        }
      }
      return new Admitted(granted, retry, limit, null);
    });
  }

  /**
   * How many events of each learner fit, the wait for those that did not, and the limit applied;
   * or, when the request's own budget was spent ({@code requestLimited} not null), none.
   */
  record Admitted(Map<String, Long> granted, long retryAfterMicros, long limit, Limited requestLimited) {
  }

  /** The store's grants, or everything granted when the store is away (see the class comment). */
  private Future<List<RateLimitStore.Grant>> take(List<RateLimitStore.Take> takes) {
    if (wait.away()) {
      return Future.succeededFuture(all(takes));
    }
    long nowMs = System.currentTimeMillis();
    java.time.Instant instant = clock.instant();
    long now = instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1_000;
    return wait.ask(() -> store.take(takes, now)).recover(e -> {
      if (wait.failed(nowMs)) {
        LOG.warn("Rate limits not enforced for {} ms: the rate-limit store failed ({})",
            StoreWait.SKIP_AFTER_FAILURE_MS, e.toString());
      }
      return Future.succeededFuture(all(takes));
    });
  }

  private static List<RateLimitStore.Grant> all(List<RateLimitStore.Take> takes) {
    List<RateLimitStore.Grant> grants = new ArrayList<>(takes.size());
    takes.forEach(t -> grants.add(new RateLimitStore.Grant(t.units(), 0)));
    return grants;
  }
}
