package io.learnquest.web;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The live connections (WebSocket and SSE) of one web instance, by learner. Each connection
 * remembers the last notification sequence it was sent, so replay and live delivery can overlap
 * without sending anything twice (contract section 9.5). Used only from its verticle's event loop.
 */
final class PushHub {
  private final Map<String, Set<Connection>> byLearner = new HashMap<>();

  /** One client connection; {@code sink} writes one frame to it. */
  static final class Connection {
    final String learnerId;
    private final Consumer<JsonObject> sink;
    private long lastSeq;
    private boolean replaying;
    private final List<JsonObject> heldBack = new ArrayList<>();

    Connection(String learnerId, long since, boolean replaying, Consumer<JsonObject> sink) {
      this.learnerId = learnerId;
      this.lastSeq = since;
      this.replaying = replaying;
      this.sink = sink;
    }

    void deliver(JsonObject frame) {
      if (replaying) {
        heldBack.add(frame);
        return;
      }
      long seq = Long.parseLong(frame.getString("id"));
      if (seq > lastSeq) {
        lastSeq = seq;
        sink.accept(frame);
      }
    }

    /** Sends the replayed history, then what arrived live meanwhile, each frame once, in order. */
    void finishReplay(List<JsonObject> history) {
      replaying = false;
      history.forEach(this::deliver);
      heldBack.sort(Comparator.comparingLong(f -> Long.parseLong(f.getString("id"))));
      List<JsonObject> held = new ArrayList<>(heldBack);
      heldBack.clear();
      held.forEach(this::deliver);
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
