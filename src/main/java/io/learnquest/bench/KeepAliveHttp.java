package io.learnquest.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A deliberately small HTTP/1.1 client for the load generator: keep-alive connections to one
 * node, one request at a time on each, requests written as prepared bytes and answers read only as
 * far as status and length. The load generator shares the machine with the engine, so every cycle
 * it spends is taken from what it measures; the general-purpose client cost about as much CPU per
 * request as the engine spent applying the event. Used from one event-loop context only.
 */
final class KeepAliveHttp {
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private final Vertx vertx;
  private final NetClient client;
  private final String host;
  private final int port;
  private final long timeoutMs;
  private final String authorization;
  private final ArrayDeque<Connection> idle = new ArrayDeque<>();
  /**
   * Connections open at most: past it a request waits for one to be free. Without a bound, an open
   * loop against a node slower than its rate opened a connection per waiting request, until this
   * process or the node ran out of file handles.
   */
  private final int maxConnections;
  private int open;
  /** Requests waiting for a connection, first come first served. */
  private final ArrayDeque<Runnable> queued = new ArrayDeque<>();
  /** 503 answers that carried Retry-After (an overloaded or stopping node), not yet taken. */
  private int retryAfterAnswers;

  /**
   * @param timeoutMs how long a request may wait for its whole answer (and a connection for its
   *                  connect); then it fails and its connection is closed, so a node that stops
   *                  answering cannot hold the run forever
   * @param key         the API key sent with every request (none when null)
   */
  KeepAliveHttp(Vertx vertx, String baseUrl, long timeoutMs, String key) {
    this(vertx, baseUrl, timeoutMs, key, DEFAULT_MAX_CONNECTIONS);
  }

  static final int DEFAULT_MAX_CONNECTIONS = 1024;

  KeepAliveHttp(Vertx vertx, String baseUrl, long timeoutMs, String key, int maxConnections) {
    this.maxConnections = maxConnections;
    URI uri = URI.create(baseUrl);
    this.authorization = key == null ? "" : "Authorization: Bearer " + key + "\r\n";
    this.vertx = vertx;
    this.host = uri.getHost();
    this.port = uri.getPort() < 0 ? 80 : uri.getPort();
    this.timeoutMs = timeoutMs;
    this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout((int) Math.min(timeoutMs, 10_000)));
  }

  /** The bytes of a POST with a JSON body, prepared once and sent as they are. */
  Buffer postRequest(String path, Buffer json) {
    String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
        + "\r\n" + authorization + "Content-Type: application/json\r\nContent-Length: " + json.length()
        + "\r\n\r\n";
    return Buffer.buffer(head).appendBuffer(json);
  }

  /** Sends prepared request bytes; answers the status once the whole answer has arrived. */
  Future<Integer> send(Buffer request) {
    Connection connection = idle.poll();
    if (connection != null) {
      return connection.exchange(request);
    }
    if (open >= maxConnections) {
      Promise<Integer> later = Promise.promise();
      queued.add(() -> send(request).onComplete(later));
      return later.future();
    }
    open++;
    return client.connect(port, host).map(Connection::new)
        .onFailure(e -> connectionGone())
        .compose(c -> c.exchange(request));
  }

  /** A connection is free (or may be opened): the longest waiting request goes. */
  private void startQueued() {
    Runnable next = queued.poll();
    if (next != null) {
      next.run();
    }
  }

  /** A connection closed (or never opened): a waiting request may open another. */
  private void connectionGone() {
    open--;
    startQueued();
  }

  /**
   * Takes one of the 503 answers with Retry-After this client received: true when there was one.
   * The load generator asks right after each 503, on the same context, so each is taken by its own.
   */
  boolean takeRetryAfter() {
    if (retryAfterAnswers == 0) {
      return false;
    }
    retryAfterAnswers--;
    return true;
  }

  void resetRetryAfter() {
    retryAfterAnswers = 0;
  }

  Future<Void> close() {
    return client.close();
  }

  private final class Connection {
    private final NetSocket socket;
    private Buffer received = Buffer.buffer();
    private Promise<Integer> waiting;

    Connection(NetSocket socket) {
      this.socket = socket;
      socket.handler(this::onData);
      socket.closeHandler(v -> {
        idle.remove(this);
        connectionGone();
        if (waiting != null) {
          waiting.tryFail("connection closed before the answer");
        }
      });
      socket.exceptionHandler(e -> {
        if (waiting != null) {
          waiting.tryFail(e);
        }
      });
    }

    Future<Integer> exchange(Buffer request) {
      Promise<Integer> answer = Promise.promise();
      waiting = answer;
      long timer = vertx.setTimer(timeoutMs, t -> {
        if (answer.tryFail("no answer within " + timeoutMs + " ms")) {
          // The late answer must not be taken for the next request's.
          waiting = null;
          socket.close();
        }
      });
      socket.write(request);
      return answer.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void onData(Buffer chunk) {
      try {
        read(chunk);
      } catch (RuntimeException e) {
        socket.close();
        if (waiting != null) {
          waiting.tryFail(e);
        }
      }
    }

    private void read(Buffer chunk) {
      received.appendBuffer(chunk);
      int headerEnd = indexOf(received, HEADER_END);
      if (headerEnd < 0) {
        return;
      }
      String head = received.getString(0, headerEnd, StandardCharsets.ISO_8859_1.name());
      int length = contentLength(head);
      int total = headerEnd + HEADER_END.length + length;
      if (received.length() < total) {
        return;
      }
      int status = Integer.parseInt(head.substring(9, 12));
      if (status == 503 && head.toLowerCase(Locale.ROOT).contains("\r\nretry-after:")) {
        retryAfterAnswers++;
      }
      received = received.length() == total ? Buffer.buffer() : received.getBuffer(total, received.length());
      Promise<Integer> done = waiting;
      waiting = null;
      idle.push(this);
      done.complete(status);
      startQueued();
    }
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      String lower = line.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        return Integer.parseInt(lower.substring("content-length:".length()).trim());
      }
      if (lower.startsWith("transfer-encoding:")) {
        throw new IllegalStateException("chunked answers are not expected from the engine: " + line);
      }
    }
    return 0;
  }

  private static int indexOf(Buffer buffer, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= buffer.length(); i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (buffer.getByte(i + j) != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
