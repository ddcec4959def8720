package io.learnquest.bench;

import java.util.List;

/**
 * What a node's {@code /metrics} says about the work it did: its process's CPU time
 * ({@code process_cpu_time_ns_total}, the JVM's own count), the events it applied
 * ({@code learnquest_event_apply_seconds_count}) and, when the node reports it, its JIT compiler's
 * time ({@code jvm_compilation_time_ms_total}; NaN without it). Two samples of every node, before
 * and after a run, give the CPU per applied event of the nodes together.
 */
record NodeCpu(double cpuNanos, double applied, double compileMillis) {
  static final String CPU = "process_cpu_time_ns_total";
  static final String APPLIED = "learnquest_event_apply_seconds_count";
  static final String COMPILE = "jvm_compilation_time_ms_total";

  /** Reads them from the Prometheus text of one node; a missing CPU or applied meter is an error, named. */
  static NodeCpu parse(String prometheusText) {
    Double cpu = null;
    Double applied = null;
    double compile = Double.NaN;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith(CPU + " ")) {
        cpu = Double.parseDouble(line.substring(CPU.length() + 1).trim());
      } else if (line.startsWith(APPLIED + " ")) {
        applied = Double.parseDouble(line.substring(APPLIED.length() + 1).trim());
      } else if (line.startsWith(COMPILE + " ") || line.startsWith(COMPILE + "{")) {
        // labelled with the JVM's compiler name: the value is after the last space
        compile = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    if (cpu == null || applied == null) {
      throw new IllegalArgumentException("the node's /metrics has no " + (cpu == null ? CPU : APPLIED));
    }
    return new NodeCpu(cpu, applied, compile);
  }

  /** The sum of every node's (the compile time NaN when any node does not report it). */
  static NodeCpu total(List<NodeCpu> nodes) {
    return new NodeCpu(nodes.stream().mapToDouble(NodeCpu::cpuNanos).sum(),
        nodes.stream().mapToDouble(NodeCpu::applied).sum(),
        nodes.stream().mapToDouble(NodeCpu::compileMillis).sum());
  }

  NodeCpu minus(NodeCpu before) {
    return new NodeCpu(cpuNanos - before.cpuNanos, applied - before.applied, compileMillis - before.compileMillis);
  }

  /**
   * The line the bench prints for the run between two totals. The JIT's share is named because it
   * is large on a fresh node: a node's first runs under load spend up to half their CPU compiling,
   * and the CPU per event falls run by run until the compiler is done (docs/benchmarks.md).
   */
  static String report(NodeCpu delta, int nodes) {
    if (delta.applied() <= 0) {
      return "CPU per applied event: no event applied while measuring";
    }
    String jit = Double.isNaN(delta.compileMillis()) ? ""
        : String.format("; meanwhile %s ran %.2f s", nodes == 1 ? "its JIT compiler" : "their JIT compilers",
            delta.compileMillis() / 1e3);
    return String.format("CPU per applied event: %.3f ms (%s %.2f s of CPU for %.0f applied events%s)",
        delta.cpuNanos() / 1e6 / delta.applied(), nodes == 1 ? "the node used" : "the " + nodes + " nodes together used",
        delta.cpuNanos() / 1e9, delta.applied(), jit);
  }
}
