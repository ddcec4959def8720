package io.learnquest.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An engine node as a separate JVM (io.learnquest.Main), so a test can kill it with SIGKILL. */
public final class EngineProcess implements AutoCloseable {
  private final Map<String, String> env;
  private final Path log;
  private Process process;
  public final int port;

  public EngineProcess(Map<String, String> env, Path log) {
    this.port = freePort();
    this.env = new java.util.HashMap<>(env);
    this.env.put("HTTP_PORT", Integer.toString(port));
    this.env.put("HTTP_HOST", "127.0.0.1");
    this.env.putIfAbsent("LQ_BOOTSTRAP_KEY", TestEngine.ADMIN_KEY);
    TestEngine.TEST_LIMITS.forEach(this.env::putIfAbsent);
    this.log = log;
  }

  public void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    // The node's own logging (LOG_LEVEL honoured), not the test classpath's logback-test.xml.
    command.add("-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.learnquest.Main");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start engine process", e);
    }
    try {
      // Generous: a node restarted beside two busy ones on two cores has been seen to need 30 s.
      TestEngine.eventually(Duration.ofSeconds(120), () -> {
        if (!process.isAlive()) {
          throw new AssertionError("engine process exited with " + process.exitValue());
        }
        return status("/health") == 200;
      });
    } catch (AssertionError e) {
      threadDump();
      throw new AssertionError(e.getMessage() + "; the end of " + log + ":\n" + tail(150), e);
    }
  }

  /** Appends the node's threads to its log, to show where a node that does not come up is stuck. */
  private void threadDump() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      jcmd.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      // no dump then; the log still says what it can
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String tail(int lines) {
    try {
      List<String> all = java.nio.file.Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, as an orchestrator stops a node: the node's shutdown hook runs. Returns at once. */
  public void terminate() {
    process.destroy();
  }

  /** Waits up to {@code timeout} for the process to end; true when it did. */
  public boolean waitForExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The node's log so far. */
  public String logText() {
    try {
      return java.nio.file.Files.readString(log);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  public int status(String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base() + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** POSTs a JSON body; the status, or -1 when no answer came (refused, reset, timed out). */
  public static int post(HttpClient http, String url, io.vertx.core.json.JsonObject body) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
              .header("content-type", "application/json")
              .header("authorization", "Bearer " + TestEngine.ADMIN_KEY)
              .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
