package io.learnquest.web;

import io.learnquest.EngineContext;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's door for HTTP requests, shared by its web instances: open, every request goes through
 * and is counted until its response is done; closed (the node is stopping), a new request is
 * answered 503 {@code shutting_down} at once, so a load balancer sends it elsewhere, while those
 * already in go on to their end. Liveness ({@code /health}) still answers: the process is alive,
 * only leaving; so does {@code /metrics}, routed before the gate, to watch the stop. Push streams are not counted: they last until the client goes, and their replay
 * covers what they miss.
 */
public final class RequestGate implements Handler<RoutingContext> {
  private static final String KEY = "web.requestGate";
  private static final String COUNTED = "web.requestGate.counted";
  static final String RETRY_AFTER_S = "5";

  private final AtomicBoolean open = new AtomicBoolean(true);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong admitted = new AtomicLong();

  /** The one gate of this node. */
  public static RequestGate of(EngineContext context) {
    return context.shared(KEY, RequestGate::new);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!open.get() && !"/health".equals(ctx.request().path())) {
      ctx.response().putHeader("retry-after", RETRY_AFTER_S);
      HttpErrors.json(ctx, 503, Failure.body(ErrorCodes.SHUTTING_DOWN,
          "this node is shutting down; send the request to another node or retry later", null));
      return;
    }
    inFlight.incrementAndGet();
    admitted.incrementAndGet();
    AtomicBoolean counted = new AtomicBoolean(true);
    ctx.put(COUNTED, counted);
    ctx.addEndHandler(ended -> release(counted));
    ctx.next();
  }

  /** A request that turned into a long-lived stream: it no longer holds the node's stop. */
  void longLived(RoutingContext ctx) {
    AtomicBoolean counted = ctx.get(COUNTED);
    if (counted != null) {
      release(counted);
    }
  }

  private void release(AtomicBoolean counted) {
    if (counted.compareAndSet(true, false)) {
      inFlight.decrementAndGet();
    }
  }

  /** From now on new requests are refused; the node's readiness answers 503. */
  public void close() {
    open.set(false);
  }

  public boolean isOpen() {
    return open.get();
  }

  /** Requests let in since the node started. */
  public long admitted() {
    return admitted.get();
  }

  /** Requests let in and not answered yet. */
  public int inFlight() {
    return inFlight.get();
  }
}
