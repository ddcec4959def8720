package io.learnquest.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Ends push connections whose client stopped reading. Vert.x queues a close behind the writes
 * still waiting, which a client that reads nothing never takes, so such a connection would stay
 * open (and counted) for ever: here its channel is closed underneath, from the connection's own
handler context (so past Vert.x's handler, which would queue the close), dropping what waits. A
 * WebSocket first gets its close frame (code and reason, for a client only slow), and is cut after
 * {@link #CLOSE_GRACE_MS} if it is still open.
 */
final class SlowClients {
  static final long CLOSE_GRACE_MS = 1_000;

  private SlowClients() {
  }

  static void drop(Vertx vertx, ServerWebSocket ws, short code, String reason) {
    ws.close(code, reason);
    vertx.setTimer(CLOSE_GRACE_MS, t -> {
      if (!ws.isClosed() && ws instanceof WebSocketInternal internal) {
        internal.channelHandlerContext().close();
      }
    });
  }

  static void drop(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channelHandlerContext().close();
    } else {
      connection.close();
    }
  }
}
