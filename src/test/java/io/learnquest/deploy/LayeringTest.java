package io.learnquest.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which package may not lean on which: the domain is pure Java, the stores speak in their own
 * failures (never the bus's, whose statuses only web maps), config reads its files without the
 * bus or the JSON mapping, and web talks to the rules over the bus only (their bus facade,
 * {@code RulesService}, is the one class of theirs it may name).
 */
class LayeringTest {
  private static final Path MAIN = Path.of("src/main/java/io/learnquest");
  /** Imports that are the bus itself: a verticle's typed facade sends messages and nothing else. */
  private static final List<String> FACADES = List.of("import io.learnquest.rules.RulesService;");

  @ParameterizedTest(name = "{0} does not import {1}")
  @CsvSource({
      "domain, io.vertx.",
      "domain, io.learnquest.bus.",
      "domain, io.learnquest.store.",
      "domain, io.learnquest.json.",
      "domain, io.learnquest.web.",
      "domain, io.learnquest.rules.",
      "store,  io.learnquest.bus.",
      "store,  io.learnquest.web.",
      "store,  io.learnquest.rules.",
      "store,  io.learnquest.ingestion.",
      "config, io.learnquest.bus.",
      "config, io.learnquest.json.",
      "web,    io.learnquest.rules.",
      "json,   io.learnquest.bus.",
      "time,   io.learnquest."})
  void aPackageDoesNotImport(String pkg, String forbidden) throws IOException {
    List<String> offenders;
    try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
      offenders = files.filter(f -> f.toString().endsWith(".java"))
          .filter(f -> read(f).lines().filter(line -> !FACADES.contains(line))
              .anyMatch(line -> line.startsWith("import " + forbidden)
              || line.startsWith("import static " + forbidden)))
          .map(f -> MAIN.relativize(f).toString())
          .sorted().toList();
    }
    assertEquals(List.of(), offenders, pkg + " imports " + forbidden);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
