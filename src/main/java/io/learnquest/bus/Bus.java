package io.learnquest.bus;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Small helpers so every verticle asks and answers over the bus the same way. */
public final class Bus {
  public static final long DEFAULT_TIMEOUT_MS = 10_000;
  /** Node-local map: the verticles (by name) this node runs, whose addresses it serves itself. */
  static final String LOCAL_VERTICLES = "bus.localVerticles";

  private Bus() {
  }

  /**
   * Records that this node runs {@code verticle}: from now on its requests to that verticle's
   * addresses ({@code verticle.*}) stay on this node instead of being spread over the cluster.
   * Every verticle answers the same on any node, so this only spares the wire (a round trip to
   * another JVM costs far more than the work) and keeps a node's events off a dying peer.
   */
  public static void servedLocally(Vertx vertx, String verticle) {
    vertx.sharedData().<String, Boolean>getLocalMap(LOCAL_VERTICLES).put(verticle, true);
  }

  static boolean isServedLocally(Vertx vertx, String address) {
    int dot = address.indexOf('.');
    return dot > 0
        && vertx.sharedData().<String, Boolean>getLocalMap(LOCAL_VERTICLES).containsKey(address.substring(0, dot));
  }

  /** Every request: bounded in time, and kept on this node when this node serves the address. */
  private static DeliveryOptions requestOptions(Vertx vertx, String address) {
    return new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS)
        .setLocalOnly(vertx.isClustered() && isServedLocally(vertx, address));
  }

  /**
   * {@code work}, or a {@link TimeoutException} after {@code ms} (up to {@link Deadlines#WINDOW_MS}
   * more); call it on a verticle's context. Unlike {@link Future#timeout}, the bound expires on that
   * context even when {@code work} comes from a plain {@link Promise}, which has no context: there
   * {@code Future.timeout} fires on a Netty global thread, and whatever follows would then run beside
   * the verticle's own event loop. On an event-loop context the bounds share timers
   * ({@link Deadlines}); elsewhere each has its own.
   */
  public static <T> Future<T> within(Vertx vertx, Future<T> work, long ms) {
    if (work.isComplete()) {
      return work;
    }
    Promise<T> result = Promise.promise();
    Context context = Vertx.currentContext();
    if (context != null && context.isEventLoopContext() && context.owner() == vertx) {
      Deadlines.of(context).add(ms, () -> {
        // Most bounds were answered long before their batch expires, and cost nothing more. The
        // others fail on their own context (a request's), not on that of the batch's first bound.
        if (!result.future().isComplete()) {
          context.runOnContext(v -> result.tryFail(timedOut(ms)));
        }
      });
      work.onComplete(result::tryComplete, result::tryFail);
      return result.future();
    }
    long timer = vertx.setTimer(ms, id -> result.tryFail(timedOut(ms)));
    work.onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        result.tryComplete(ar.result());
      } else {
        result.tryFail(ar.cause());
      }
    });
    return result.future();
  }

  private static TimeoutException timedOut(long ms) {
    return new TimeoutException("no answer within " + ms + " ms");
  }

  /**
   * A typed request: {@code request} is a registered message record ({@link Codecs}), handed over
   * as it is on this node; the reply is the handler's record, or a coded failure.
   */
  public static <R> Future<R> ask(Vertx vertx, String address, Object request) {
    return askWith(vertx, address, request, requestOptions(vertx, address));
  }

  /** {@link #ask} allowed {@code timeoutMs} rather than the default 10 s. */
  public static <R> Future<R> askWithin(Vertx vertx, String address, Object request, long timeoutMs) {
    return askWith(vertx, address, request, requestOptions(vertx, address).setSendTimeout(timeoutMs));
  }

  private static <R> Future<R> askWith(Vertx vertx, String address, Object request, DeliveryOptions options) {
    return vertx.eventBus().<R>request(address, request, options).map(Message::body)
        .recover(e -> Future.failedFuture(Failure.from(e)));
  }

  /**
   * Serves requests at {@code address}, the one way every verticle answers: the handler gets the
   * message's body (a registered message record, or null for a request that carries nothing), and
   * its future becomes the reply (a message record, or nothing for {@code Void}) or a coded
   * failure. A handler that throws fails the request as its future would.
   */
  public static <Q, R> Future<Void> answer(Vertx vertx, String address, Function<Q, Future<R>> handler) {
    return vertx.eventBus().<Q>consumer(address, message -> {
      Future<R> answer;
      try {
        answer = handler.apply(message.body());
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result());
        } else {
          Failure.reply(message, ar.cause());
        }
      });
    }).completion();
  }
}
