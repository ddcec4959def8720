package io.learnquest.push;

import io.learnquest.support.TestEngine;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client of the Server-Sent Events stream: reads the chunked body as it comes and splits it into
 * messages ({@code id:} and {@code data:} lines, blank-line separated) and comments ({@code :} lines).
 * Each stream has its own HTTP client, so closing it really drops the connection.
 */
public final class SseClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(15);

  /** One SSE message: its {@code id:} line (null when absent) and its {@code data:} parsed as JSON. */
  record Message(String id, JsonObject data) {
  }

  private final HttpClient client;
  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder body = new StringBuilder();
  private final List<Message> messages = new CopyOnWriteArrayList<>();
  private final List<String> comments = new CopyOnWriteArrayList<>();
  private final List<String> malformed = new CopyOnWriteArrayList<>();
  private volatile int status;
  private volatile String contentType;

  private SseClient(HttpClient client) {
    this.client = client;
  }

  /**
   * Opens {@code GET uri}, with a {@code Last-Event-ID} header unless null. For a 200 stream it
   * returns once the server's opening comment arrived (the server registers the connection before
   * writing it), so what is posted afterwards is live for this connection.
   */
  static SseClient open(TestEngine engine, String uri, String lastEventId) {
    return open(engine, uri, lastEventId, "Bearer " + TestEngine.ADMIN_KEY);
  }

  /** As above with this Authorization header (none when null). */
  public static SseClient open(TestEngine engine, String uri, String lastEventId, String authorization) {
    SseClient c = new SseClient(engine.vertx.createHttpClient(new HttpClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(engine.port)));
    // Sent from a Vert.x context, as TestEngine sends: driven from the test thread the 5.0.7
    // HttpClient was seen to lose a request now and then.
    Promise<Void> opened = Promise.promise();
    engine.vertx.getOrCreateContext().runOnContext(v -> c.client
        .request(new RequestOptions().setMethod(HttpMethod.GET).setURI(uri))
        .compose(req -> {
          req.putHeader("accept", "text/event-stream");
          if (authorization != null) {
            req.putHeader("authorization", authorization);
          }
          if (lastEventId != null) {
            req.putHeader("Last-Event-ID", lastEventId);
          }
          return req.send();
        })
        .<Void>map(resp -> {
          c.status = resp.statusCode();
          c.contentType = resp.getHeader("content-type");
          resp.handler(buf -> c.onData(buf.toString()));
          return null;
        })
        .onComplete(opened));
    TestEngine.await(opened.future());
    if (c.status == 200) {
      try {
        TestEngine.eventually(WAIT, () -> !c.comments.isEmpty());
      } catch (AssertionError e) {
        c.close();
        throw new AssertionError("no opening comment on " + uri, e);
      }
    }
    return c;
  }

  static SseClient open(TestEngine engine, String uri) {
    return open(engine, uri, null);
  }

  private synchronized void onData(String chunk) {
    body.append(chunk);
    pending.append(chunk);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      parse(block);
    }
  }

  private void parse(String block) {
    String id = null;
    StringBuilder data = null;
    for (String line : block.split("\n", -1)) {
      if (line.startsWith(":")) {
        comments.add(line.substring(1).trim());
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder() : data.append('\n');
        data.append(line.substring(6));
      } else if (!line.isEmpty()) {
        malformed.add(line);
      }
    }
    if (data != null) {
      try {
        messages.add(new Message(id, new JsonObject(data.toString())));
      } catch (RuntimeException e) {
        malformed.add(data.toString());
      }
    }
  }

  public int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  /** The raw body received so far (for an error answer: the JSON error body). */
  public synchronized String body() {
    return body.toString();
  }

  /** Waits until at least {@code n} messages are in, then returns all received so far. */
  List<Message> awaitMessages(int n) {
    try {
      TestEngine.eventually(WAIT, () -> messages.size() >= n);
    } catch (AssertionError e) {
      throw new AssertionError("expected " + n + " SSE messages, got " + messages.size() + ": " + messages, e);
    }
    return messages();
  }

  List<Message> messages() {
    if (!malformed.isEmpty()) {
      throw new AssertionError("lines that are not id:, data: or comments: " + malformed);
    }
    return List.copyOf(messages);
  }

  /** The frames (data of each message), after checking each {@code id:} line equals the frame's id. */
  public List<JsonObject> awaitFrames(int n) {
    return frames(awaitMessages(n));
  }

  public List<JsonObject> frames() {
    return frames(messages());
  }

  private static List<JsonObject> frames(List<Message> messages) {
    for (Message m : messages) {
      if (m.id() == null || !m.id().equals(m.data().getString("id"))) {
        throw new AssertionError("the id: line " + m.id() + " differs from the frame id in " + m.data().encode());
      }
    }
    return messages.stream().map(Message::data).toList();
  }

  @Override
  public void close() {
    TestEngine.await(client.close());
  }
}
