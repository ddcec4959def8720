package io.learnquest.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Natural batching for a store: items submitted while a flush is in flight wait and go together
 * in the next one, so a lone item goes out at once (low latency) and a crowd goes out in few round
 * trips (high throughput). The flush function answers one result per item, in order, or fails the
 * whole batch. Each caller's future completes on the caller's own context, because callers are
 * verticles on different event loops.
 */
public final class GroupCommitter<I, O> {
  static final long FLUSH_TIMEOUT_MS = 8_000;
  private final Function<List<I>, Future<List<O>>> flush;
  /** The most a batch may weigh; an item heavier than that still goes, alone. */
  private final int maxBatch;
  private final ToIntFunction<I> weight;
  private final int maxInFlight;
  private final List<Pending<I, O>> queue = new ArrayList<>();
  private int inFlight;

  private record Pending<I, O>(I item, Promise<O> promise, Context context) {
  }

  public GroupCommitter(int maxBatch, int maxInFlight, Function<List<I>, Future<List<O>>> flush) {
    this(maxBatch, item -> 1, maxInFlight, flush);
  }

  /** Batches limited by total {@code weight} (for items that stand for several rows each). */
  public GroupCommitter(int maxBatch, ToIntFunction<I> weight, int maxInFlight,
                        Function<List<I>, Future<List<O>>> flush) {
    this.flush = flush;
    this.maxBatch = maxBatch;
    this.weight = weight;
    this.maxInFlight = maxInFlight;
  }

  public Future<O> submit(I item) {
    Promise<O> promise = Promise.promise();
    Context context = Vertx.currentContext();
    List<Pending<I, O>> batch;
    synchronized (this) {
      queue.add(new Pending<>(item, promise, context));
      batch = takeBatch();
    }
    if (batch != null) {
      run(batch);
    }
    return promise.future();
  }

  /** The next batch to send, if a slot is free; the caller sends it outside the monitor. */
  private List<Pending<I, O>> takeBatch() {
    if (queue.isEmpty() || inFlight >= maxInFlight) {
      return null;
    }
    int n = 0;
    for (int total = 0; n < queue.size(); n++) {
      total += weight.applyAsInt(queue.get(n).item);
      if (total > maxBatch && n > 0) {
        break;
      }
    }
    List<Pending<I, O>> batch = new ArrayList<>(queue.subList(0, n));
    queue.subList(0, n).clear();
    inFlight++;
    return batch;
  }

  private void run(List<Pending<I, O>> batch) {
    Future<List<O>> result;
    try {
      // Bounded, so a flush that never answers cannot hold its slot (and every later caller) forever.
      result = flush.apply(batch.stream().map(Pending::item).toList()).timeout(FLUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      for (int i = 0; i < batch.size(); i++) {
        Pending<I, O> p = batch.get(i);
        if (ar.succeeded()) {
          complete(p, ar.result().get(i), null);
        } else {
          complete(p, null, ar.cause());
        }
      }
      List<Pending<I, O>> next;
      synchronized (this) {
        inFlight--;
        next = takeBatch();
      }
      if (next != null) {
        run(next);
      }
    });
  }

  private static <I, O> void complete(Pending<I, O> p, O value, Throwable error) {
    Runnable done = error == null ? () -> p.promise.complete(value) : () -> p.promise.fail(error);
    if (p.context == null || p.context == Vertx.currentContext()) {
      done.run();
    } else {
      p.context.runOnContext(v -> done.run());
    }
  }
}
