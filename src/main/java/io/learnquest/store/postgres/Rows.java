package io.learnquest.store.postgres;

import io.learnquest.bus.JsonMapping;
import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a group of applications writes, as the parallel arrays the {@code unnest} statements of
 * {@link Sql} take. Instants and JSON travel as text and are cast in SQL.
 */
final class Rows {
  final Columns markApplied = new Columns(String.class, String.class);
  final Columns newLearners = new Columns(String.class, Long.class, String.class, Long.class, String.class,
      String.class);
  final Columns updatedLearners = new Columns(String.class, Long.class, Long.class, String.class, Long.class,
      String.class, String.class);
  final Columns earned = new Columns(String.class, String.class, String.class);
  final Columns ledger = new Columns(String.class, String.class, String.class, Long.class, Integer.class, Long.class,
      String.class, String.class);
  final Columns badges = new Columns(String.class, String.class, String.class, String.class, String.class,
      String.class);
  final Columns transitions = new Columns(String.class, String.class, String.class, String.class, String.class,
      String.class);
  final Columns notifications = new Columns(String.class, Long.class, String.class, String.class, String.class,
      String.class);
  final Columns flags = new Columns(String.class, String.class, String.class, String.class, String.class);
  final Columns trim = new Columns(String.class, Long.class);
  final Columns boardXp = new Columns(String.class, String.class, Long.class);

  Rows(List<EventApplication> batch, int notificationHistory) {
    for (EventApplication app : batch) {
      Learner l = app.after();
      String id = l.learnerId();
      if (app.eventId() != null) {
        markApplied.add(app.eventId(), JsonMapping.toJson(app.outcome()).encode());
      }
      String doc = JsonMapping.toJson(l).encode();
      String lastActivity = l.lastActivityAt() == null ? null : l.lastActivityAt().toString();
      if (app.expectedVersion() == 0) {
        newLearners.add(id, l.version(), l.state().name(), l.xp(), lastActivity, doc);
      } else {
        updatedLearners.add(id, app.expectedVersion(), l.version(), l.state().name(), l.xp(), lastActivity, doc);
      }
      if (app.earnedObject() != null) {
        earned.add(id, app.earnedObject().type(), app.earnedObject().objectId());
      }
      for (LedgerEntry e : app.ledger()) {
        ledger.add(id, e.eventId(), e.activity(), e.baseXp(), e.multiplierPct(), e.xp(), e.reason(), e.at().toString());
      }
      for (BadgeAward b : app.awards()) {
        badges.add(id, b.badgeId(), b.name(), b.tier(), b.awardedAt().toString(), b.eventId());
      }
      for (Transition t : app.transitions()) {
        transitions.add(id, t.from().name(), t.to().name(), t.event(), t.eventId(), t.at().toString());
      }
      for (Flag f : app.flags()) {
        flags.add(id, app.eventId(), f.rule(), f.detail(), f.at().toString());
      }
      for (Notification n : app.notifications()) {
        notifications.add(id, n.seq(), n.type(), n.eventId(), n.at().toString(), new JsonObject(n.data()).encode());
      }
      long keepAbove = l.notificationSeq() - notificationHistory;
      if (!app.notifications().isEmpty() && keepAbove > 0) { // seqs start at 1: below that, nothing to trim
        trim.add(id, keepAbove);
      }
      app.boardIncrements().forEach((board, xp) -> boardXp.add(board, id, xp));
    }
  }

  /** The statements whose counts need no checking, in the order they run. */
  Map<String, Tuple> others() {
    Map<String, Tuple> statements = new LinkedHashMap<>();
    put(statements, Sql.INSERT_EARNED, earned);
    put(statements, Sql.INSERT_LEDGER, ledger);
    put(statements, Sql.INSERT_BADGES, badges);
    put(statements, Sql.INSERT_TRANSITIONS, transitions);
    put(statements, Sql.INSERT_FLAGS, flags);
    put(statements, Sql.INSERT_NOTIFICATIONS, notifications);
    put(statements, Sql.TRIM_NOTIFICATIONS, trim);
    return statements;
  }

  private static void put(Map<String, Tuple> statements, String sql, Columns columns) {
    if (!columns.isEmpty()) {
      statements.put(sql, columns.tuple());
    }
  }

  /** Parallel arrays, one per column, growing a row at a time. */
  static final class Columns {
    private final Class<?>[] types;
    private final List<List<Object>> values = new ArrayList<>();

    Columns(Class<?>... types) {
      this.types = types;
      for (int i = 0; i < types.length; i++) {
        values.add(new ArrayList<>());
      }
    }

    void add(Object... row) {
      for (int i = 0; i < row.length; i++) {
        values.get(i).add(row[i]);
      }
    }

    int size() {
      return values.get(0).size();
    }

    boolean isEmpty() {
      return size() == 0;
    }

    Tuple tuple() {
      Tuple tuple = Tuple.tuple();
      for (int i = 0; i < types.length; i++) {
        // An array of the column's own type (String[], Long[]...), which the client binds as such.
        tuple.addValue(values.get(i).toArray((Object[]) Array.newInstance(types[i], size())));
      }
      return tuple;
    }
  }
}
