package io.learnquest.store.memory;

import io.learnquest.domain.limits.Gcra;
import io.learnquest.store.RateLimitStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rate budgets of one node alone (the embedded default, or a standalone durable node): the heap
 * is the whole cluster. A budget that has refilled completely holds nothing worth keeping, so such
 * budgets are dropped once the map reaches {@link #SWEEP_AT} entries (and the map is bounded by
 * {@link #MAX_BUDGETS} whatever happens).
 */
public final class MemoryRateLimitStore implements RateLimitStore {
  static final int SWEEP_AT = 10_000;
  static final int MAX_BUDGETS = 1_000_000;

  /** A budget's theoretical arrival time and how long its period is (to know when it is full again). */
  private record Cell(long tat, long periodMicros) {
  }

  private final Map<String, Cell> cells = new LinkedHashMap<>();
  private int sweepAt = SWEEP_AT;

  @Override
  public synchronized Future<List<Grant>> take(List<Take> takes, long nowMicros) {
    List<Grant> grants = new ArrayList<>(takes.size());
    boolean stopped = false;
    for (Take take : takes) {
      if (stopped) {
        grants.add(Grant.NONE);
        continue;
      }
      String key = RateLimitStore.key(take.tenantId(), take.name());
      Cell cell = cells.get(key);
      Gcra.Step step = Gcra.take(cell == null ? 0 : cell.tat(), nowMicros, take.units(),
          Gcra.interval(take.limit(), take.periodMicros()), take.periodMicros());
      if (step.granted() > 0) {
        cells.put(key, new Cell(step.tat(), take.periodMicros()));
      }
      grants.add(new Grant(step.granted(), step.retryAfterMicros()));
      stopped = take.required() && step.granted() < take.units();
    }
    if (cells.size() >= sweepAt) {
      sweep(nowMicros);
    }
    return Future.succeededFuture(grants);
  }

  /** Drops the budgets that are full again; past the hard bound, the oldest ones too. */
  private void sweep(long nowMicros) {
    cells.values().removeIf(c -> c.tat() <= nowMicros);
    Iterator<Map.Entry<String, Cell>> oldest = cells.entrySet().iterator();
    while (cells.size() >= MAX_BUDGETS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    sweepAt = Math.max(SWEEP_AT, cells.size() * 2);
  }

  synchronized int size() {
    return cells.size();
  }
}
