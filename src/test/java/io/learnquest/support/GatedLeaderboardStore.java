package io.learnquest.support;

import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.store.LeaderboardStore;
import io.learnquest.store.Stores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A leaderboard store in front of the real one that can hold a rebuild midway: while the gate is
 * closed, every page after a rebuild's first waits for it to open. It counts rebuilds begun.
 */
public final class GatedLeaderboardStore implements LeaderboardStore {
  private final LeaderboardStore real;
  public final AtomicInteger rebuildsBegun = new AtomicInteger();
  public final AtomicInteger pagesHeld = new AtomicInteger();
  private final AtomicInteger pagesOfThisRebuild = new AtomicInteger();
  private volatile Promise<Void> gate;

  public GatedLeaderboardStore(LeaderboardStore real) {
    this.real = real;
  }

  public Stores around(Stores stores) {
    return new Stores(stores.events(), stores.learners(), this, stores.badgeCatalog(), stores.auth(), stores.rateLimits(),
        stores.connectionLeases(), stores.closer());
  }

  public synchronized void close() {
    gate = Promise.promise();
  }

  public synchronized void open() {
    Promise<Void> held = gate;
    gate = null;
    if (held != null) {
      held.tryComplete();
    }
  }

  @Override
  public Future<String> beginRebuild(String tenant, String generation, long leaseMs) {
    return real.beginRebuild(tenant, generation, leaseMs).onSuccess(holder -> {
      if (holder.equals(generation)) {
        rebuildsBegun.incrementAndGet();
        pagesOfThisRebuild.set(0);
      }
    });
  }

  @Override
  public Future<Void> rebuildPage(String tenant, String generation, Map<String, List<Standing>> boards) {
    Promise<Void> held = gate;
    if (held == null || pagesOfThisRebuild.incrementAndGet() == 1) {
      return real.rebuildPage(tenant, generation, boards);
    }
    pagesHeld.incrementAndGet();
    // Goes on on the rebuild's own context, not on the test thread that opens the gate.
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    Promise<Void> written = Promise.promise();
    held.future().onComplete(v -> context.runOnContext(x -> real.rebuildPage(tenant, generation, boards).onComplete(written)));
    return written.future();
  }

  @Override
  public Future<Void> finishRebuild(String tenant, String generation) {
    return real.finishRebuild(tenant, generation);
  }

  @Override
  public Future<Void> abandonRebuild(String tenant, String generation) {
    return real.abandonRebuild(tenant, generation);
  }

  @Override
  public Future<String> rebuildHolder(String tenant) {
    return real.rebuildHolder(tenant);
  }

  @Override
  public Future<Boolean> replaceScores(String tenant, String learnerId,
                                       Map<String, io.learnquest.domain.leaderboard.ScoreChange> changes) {
    return real.replaceScores(tenant, learnerId, changes);
  }

  @Override
  public Future<Void> setScores(String tenant, String learnerId, Map<String, Long> scoresByBoard) {
    return real.setScores(tenant, learnerId, scoresByBoard);
  }

  @Override
  public Future<Slice> range(String tenant, String boardKey, long offset, int count) {
    return real.range(tenant, boardKey, offset, count);
  }

  @Override
  public Future<Long> position(String tenant, String boardKey, String learnerId) {
    return real.position(tenant, boardKey, learnerId);
  }

  @Override
  public Future<Void> rebuild(String tenant, Map<String, List<Standing>> boards) {
    return real.rebuild(tenant, boards);
  }

  @Override
  public Future<Void> clear() {
    return real.clear();
  }

  @Override
  public Future<Boolean> isEmpty(String tenant) {
    return real.isEmpty(tenant);
  }

  @Override
  public Future<Void> eraseTenant(String tenant) {
    return real.eraseTenant(tenant);
  }

  @Override
  public Future<Void> ping() {
    return real.ping();
  }
}
