package io.learnquest.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Many small typed requests to one address, sent as few messages: a {@link Batch} of them answered
 * by one {@link Batch.Results} in the same order. Requests made in one event-loop turn go together,
 * and while {@code maxInFlight} messages are out the next ones queue and go in the following
 * message, so a lone request leaves at once and a crowd costs a handful of bus messages instead of
 * one each. Each item succeeds or fails on its own. An instance belongs to the context that made it
 * (a verticle instance) and is used only from there.
 *
 * @param <Q> the request record
 * @param <R> its reply record ({@code Void} for none)
 */
public final class RequestBatcher<Q, R> {
  private final Vertx vertx;
  private final Context context;
  private final String address;
  private final int maxBatch;
  private final int maxInFlight;
  private final List<Pending<Q, R>> queue = new ArrayList<>();
  private int inFlight;
  private boolean flushScheduled;

  private record Pending<Q, R>(Q item, Promise<R> promise) {
  }

  public RequestBatcher(Vertx vertx, String address, int maxBatch, int maxInFlight) {
    Codecs.register(vertx);
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.address = address;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  public Future<R> request(Q item) {
    Promise<R> promise = Promise.promise();
    queue.add(new Pending<>(item, promise));
    scheduleFlush();
    return promise.future();
  }

  /** At the end of this turn, so every request made in it joins the same message. */
  private void scheduleFlush() {
    if (!flushScheduled && inFlight < maxInFlight && !queue.isEmpty()) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    while (inFlight < maxInFlight && !queue.isEmpty()) {
      int n = Math.min(maxBatch, queue.size());
      List<Pending<Q, R>> batch = new ArrayList<>(queue.subList(0, n));
      queue.subList(0, n).clear();
      send(batch);
    }
  }

  @SuppressWarnings("unchecked")
  private void send(List<Pending<Q, R>> batch) {
    inFlight++;
    List<Object> items = new ArrayList<>(batch.size());
    batch.forEach(p -> items.add(p.item()));
    Bus.<Batch.Results>ask(vertx, address, new Batch(items)).onComplete(ar -> {
      inFlight--;
      for (int i = 0; i < batch.size(); i++) {
        Promise<R> promise = batch.get(i).promise();
        if (ar.failed()) {
          promise.fail(ar.cause());
          continue;
        }
        Object result = ar.result().results().get(i);
        if (result instanceof Batch.Failed failed) {
          promise.fail(failed.exception());
        } else {
          promise.complete((R) result);
        }
      }
      scheduleFlush();
    });
  }

  /**
   * Serves {@code address} for {@link RequestBatcher}: {@code perItem} answers one item, and the
   * batch is answered once every item is; a failing item fails alone, with its coded failure.
   */
  @SuppressWarnings("unchecked")
  public static <Q, R> Future<Void> serve(Vertx vertx, String address, Function<Q, Future<R>> perItem) {
    Codecs.register(vertx);
    return Bus.answer(vertx, address, (Batch request) -> {
      List<Future<R>> answers = new ArrayList<>(request.items().size());
      for (Object item : request.items()) {
        Future<R> answer;
        try {
          answer = perItem.apply((Q) item);
        } catch (RuntimeException e) {
          answer = Future.failedFuture(e);
        }
        answers.add(answer);
      }
      return Future.join(answers).otherwiseEmpty().map(v -> {
        List<Object> results = new ArrayList<>(answers.size());
        for (Future<R> answer : answers) {
          results.add(answer.succeeded() ? answer.result() : Batch.Failed.of(answer.cause()));
        }
        return new Batch.Results(results);
      });
    });
  }
}
