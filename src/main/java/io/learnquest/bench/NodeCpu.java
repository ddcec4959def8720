package io.learnquest.bench;

import java.util.List;

/**
 * What a node's {@code /metrics} says about the work it did: its process's CPU time
 * ({@code process_cpu_time_ns_total}, the JVM's own count), the events it applied
 * ({@code learnquest_event_apply_seconds_count}) and, when the node reports it, the part of that CPU
 * its JIT compiler threads used ({@code jvm_jit_cpu_seconds_total}, on Linux; NaN without it). Two
 * samples of every node, before and after a run, give the CPU per applied event of the nodes
 * together.
 */
record NodeCpu(double cpuNanos, double applied, double jitCpuSeconds) {
  static final String CPU = "process_cpu_time_ns_total";
  static final String APPLIED = "learnquest_event_apply_seconds_count";
  static final String JIT_CPU = "jvm_jit_cpu_seconds_total";

  /** Reads them from the Prometheus text of one node; a missing CPU or applied meter is an error, named. */
  static NodeCpu parse(String prometheusText) {
    Double cpu = null;
    Double applied = null;
    double jit = Double.NaN;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith(CPU + " ")) {
        cpu = Double.parseDouble(line.substring(CPU.length() + 1).trim());
      } else if (line.startsWith(APPLIED + " ")) {
        applied = Double.parseDouble(line.substring(APPLIED.length() + 1).trim());
      } else if (line.startsWith(JIT_CPU + " ") || line.startsWith(JIT_CPU + "{")) {
        // labelled or not: the value is after the last space
        jit = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    if (cpu == null || applied == null) {
      throw new IllegalArgumentException("the node's /metrics has no " + (cpu == null ? CPU : APPLIED));
    }
    return new NodeCpu(cpu, applied, jit);
  }

  /** The sum of every node's (the JIT's CPU NaN when any node does not report it). */
  static NodeCpu total(List<NodeCpu> nodes) {
    return new NodeCpu(nodes.stream().mapToDouble(NodeCpu::cpuNanos).sum(),
        nodes.stream().mapToDouble(NodeCpu::applied).sum(),
        nodes.stream().mapToDouble(NodeCpu::jitCpuSeconds).sum());
  }

  NodeCpu minus(NodeCpu before) {
    return new NodeCpu(cpuNanos - before.cpuNanos, applied - before.applied, jitCpuSeconds - before.jitCpuSeconds);
  }

  /**
   * The line the bench prints for the run between two totals. The JIT's share is named because it
   * is large on a fresh node: a node's first runs under load spend a large part of their CPU
   * compiling, and the CPU per event falls run by run until the compiler is done
   * (docs/benchmarks.md).
   */
  static String report(NodeCpu delta, int nodes) {
    if (delta.applied() <= 0) {
      return "CPU per applied event: no event applied while measuring";
    }
    String jit = Double.isNaN(delta.jitCpuSeconds()) ? ""
        : String.format("; %s JIT compilers %.2f s of it", nodes == 1 ? "its" : "their", delta.jitCpuSeconds());
    return String.format("CPU per applied event: %.3f ms (%s %.2f s of CPU for %.0f applied events%s)",
        delta.cpuNanos() / 1e6 / delta.applied(), nodes == 1 ? "the node used" : "the " + nodes + " nodes together used",
        delta.cpuNanos() / 1e9, delta.applied(), jit);
  }
}
