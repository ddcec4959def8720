package io.learnquest.web;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The live connections (WebSocket and SSE) of one web instance, by learner. Each connection
 * remembers the last notification sequence it was sent, so replay and live delivery can overlap
 * without sending anything twice (docs/rules.md, invariant 5), and nothing is skipped when frames arrive
 * out of order. Used only from its verticle's event loop.
 */
final class PushHub {
  private final Map<String, Set<Connection>> byLearner = new HashMap<>();

  /**
   * One client connection; {@code sink} writes one frame to it. Frames go out in sequence order:
   * one that arrives ahead of a missing one (frames of consecutive events can travel through
   * different nodes) waits while {@code fillGap} fetches the missing ones from the history.
   */
  static final class Connection {
    /** Connected without a resume token: the first frame sets where the sequence stands. */
    static final long NO_BASELINE = -1;
    final String learnerId;
    private final Consumer<JsonObject> sink;
    private final BiConsumer<Connection, Long> fillGap;
    private long lastSeq;
    private boolean replaying;
    private final List<JsonObject> heldBack = new ArrayList<>();

    Connection(String learnerId, long since, boolean replaying, Consumer<JsonObject> sink,
               BiConsumer<Connection, Long> fillGap) {
      this.learnerId = learnerId;
      this.lastSeq = replaying ? since : NO_BASELINE;
      this.replaying = replaying;
      this.sink = sink;
      this.fillGap = fillGap;
    }

    void deliver(JsonObject frame) {
      if (replaying) {
        heldBack.add(frame);
        return;
      }
      long seq = seq(frame);
      if (lastSeq != NO_BASELINE && seq > lastSeq + 1) {
        heldBack.add(frame);
        replaying = true;
        fillGap.accept(this, lastSeq);
        return;
      }
      send(frame, seq);
    }

    /**
     * Sends the fetched history, then what arrived meanwhile, in order, each frame once. A gap the
     * history cannot fill (already trimmed from it) is passed over.
     */
    void finishReplay(List<JsonObject> history) {
      List<JsonObject> frames = new ArrayList<>(history);
      frames.addAll(heldBack);
      heldBack.clear();
      frames.sort(Comparator.comparingLong(Connection::seq));
      replaying = false;
      frames.forEach(f -> send(f, seq(f)));
    }

    private void send(JsonObject frame, long seq) {
      if (lastSeq == NO_BASELINE || seq > lastSeq) {
        lastSeq = seq;
        sink.accept(frame);
      }
    }

    private static long seq(JsonObject frame) {
      return Long.parseLong(frame.getString("id"));
    }
  }

  void add(Connection c) {
    byLearner.computeIfAbsent(c.learnerId, k -> new LinkedHashSet<>()).add(c);
  }

  void remove(Connection c) {
    Set<Connection> set = byLearner.get(c.learnerId);
    if (set != null) {
      set.remove(c);
      if (set.isEmpty()) {
        byLearner.remove(c.learnerId);
      }
    }
  }

  void publish(JsonObject frame) {
    Set<Connection> set = byLearner.get(frame.getString("learnerId"));
    if (set != null) {
      List.copyOf(set).forEach(c -> c.deliver(frame));
    }
  }

  int size() {
    return byLearner.values().stream().mapToInt(Set::size).sum();
  }
}
