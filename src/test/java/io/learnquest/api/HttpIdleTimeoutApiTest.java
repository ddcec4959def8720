package io.learnquest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http.idleTimeoutSeconds}: a connection on which nothing moves is closed by the server, so
 * idle sockets cannot pile up until the node has no file handle left for {@code /health}.
 */
class HttpIdleTimeoutApiTest {
  private TestEngine engine;

  @BeforeEach
  void start() {
    engine = TestEngine.start(Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "1"));
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  /** Reads until the server closes the socket; fails if it is still open after {@code boundMs}. */
  private static long closedAfterMs(Socket socket, int boundMs) throws IOException {
    long began = System.nanoTime();
    socket.setSoTimeout(boundMs);
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    while (in.read(buffer) >= 0) {
      // a response (to a half request, none) is read past; the end of the stream is the close
    }
    return (System.nanoTime() - began) / 1_000_000;
  }

  @Test
  void anIdleSocketIsClosedByTheServerAndHealthStillAnswers() throws IOException {
    List<Socket> idle = new ArrayList<>();
    try {
      for (int i = 0; i < 50; i++) {
        idle.add(new Socket("127.0.0.1", engine.port));
      }
      long ms = closedAfterMs(idle.get(0), 15_000);
      assertTrue(ms >= 500, "closed after " + ms + " ms: only an idle connection is closed, not a new one");
      for (Socket socket : idle) {
        closedAfterMs(socket, 15_000);
      }
      assertEquals(200, engine.get("/health").status());
    } finally {
      for (Socket socket : idle) {
        socket.close();
      }
    }
  }

  @Test
  void aRequestThatStopsHalfwayIsClosedToo() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", engine.port)) {
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      closedAfterMs(socket, 15_000);
    }
  }

  @Test
  void aKeptAliveConnectionServesRequestsThenIsClosedOnceIdle() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", engine.port)) {
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      socket.setSoTimeout(15_000);
      byte[] head = new byte[12];
      int read = 0;
      while (read < head.length) {
        int n = socket.getInputStream().read(head, read, head.length - read);
        assertTrue(n > 0, "the connection was closed before answering");
        read += n;
      }
      assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
      closedAfterMs(socket, 15_000);
    }
  }
}
