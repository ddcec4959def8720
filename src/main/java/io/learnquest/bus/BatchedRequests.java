package io.learnquest.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Many small requests to one address, sent as few messages: {@code {items: [...]}} answered by
 * {@code {results: [...]}} in the same order. Requests made in one event-loop turn go together,
 * and while {@code maxInFlight} messages are out the next ones queue and go in the following
 * message, so a lone request leaves at once and a crowd costs a handful of bus messages instead of
 * one each. Each item succeeds or fails on its own. An instance belongs to the context that made it
 * (a verticle instance) and is used only from there. Within a node items and answers are handed
 * over, not copied ({@link HandedOverJson}): a caller never touches an item once it asked, and a
 * handler only reads its item and answers with an object of its own.
 */
public final class BatchedRequests {
  static final String ITEMS = "items";
  static final String RESULTS = "results";
  private static final String OK = "ok";
  private static final String FAILED = "failed";
  private static final String ERROR = "error";

  private final Vertx vertx;
  private final Context context;
  private final String address;
  private final int maxBatch;
  private final int maxInFlight;
  private final List<Pending> queue = new ArrayList<>();
  private int inFlight;
  private boolean flushScheduled;

  private record Pending(JsonObject item, Promise<JsonObject> promise) {
  }

  public BatchedRequests(Vertx vertx, String address, int maxBatch, int maxInFlight) {
    HandedOverJson.register(vertx);
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.address = address;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
  }

  public Future<JsonObject> request(JsonObject item) {
    Promise<JsonObject> promise = Promise.promise();
    queue.add(new Pending(item, promise));
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
      List<Pending> batch = new ArrayList<>(queue.subList(0, n));
      queue.subList(0, n).clear();
      send(batch);
    }
  }

  private void send(List<Pending> batch) {
    inFlight++;
    JsonArray items = new JsonArray(new ArrayList<>(batch.size()));
    batch.forEach(p -> items.add(p.item()));
    Bus.requestHandingOver(vertx, address, new JsonObject().put(ITEMS, items)).onComplete(ar -> {
      inFlight--;
      for (int i = 0; i < batch.size(); i++) {
        Promise<JsonObject> promise = batch.get(i).promise();
        if (ar.failed()) {
          promise.fail(ar.cause());
          continue;
        }
        JsonObject result = ar.result().getJsonArray(RESULTS).getJsonObject(i);
        JsonObject ok = result.getJsonObject(OK);
        if (ok != null) {
          promise.complete(ok);
        } else {
          promise.fail(Failure.fromBody(result.getInteger(FAILED), result.getJsonObject(ERROR)));
        }
      }
      scheduleFlush();
    });
  }

  /**
   * Serves {@code address} for {@link BatchedRequests}: {@code perItem} answers one item, and the
   * batch is answered once every item is; a failing item fails alone, with its coded failure.
   */
  public static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> perItem) {
    HandedOverJson.register(vertx);
    return Bus.serveHandingOver(vertx, address, request -> {
      JsonArray items = request.getJsonArray(ITEMS);
      List<Future<JsonObject>> answers = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Future<JsonObject> answer;
        try {
          answer = perItem.apply(items.getJsonObject(i));
        } catch (RuntimeException e) {
          answer = Future.failedFuture(e);
        }
        answers.add(answer);
      }
      return Future.join(answers).otherwiseEmpty().map(v -> {
        JsonArray results = new JsonArray(new ArrayList<>(answers.size()));
        for (Future<JsonObject> answer : answers) {
          if (answer.succeeded()) {
            results.add(new JsonObject().put(OK, answer.result()));
          } else {
            Failure.EngineException e = Failure.from(answer.cause());
            results.add(new JsonObject().put(FAILED, e.failure().code()).put(ERROR, e.body()));
          }
        }
        return new JsonObject().put(RESULTS, results);
      });
    });
  }
}
