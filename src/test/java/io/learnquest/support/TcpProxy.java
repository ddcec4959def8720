package io.learnquest.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP proxy in front of a store, so a test can make the store "go away" (stop: refuse
 * new connections and cut open ones) and "come back" (start again on the same port).
 */
public final class TcpProxy implements AutoCloseable {
  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private NetServer server;
  private int port;

  public TcpProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.client = vertx.createNetClient();
  }

  /** Listens (on a free port the first time, on the same port after a stop). */
  public int start() {
    server = vertx.createNetServer().connectHandler(this::bridge);
    server = TestEngine.await(server.listen(port, "127.0.0.1"));
    port = server.actualPort();
    return port;
  }

  public int port() {
    return port;
  }

  /**
   * Stops listening and closes every bridged connection, returning once they are closed: a close
   * only requested could still forward what a client writes right after (a write that then
   * commits in the store behind a connection the client sees fail).
   */
  public void stop() {
    TestEngine.await(server.close());
    List<Future<Void>> closed = new ArrayList<>();
    for (NetSocket socket : List.copyOf(open)) {
      closed.add(socket.close());
    }
    open.clear();
    TestEngine.await(Future.join(closed).otherwiseEmpty());
  }

  private void bridge(NetSocket inbound) {
    inbound.pause();
    open.add(inbound);
    client.connect(targetPort, targetHost).onComplete(ar -> {
      if (ar.failed()) {
        inbound.close();
        return;
      }
      NetSocket outbound = ar.result();
      open.add(outbound);
      inbound.handler(outbound::write);
      outbound.handler(inbound::write);
      inbound.closeHandler(v -> {
        open.remove(inbound);
        outbound.close();
      });
      outbound.closeHandler(v -> {
        open.remove(outbound);
        inbound.close();
      });
      inbound.resume();
    });
  }

  @Override
  public void close() {
    if (server != null) {
      stop();
    }
  }
}
