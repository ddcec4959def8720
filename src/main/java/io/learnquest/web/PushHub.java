package io.learnquest.web;

import io.learnquest.domain.notification.Notification;
import io.learnquest.json.NotificationFrames;
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
 * The live connections (WebSocket and SSE) of one web instance, by tenant and learner: a frame of
 * one tenant's learner never reaches a connection of another tenant's learner of the same id. Each connection
 * remembers the last notification sequence it was sent, so replay and live delivery can overlap
 * without sending anything twice (docs/rules.md, invariant 5), and nothing is skipped when frames arrive
 * out of order. Used only from its verticle's event loop.
 */
final class PushHub {
  /** By {@link #key} of tenant and learnerId. */
  private final Map<String, Set<Connection>> byLearner = new HashMap<>();

  /**
   * A notification as a client receives it: its sequence number and its frame's JSON text
   * (docs/api.md, "Live push"), rendered once however many connections it goes to.
   */
  record Frame(long seq, String learnerId, String json) {
    static Frame of(Notification n) {
      return new Frame(n.seq(), n.learnerId(), NotificationFrames.text(n));
    }

    String id() {
      return Long.toString(seq);
    }
  }

  /**
   * One client connection; {@code sink} writes one frame to it. Frames go out in sequence order:
   * one that arrives ahead of a missing one (frames of consecutive events can travel through
   * different nodes) waits while {@code fillGap} fetches the missing ones from the history.
   */
  static final class Connection {
    /** Connected without a resume token: the first frame sets where the sequence stands. */
    static final long NO_BASELINE = -1;
    final String tenant;
    final String learnerId;
    private final Consumer<Frame> sink;
    private final BiConsumer<Connection, Long> fillGap;
    private long lastSeq;
    private boolean replaying;
    private final List<Frame> heldBack = new ArrayList<>();

    Connection(String tenant, String learnerId, long since, boolean replaying, Consumer<Frame> sink,
               BiConsumer<Connection, Long> fillGap) {
      this.tenant = tenant;
      this.learnerId = learnerId;
      this.lastSeq = replaying ? since : NO_BASELINE;
      this.replaying = replaying;
      this.sink = sink;
      this.fillGap = fillGap;
    }

    void deliver(Frame frame) {
      if (replaying) {
        heldBack.add(frame);
        return;
      }
      long seq = frame.seq();
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
    void finishReplay(List<Frame> history) {
      List<Frame> frames = new ArrayList<>(history);
      frames.addAll(heldBack);
      heldBack.clear();
      frames.sort(Comparator.comparingLong(Frame::seq));
      replaying = false;
      frames.forEach(f -> send(f, f.seq()));
    }

    private void send(Frame frame, long seq) {
      if (lastSeq == NO_BASELINE || seq > lastSeq) {
        lastSeq = seq;
        sink.accept(frame);
      }
    }
  }

  /** Tenant ids have no '/': the first one ends the tenant. */
  private static String key(String tenant, String learnerId) {
    return tenant + "/" + learnerId;
  }

  void add(Connection c) {
    byLearner.computeIfAbsent(key(c.tenant, c.learnerId), k -> new LinkedHashSet<>()).add(c);
  }

  void remove(Connection c) {
    String key = key(c.tenant, c.learnerId);
    Set<Connection> set = byLearner.get(key);
    if (set != null) {
      set.remove(c);
      if (set.isEmpty()) {
        byLearner.remove(key);
      }
    }
  }

  /** Whether this learner of {@code tenant} has a connection on this instance. */
  boolean serves(String tenant, String learnerId) {
    return byLearner.containsKey(key(tenant, learnerId));
  }

  /**
   * To the connections of this learner of {@code tenant} on this instance, if any: only then is its
   * frame rendered. A learner of another tenant with the same learnerId gets nothing of it.
   */
  void publish(String tenant, Notification notification) {
    Set<Connection> set = byLearner.get(key(tenant, notification.learnerId()));
    if (set != null) {
      Frame frame = Frame.of(notification);
      List.copyOf(set).forEach(c -> c.deliver(frame));
    }
  }

  int size() {
    return byLearner.values().stream().mapToInt(Set::size).sum();
  }
}
