package io.learnquest.bench;

import java.util.List;

/**
 * What a node's {@code /metrics} says about the work it did: its process's CPU time
 * ({@code process_cpu_time_ns_total}, the JVM's own count) and the events it applied
 * ({@code learnquest_event_apply_seconds_count}). Two samples of every node, before and after a
 * run, give the CPU per applied event of the nodes together.
 */
record NodeCpu(double cpuNanos, double applied) {
  static final String CPU = "process_cpu_time_ns_total";
  static final String APPLIED = "learnquest_event_apply_seconds_count";

  /** Reads both from the Prometheus text of one node; a missing meter is an error, named. */
  static NodeCpu parse(String prometheusText) {
    Double cpu = null;
    Double applied = null;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith(CPU + " ")) {
        cpu = Double.parseDouble(line.substring(CPU.length() + 1).trim());
      } else if (line.startsWith(APPLIED + " ")) {
        applied = Double.parseDouble(line.substring(APPLIED.length() + 1).trim());
      }
    }
    if (cpu == null || applied == null) {
      throw new IllegalArgumentException("the node's /metrics has no " + (cpu == null ? CPU : APPLIED));
    }
    return new NodeCpu(cpu, applied);
  }

  /** The sum of every node's. */
  static NodeCpu total(List<NodeCpu> nodes) {
    return new NodeCpu(nodes.stream().mapToDouble(NodeCpu::cpuNanos).sum(),
        nodes.stream().mapToDouble(NodeCpu::applied).sum());
  }

  NodeCpu minus(NodeCpu before) {
    return new NodeCpu(cpuNanos - before.cpuNanos, applied - before.applied);
  }

  /** The line the bench prints for the run between two totals. */
  static String report(NodeCpu delta, int nodes) {
    if (delta.applied() <= 0) {
      return "CPU per applied event: no event applied while measuring";
    }
    return String.format("CPU per applied event: %.3f ms (%s %.2f s of CPU for %.0f applied events)",
        delta.cpuNanos() / 1e6 / delta.applied(), nodes == 1 ? "the node used" : "the " + nodes + " nodes together used",
        delta.cpuNanos() / 1e9, delta.applied());
  }
}
