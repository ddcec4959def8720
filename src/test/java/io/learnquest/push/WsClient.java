package io.learnquest.push;

import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A raw WebSocket client of {@code /ws} that keeps every text frame it receives, in order. */
public final class WsClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  private final WebSocketClient client;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final List<String> nonJson = new CopyOnWriteArrayList<>();

  private WsClient(WebSocketClient client) {
    this.client = client;
  }

  /** Connects (handlers set before the handshake, so no early frame is missed); fails unless accepted. */
  public static WsClient connect(TestEngine engine, String uri) {
    return connect(engine, uri, Map.of("authorization", "Bearer " + TestEngine.ADMIN_KEY));
  }

  /** As above, sending exactly these handshake headers. */
  public static WsClient connect(TestEngine engine, String uri, Map<String, String> headers) {
    WsClient c = new WsClient(engine.vertx.createWebSocketClient());
    ClientWebSocket ws = c.client.webSocket();
    ws.textMessageHandler(text -> {
      try {
        c.frames.add(new JsonObject(text));
      } catch (RuntimeException e) {
        c.nonJson.add(text);
      }
    });
    TestEngine.await(ws.connect(options(engine, uri, headers)));
    return c;
  }

  /** The HTTP status the handshake of {@code uri} is rejected with; fails if it is accepted. */
  static int rejectionStatus(TestEngine engine, String uri) {
    return rejectionStatus(engine, uri, Map.of("authorization", "Bearer " + TestEngine.ADMIN_KEY));
  }

  /** As above, sending exactly these handshake headers. */
  public static int rejectionStatus(TestEngine engine, String uri, Map<String, String> headers) {
    WebSocketClient client = engine.vertx.createWebSocketClient();
    try {
      Future<WebSocket> f = client.connect(options(engine, uri, headers));
      try {
        f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UpgradeRejectedException rejected) {
          return rejected.getStatus();
        }
        throw new AssertionError("handshake of " + uri + " failed without an HTTP status", e.getCause());
      } catch (InterruptedException | TimeoutException e) {
        throw new AssertionError("handshake of " + uri + " did not finish", e);
      }
      throw new AssertionError("handshake of " + uri + " was accepted");
    } finally {
      TestEngine.await(client.close());
    }
  }

  private static WebSocketConnectOptions options(TestEngine engine, String uri, Map<String, String> headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(engine.port)
        .setURI(uri).setAllowOriginHeader(false); // a server-side client: a browser's Origin only when given
    headers.forEach(options::addHeader);
    return options;
  }

  /** Waits until at least {@code n} frames are in, then returns all received so far. */
  public List<JsonObject> awaitFrames(int n) {
    try {
      TestEngine.eventually(WAIT, () -> frames.size() >= n);
    } catch (AssertionError e) {
      throw new AssertionError("expected " + n + " frames, got " + frames.size() + ": " + frames, e);
    }
    return frames();
  }

  public List<JsonObject> frames() {
    if (!nonJson.isEmpty()) {
      throw new AssertionError("frames that are not JSON objects: " + nonJson);
    }
    return List.copyOf(frames);
  }

  @Override
  public void close() {
    TestEngine.await(client.close());
  }
}
