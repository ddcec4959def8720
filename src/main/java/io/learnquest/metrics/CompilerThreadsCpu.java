package io.learnquest.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time the JVM's JIT compiler threads have used, read from Linux's {@code /proc/self/task}:
 * the threads named {@code C1 CompilerThread<n>} and {@code C2 CompilerThread<n>}, their user and
 * system time. The JVM's own compile time ({@code jvm_compilation_time_ms_total}) is elapsed time
 * summed over its compiler threads, so on a machine whose cores are busy it counts the time a
 * compile waited for a core too; this counts what compiling cost.
 *
 * <p>The JVM starts and ends compiler threads as the work needs them, so the count keeps the last
 * reading of every thread it has seen: it never goes down (a thread's time since the previous
 * reading is lost when it ends in between).
 */
public final class CompilerThreadsCpu {
  /** The unit of {@code utime} and {@code stime}: Linux's USER_HZ, fixed at 100 for programs. */
  static final double TICKS_PER_SECOND = 100;
  /** A thread's name as {@code /proc} shows it, cut to 15 characters. */
  private static final String COMPILER_THREAD = " CompilerThre";

  private final Path tasks;
  private final Map<String, Long> ticksByThread = new HashMap<>();

  CompilerThreadsCpu(Path tasks) {
    this.tasks = tasks;
  }

  /** This process's compiler threads, or null where there is no {@code /proc/self/task} (not Linux). */
  static CompilerThreadsCpu ofThisProcess() {
    Path tasks = Path.of("/proc/self/task");
    return Files.isDirectory(tasks) ? new CompilerThreadsCpu(tasks) : null;
  }

  /** Seconds of CPU used by compiler threads since the process started. */
  synchronized double seconds() {
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(thread -> {
        Long ticks = compilerTicks(thread.resolve("stat"));
        if (ticks != null) {
          ticksByThread.merge(thread.getFileName().toString(), ticks, Math::max);
        }
      });
    } catch (IOException | java.io.UncheckedIOException e) {
      // a reading that failed leaves the count where it was
    }
    return ticksByThread.values().stream().mapToLong(Long::longValue).sum() / TICKS_PER_SECOND;
  }

  /**
   * utime + stime of a compiler thread's {@code stat} line, null for another thread or one that has
   * ended. The name sits in parentheses and may hold spaces; the fields after it are counted from
   * the state, the first after the name: utime is the 12th, stime the 13th.
   */
  static Long compilerTicks(Path stat) {
    String line;
    try {
      line = Files.readString(stat);
    } catch (IOException e) {
      return null;
    }
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open) {
      return null;
    }
    String name = line.substring(open + 1, close);
    if (!(name.startsWith("C1") || name.startsWith("C2")) || !name.contains(COMPILER_THREAD)) {
      return null;
    }
    String[] fields = line.substring(close + 2).trim().split(" ");
    return fields.length < 13 ? null : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }
}
