package io.learnquest.store.postgres;

import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.learnquest.json.JsonMapping;
import io.learnquest.time.Instants;
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
  final Columns markApplied = new Columns(String.class, String.class, String.class);
  final Columns newLearners = new Columns(String.class, String.class, Long.class, String.class, Long.class,
      String.class, String.class);
  final Columns updatedLearners = new Columns(String.class, String.class, Long.class, Long.class, String.class,
      Long.class, String.class, String.class);
  final Columns earned = new Columns(String.class, String.class, String.class, String.class);
  final Columns ledger = new Columns(String.class, String.class, String.class, String.class, Long.class,
      Integer.class, Long.class, String.class, String.class);
  final Columns badges = new Columns(String.class, String.class, String.class, String.class, String.class,
      String.class, String.class);
  final Columns transitions = new Columns(String.class, String.class, String.class, String.class, String.class,
      String.class, String.class);
  final Columns notifications = new Columns(String.class, String.class, Long.class, String.class);
  final Columns flags = new Columns(String.class, String.class, String.class, String.class, String.class,
      String.class);
  final Columns trim = new Columns(String.class, String.class, Long.class);
  /** How many of a learner's newest notifications the history keeps. */
  private final int notificationHistory;

  /**
   * One learner's consecutive applications, the learner's tenant, and the applications' outcomes
   * as JSON, one per application (null: encoded here).
   */
  record Chain(String tenant, List<EventApplication> apps, List<String> outcomesJson) {
    Chain {
      if (outcomesJson != null && outcomesJson.size() != apps.size()) {
        throw new IllegalArgumentException(outcomesJson.size() + " outcomes for " + apps.size() + " applications");
      }
    }

    private String outcomeJson(int i) {
      return outcomesJson != null ? outcomesJson.get(i) : JsonMapping.encode(apps.get(i).outcome());
    }
  }

  /**
   * {@code batch}: chains, each one learner's consecutive applications. A chain writes its
   * learner once (its last state, with its board totals, guarded by the version the first was
   * computed from), so one statement never touches a row twice.
   */
  Rows(List<Chain> batch, int notificationHistory) {
    this.notificationHistory = notificationHistory;
    for (Chain c : batch) {
      String t = c.tenant();
      List<EventApplication> chain = c.apps();
      EventApplication first = chain.get(0);
      Learner l = chain.get(chain.size() - 1).after();
      String id = l.learnerId();
      String doc = JsonMapping.encode(l);
      String lastActivity = l.lastActivityAt() == null ? null : Instants.text(l.lastActivityAt());
      if (first.expectedVersion() == 0) {
        newLearners.add(t, id, l.version(), l.state().name(), l.xp(), lastActivity, doc);
      } else {
        updatedLearners.add(t, id, first.expectedVersion(), l.version(), l.state().name(), l.xp(), lastActivity, doc);
      }
      List<Notification> notified = new ArrayList<>();
      for (int i = 0; i < chain.size(); i++) {
        EventApplication app = chain.get(i);
        add(t, id, app, app.eventId() != null ? c.outcomeJson(i) : null);
        notified.addAll(app.notifications());
      }
      addNotifications(t, id, notified);
    }
  }

  /** The rows of one application but its learner's, which its chain writes once. */
  private void add(String t, String id, EventApplication app, String outcomeJson) {
    if (app.eventId() != null) {
      markApplied.add(t, app.eventId(), outcomeJson);
    }
    if (app.earnedObject() != null) {
      earned.add(t, id, app.earnedObject().type(), app.earnedObject().objectId());
    }
    for (LedgerEntry e : app.ledger()) {
      ledger.add(t, id, e.eventId(), e.activity(), e.baseXp(), e.multiplierPct(), e.xp(), e.reason(),
          Instants.text(e.at()));
    }
    for (BadgeAward b : app.awards()) {
      badges.add(t, id, b.badgeId(), b.name(), b.tier(), Instants.text(b.awardedAt()), b.eventId());
    }
    for (Transition tr : app.transitions()) {
      transitions.add(t, id, tr.from().name(), tr.to().name(), tr.event(), tr.eventId(), Instants.text(tr.at()));
    }
    for (Flag f : app.flags()) {
      flags.add(t, id, app.eventId(), f.rule(), f.detail(), Instants.text(f.at()));
    }
  }

  /**
   * A learner's notifications of one commit as one row, their JSON array keyed by the last one's
   * seq (the learner's newest); and, when the history is full, the trim of the rows all older than
   * what it keeps.
   */
  void addNotifications(String t, String id, List<Notification> added) {
    if (added.isEmpty()) {
      return;
    }
    long newest = added.get(added.size() - 1).seq();
    notifications.add(t, id, newest, JsonMapping.encode(added));
    long keepAbove = newest - notificationHistory;
    if (keepAbove > 0) { // seqs start at 1: below that, nothing to trim
      trim.add(t, id, keepAbove);
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
