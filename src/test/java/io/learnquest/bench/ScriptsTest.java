package io.learnquest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scripts under scripts/: each explains itself with --help, and reports what went wrong. */
class ScriptsTest {
  /** Runs a script; the limit only catches a script that hangs or starts work instead of helping. */
  private record Result(int status, String out, String err) {
  }

  private static Result run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    Path out = Files.createTempFile("script", ".out");
    Path err = Files.createTempFile("script", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end: " + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  private static List<Path> scripts() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("scripts"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void everyScriptAnswersHelpWithItsUsageAndDoesNothingElse() throws Exception {
    List<String> problems = new ArrayList<>();
    List<Path> scripts = scripts();
    assertTrue(scripts.size() >= 9, scripts.toString());
    for (Path script : scripts) {
      Result help = run(Map.of(), script.toString(), "--help");
      if (help.status() != 0 || !help.out().startsWith("Usage: scripts/" + script.getFileName())
          || !help.err().isEmpty() || help.out().lines().count() < 2) {
        problems.add(script + " --help: status " + help.status() + ", out: " + help.out() + ", err: " + help.err());
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void benchHelpDescribesEveryOptionTheGeneratorTakes() throws Exception {
    String help = run(Map.of(), "scripts/bench", "--help").out();
    for (String option : LoadGenerator.OPTIONS) {
      assertTrue(help.contains("--" + option + " "), "--" + option + " is not in scripts/bench --help");
    }
  }

  @Test
  void rebuildProjectionsPrintsTheErrorBodyItGotAndFails() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      String body = "{\"error\":\"store_unavailable\",\"message\":\"Redis is unreachable\",\"field\":null}";
      HttpServer node = TestEngine.await(vertx.createHttpServer().requestHandler(req -> req.response()
          .setStatusCode(503).putHeader("content-type", "application/json").end(body)).listen(0, "127.0.0.1"));
      String base = "http://127.0.0.1:" + node.actualPort();
      Result result = run(Map.of("BASE_URL", base), "scripts/rebuild-projections");
      assertEquals(1, result.status(), result.toString());
      assertEquals("rebuild-projections: " + base + " answered HTTP 503: " + body + "\n", result.err());
      assertFalse(result.out().contains("error"), result.out());
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void rebuildProjectionsPrintsWhatARunningNodeRebuilt() throws Exception {
    try (TestEngine node = TestEngine.start()) {
      Result result = run(Map.of("BASE_URL", "http://127.0.0.1:" + node.port, "LQ_BOOTSTRAP_KEY", TestEngine.ADMIN_KEY),
          "scripts/rebuild-projections");
      assertEquals(0, result.status(), result.toString());
      assertTrue(result.out().startsWith("{\"boards\":"), result.out());
    }
  }
}
