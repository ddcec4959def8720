package io.learnquest.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Small helpers so every verticle asks and answers over the bus the same way. */
public final class Bus {
  /** Header carrying the eventId an exchange is about, to follow one event across verticles and nodes. */
  public static final String CORRELATION_HEADER = "eventId";
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

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, String eventId) {
    DeliveryOptions options = requestOptions(vertx, address);
    if (eventId != null) {
      options.addHeader(CORRELATION_HEADER, eventId);
    }
    return requestWith(vertx, address, body, options);
  }

  /** A request whose body the caller hands over (see {@link HandedOverJson}). */
  static Future<JsonObject> requestHandingOver(Vertx vertx, String address, JsonObject body) {
    return requestWith(vertx, address, body, requestOptions(vertx, address).setCodecName(HandedOverJson.NAME));
  }

  /** Every request: bounded in time, and kept on this node when this node serves the address. */
  private static DeliveryOptions requestOptions(Vertx vertx, String address) {
    return new DeliveryOptions().setSendTimeout(DEFAULT_TIMEOUT_MS)
        .setLocalOnly(vertx.isClustered() && isServedLocally(vertx, address));
  }

  private static Future<JsonObject> requestWith(Vertx vertx, String address, JsonObject body,
                                                DeliveryOptions options) {
    return vertx.eventBus().<JsonObject>request(address, body, options).map(Message::body)
        .recover(e -> Future.failedFuture(Failure.from(e)));
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body) {
    return request(vertx, address, body, null);
  }

  /** A request allowed {@code timeoutMs} rather than the default 10 s: for work that grows with the data. */
  public static Future<JsonObject> requestWithin(Vertx vertx, String address, JsonObject body, long timeoutMs) {
    return requestWith(vertx, address, body, requestOptions(vertx, address).setSendTimeout(timeoutMs));
  }

  /**
   * {@code work}, or a {@link TimeoutException} after {@code ms}; call it on a verticle's context.
   * Unlike {@link Future#timeout}, the timer runs on that context even when {@code work} comes from a
   * plain {@link Promise}, which has no context: there {@code Future.timeout} fires on a Netty global
   * thread, and whatever follows would then run beside the verticle's own event loop.
   */
  public static <T> Future<T> within(Vertx vertx, Future<T> work, long ms) {
    if (work.isComplete()) {
      return work;
    }
    Promise<T> result = Promise.promise();
    long timer = vertx.setTimer(ms, id -> result.tryFail(new TimeoutException("no answer within " + ms + " ms")));
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

  /** Registers a JSON request handler whose future becomes the reply or a coded failure. */
  public static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return serve(vertx, address, handler, new DeliveryOptions());
  }

  /** The same, handing each reply over (see {@link HandedOverJson}). */
  static Future<Void> serveHandingOver(Vertx vertx, String address,
                                       Function<JsonObject, Future<JsonObject>> handler) {
    return serve(vertx, address, handler, new DeliveryOptions().setCodecName(HandedOverJson.NAME));
  }

  private static Future<Void> serve(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler,
                                    DeliveryOptions replies) {
    return vertx.eventBus().<JsonObject>consumer(address, message -> {
      Future<JsonObject> answer;
      try {
        answer = handler.apply(message.body());
      } catch (RuntimeException e) {
        answer = Future.failedFuture(e);
      }
      answer.onComplete(ar -> {
        if (ar.succeeded()) {
          message.reply(ar.result(), replies);
        } else {
          Failure.reply(message, ar.cause());
        }
      });
    }).completion();
  }
}
