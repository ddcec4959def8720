package io.learnquest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JIT compiler threads' CPU, read from {@code /proc/self/task}: a fake task folder, then the real one. */
class CompilerThreadsCpuTest {
  @TempDir
  Path tasks;

  /** A {@code stat} line as Linux writes it: utime and stime are the 14th and 15th fields. */
  private void thread(String tid, String name, long utime, long stime) throws IOException {
    Path dir = Files.createDirectories(tasks.resolve(tid));
    Files.writeString(dir.resolve("stat"), tid + " (" + name + ") S 1 1 1 0 -1 4194368 2841 0 0 0 " + utime + " "
        + stime + " 0 0 20 0 30 0 5150 4094623744 12345 18446744073709551615 1 1 0 0 0 0 0 4096 17663 0 0 0 -1 1 0 0"
        + " 0 0 0\n");
  }

  @Test
  void onlyCompilerThreadsCountAndTheirUserAndSystemTimeAddUp() throws IOException {
    thread("101", "C2 CompilerThre", 250, 30);
    thread("102", "C1 CompilerThre", 40, 10);
    thread("103", "vert.x-eventloo", 9_000, 900);
    thread("104", "java", 77, 3);
    thread("105", "C2 CompilerThre) (x", 5, 5); // a name with a parenthesis: the last one closes it
    assertEquals(3.4, new CompilerThreadsCpu(tasks).seconds(), 1e-9);
  }

  @Test
  void aCompilerThreadThatEndedKeepsItsLastReadingSoTheCountNeverGoesDown() throws IOException {
    CompilerThreadsCpu jit = new CompilerThreadsCpu(tasks);
    thread("201", "C2 CompilerThre", 100, 0);
    thread("202", "C2 CompilerThre", 50, 0);
    assertEquals(1.5, jit.seconds(), 1e-9);
    Files.delete(tasks.resolve("202/stat"));
    Files.delete(tasks.resolve("202"));
    thread("201", "C2 CompilerThre", 120, 10);
    assertEquals(1.8, jit.seconds(), 1e-9);
  }

  @Test
  void aLineThatIsNotAThreadsStatIsNoCompilerThread() throws IOException {
    Path odd = Files.writeString(tasks.resolve("odd"), "no parentheses here");
    assertNull(CompilerThreadsCpu.compilerTicks(odd));
    assertNull(CompilerThreadsCpu.compilerTicks(tasks.resolve("missing")));
  }

  @Test
  void thisJvmsCompilerThreadsHaveUsedSomeCpu() {
    CompilerThreadsCpu jit = CompilerThreadsCpu.ofThisProcess();
    assumeTrue(jit != null, "no /proc/self/task: not Linux");
    // starting JUnit alone compiles hundreds of methods
    assertTrue(jit.seconds() > 0, "no CPU time found for C1 or C2 CompilerThread threads");
  }
}
