package io.learnquest.web;

import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.config.EngineConfig.MetricsSettings;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.metrics.EngineMetrics;
import io.learnquest.store.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}: the node's meters in the Prometheus text format. Each node answers for
 * itself (scrape every node). Secure by default: with {@code METRICS_TOKEN} set, only
 * {@code Authorization: Bearer <token>} is answered; without it, only a client on this host that
 * came through no proxy (no {@code Forwarded} / {@code X-Forwarded-For} header), so a node exposed
 * to the network never hands its meters to anyone. Refusals are 401 with the JSON error body.
 */
final class MetricsRoute {
  static final String PATH = "/metrics";
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The backlog is counted afresh for each scrape, but a slow store must not hold the scrape up. */
  static final long BACKLOG_COUNT_TIMEOUT_MS = 1_000;
  private static final Logger LOG = LoggerFactory.getLogger(MetricsRoute.class);

  private final Vertx vertx;
  private final EngineMetrics metrics;
  private final EventLog log;
  private final byte[] tokenDigest;

  MetricsRoute(Vertx vertx, EventLog log, MetricsSettings settings) {
    this.vertx = vertx;
    this.metrics = EngineMetrics.of(vertx);
    this.log = log;
    this.tokenDigest = settings.guarded() ? sha256(settings.token()) : null;
  }

  void handle(RoutingContext ctx) {
    if (!allowed(ctx.request())) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
      HttpErrors.json(ctx, 401, Failure.body(ErrorCodes.UNAUTHORIZED, tokenDigest != null
          ? "send Authorization: Bearer <METRICS_TOKEN>"
          : "set METRICS_TOKEN on the node to scrape it from another host or through a proxy", null));
      return;
    }
    Future<Long> backlog = Bus.within(vertx, log.pendingCount(), BACKLOG_COUNT_TIMEOUT_MS)
        .onSuccess(metrics::pendingEvents)
        .onFailure(e -> LOG.debug("Backlog not counted for this scrape: {}", e.toString()));
    Future<Long> quarantine = Bus.within(vertx, log.quarantinedCount(), BACKLOG_COUNT_TIMEOUT_MS)
        .onSuccess(metrics::quarantinedEvents)
        .onFailure(e -> LOG.debug("Quarantine not counted for this scrape: {}", e.toString()));
    Future.join(backlog, quarantine)
        // tens of kilobytes of text: written on a worker thread, not on the event loop (which
        // compresses it when the scraper asks for gzip: about a millisecond, once a scrape)
        .transform(ar -> vertx.executeBlocking(metrics::scrape, false))
        .onComplete(text -> {
          if (ctx.response().ended() || ctx.response().closed()) {
            return;
          }
          if (text.succeeded()) {
            ctx.response().putHeader("content-type", CONTENT_TYPE);
            AnswerCompression.end(ctx, text.result());
          } else {
            HttpErrors.fail(ctx, text.cause());
          }
        });
  }

  private boolean allowed(HttpServerRequest request) {
    if (tokenDigest != null) {
      String header = request.getHeader("Authorization");
      return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
          // digests of equal length, compared in constant time: neither the token nor its length leaks
          && MessageDigest.isEqual(tokenDigest, sha256(header.substring(7).trim()));
    }
    return isLoopback(request.remoteAddress()) && request.getHeader("Forwarded") == null
        && request.getHeader("X-Forwarded-For") == null;
  }

  private static boolean isLoopback(SocketAddress address) {
    if (address == null || address.hostAddress() == null) {
      return false;
    }
    try {
      // a literal address: no name lookup happens here
      return InetAddress.getByName(address.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
