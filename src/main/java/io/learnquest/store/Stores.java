package io.learnquest.store;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The storage a node runs on, one adapter per interface, chosen by configuration, and how to let
 * go of the connections and timers they hold.
 */
public record Stores(EventLog events, LearnerStore learners, LeaderboardStore leaderboards,
                     BadgeCatalogStore badgeCatalog, AuthStore auth, RateLimitStore rateLimits,
                     ConnectionLeases connectionLeases, Supplier<Future<Void>> closer) {

  /** Adapters that hold nothing to close (the embedded default). */
  public Stores(EventLog events, LearnerStore learners, LeaderboardStore leaderboards,
                BadgeCatalogStore badgeCatalog, AuthStore auth, RateLimitStore rateLimits,
                ConnectionLeases connectionLeases) {
    this(events, learners, leaderboards, badgeCatalog, auth, rateLimits, connectionLeases, Future::succeededFuture);
  }

  /** Closes the pools and clients; a statement still running fails, and its work is not committed. */
  public Future<Void> close() {
    return closer.get();
  }
}
