package io.learnquest.support;

import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/** WebSocket helpers of the tests. */
public final class WebSockets {
  private WebSockets() {
  }

  /**
   * Connects {@code ws}, whose close handler is already set. A connection the server refuses is
   * closed as soon as it is accepted, and Vert.x's client then fails its connect ("WebSocket is
   * closed") when that close arrives before the connect's own completion has run: the close handler
   * has what the close said, which the caller asserts, so that failure is not the test's.
   */
  public static void connect(ClientWebSocket ws, WebSocketConnectOptions options) {
    try {
      TestEngine.await(ws.connect(options));
    } catch (IllegalStateException closedFirst) {
      if (!"WebSocket is closed".equals(closedFirst.getMessage())) {
        throw closedFirst;
      }
    }
  }
}
