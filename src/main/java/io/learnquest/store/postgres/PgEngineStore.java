package io.learnquest.store.postgres;

import io.learnquest.bus.Failure;
import io.learnquest.bus.JsonMapping;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.store.AppendResult;
import io.learnquest.store.BoardTotal;
import io.learnquest.store.EventLog;
import io.learnquest.store.GroupCommitter;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.QuarantinedEvent;
import io.learnquest.store.StoredEvent;
import io.vertx.pgclient.PgException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log and learner store on PostgreSQL, the durable truth. Appends and commits are
 * group-committed: concurrent requests from many learners share one transaction of set-based
 * statements, while each learner's effects still commit together or not at all.
 */
public final class PgEngineStore implements EventLog, LearnerStore {
  private static final Logger LOG = LoggerFactory.getLogger(PgEngineStore.class);
  /** Applications: two groups at a time, so one commits while the next gathers. */
  static final int MAX_IN_FLIGHT = 2;
  /**
   * Appends: one group at a time. An append is one short statement, so the next group waits
   * little, and gathers twice the events: half the commits, each a WAL flush, at the same rate.
   */
  static final int APPENDS_IN_FLIGHT = 1;
  /**
   * Reads: one group at a time. A read takes a fraction of a millisecond, so waiting for the one in
   * flight costs little, and under load its followers then go as one statement instead of two
   * small ones (fewer statements for PostgreSQL, on a machine whose cores it shares).
   */
  static final int READS_IN_FLIGHT = 1;

  private final Pool pool;
  /** Pipelined client for single statements; the pool is kept for transactions. */
  private final SqlClient client;
  private final Clock clock;
  private final int notificationHistory;
  private final GroupCommitter<Append, List<AppendResult>> appends;
  private final GroupCommitter<EventApplication, Committed> commits;
  /** Per-learner reads of many learners at once, one statement each group. */
  private final GroupCommitter<PendingRead, List<StoredEvent>> pendingReads;
  private final GroupCommitter<EarnedQuery, Boolean> earnedReads;
  private final GroupCommitter<String, Optional<Learner>> learnerReads;

  private record PendingRead(String learnerId, int limit) {
  }

  private record EarnedQuery(String learnerId, String type, String objectId) {
  }

  /** One append call: its events stay together, in order, in one statement. */
  private record Append(List<LearningEvent> events, String replyTo) {
  }

  /** One application's fate within a group commit: its new board totals, or why it failed. */
  private record Committed(Map<String, Long> totals, Throwable failure) {
  }

  public PgEngineStore(Pool pool, SqlClient client, Clock clock, int notificationHistory, int groupCommitMax) {
    this.pool = pool;
    this.client = client;
    this.clock = clock;
    this.notificationHistory = notificationHistory;
    // A call may carry a whole batch (up to 1000 events): an append is limited in events, not calls.
    this.appends = new GroupCommitter<>(groupCommitMax, call -> call.events().size(), APPENDS_IN_FLIGHT,
        this::appendBatch);
    this.commits = new GroupCommitter<>(groupCommitMax, MAX_IN_FLIGHT, this::commitBatch);
    this.pendingReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::pendingBatch);
    this.earnedReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::earnedBatch);
    this.learnerReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::learnerBatch);
  }

  // ---------------------------------------------------------------- event log

  @Override
  public Future<List<AppendResult>> append(List<LearningEvent> events, String replyTo) {
    return appends.submit(new Append(events, replyTo));
  }

  /** One statement inserts every call of the group; ids it did not insert are duplicates. */
  private Future<List<List<AppendResult>>> appendBatch(List<Append> calls) {
    List<LearningEvent> batch = new ArrayList<>();
    List<String> replies = new ArrayList<>();
    for (Append call : calls) {
      batch.addAll(call.events());
      call.events().forEach(e -> replies.add(call.replyTo()));
    }
    return insertEvents(batch, replies).map(results -> {
      List<List<AppendResult>> perCall = new ArrayList<>(calls.size());
      int from = 0;
      for (Append call : calls) {
        perCall.add(results.subList(from, from + call.events().size()));
        from += call.events().size();
      }
      return perCall;
    });
  }

  private Future<List<AppendResult>> insertEvents(List<LearningEvent> batch, List<String> replies) {
    int n = batch.size();
    String[] ids = new String[n];
    String[] learners = new String[n];
    String[] payloads = new String[n];
    String[] acceptedAt = new String[n];
    String[] replyTo = new String[n];
    String now = clock.instant().toString();
    for (int i = 0; i < n; i++) {
      LearningEvent e = batch.get(i);
      ids[i] = e.eventId();
      learners[i] = e.learnerId();
      payloads[i] = JsonMapping.toJson(e).encode();
      acceptedAt[i] = now;
      replyTo[i] = replies.get(i);
    }
    return guard(client.preparedQuery(Sql.APPEND_EVENTS).execute(Tuple.of(ids, learners, payloads, acceptedAt,
            replyTo)))
        .compose(inserted -> {
          Set<String> fresh = new HashSet<>();
          inserted.forEach(row -> fresh.add(row.getString("event_id")));
          List<String> duplicates = new ArrayList<>();
          for (String id : ids) {
            if (!fresh.contains(id)) {
              duplicates.add(id);
            }
          }
          Future<Map<String, StoredEvent>> existing = duplicates.isEmpty() ? Future.succeededFuture(Map.of())
              : client.preparedQuery(Sql.EVENTS_BY_ID).execute(Tuple.of(duplicates.toArray(String[]::new)))
                  .map(rows -> {
                    Map<String, StoredEvent> byId = new HashMap<>();
                    rows.forEach(row -> {
                      StoredEvent s = storedEvent(row);
                      byId.put(s.event().eventId(), s);
                    });
                    return byId;
                  })
                  // The new events are committed already: answer them, and duplicates without outcome.
                  .otherwise(e -> Map.of());
          return existing.map(byId -> {
            List<AppendResult> results = new ArrayList<>(n);
            Map<String, LearningEvent> claimedBy = new HashMap<>();
            for (int i = 0; i < n; i++) {
              // Of two items with one id in the group, the first is the accepted one, and the one a
              // later item is compared with.
              boolean accepted = fresh.contains(ids[i]) && claimedBy.putIfAbsent(ids[i], batch.get(i)) == null;
              StoredEvent first = accepted ? null : byId.get(ids[i]);
              if (!accepted && first == null) {
                first = new StoredEvent(0, claimedBy.getOrDefault(ids[i], batch.get(i)), clock.instant(), null, null);
              }
              results.add(new AppendResult(ids[i], accepted, first));
            }
            return results;
          });
        });
  }

  @Override
  public Future<Optional<StoredEvent>> event(String eventId) {
    return guard(client.preparedQuery(Sql.EVENTS_BY_ID).execute(Tuple.of(new String[] {eventId}))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(storedEvent(rows.iterator().next()))));
  }

  @Override
  public Future<List<StoredEvent>> pending(String learnerId, int limit) {
    return pendingReads.submit(new PendingRead(learnerId, limit));
  }

  private Future<List<List<StoredEvent>>> pendingBatch(List<PendingRead> reads) {
    String[] ids = reads.stream().map(PendingRead::learnerId).distinct().toArray(String[]::new);
    int limit = reads.stream().mapToInt(PendingRead::limit).max().orElse(1);
    return guard(client.preparedQuery(Sql.PENDING_FOR_LEARNERS).execute(Tuple.of(ids, limit)).map(rows -> {
      Map<String, List<StoredEvent>> byLearner = new HashMap<>();
      rows.forEach(row -> byLearner.computeIfAbsent(row.getString("learner_id"), k -> new ArrayList<>())
          .add(storedEvent(row)));
      return reads.stream().map(read -> {
        List<StoredEvent> all = byLearner.getOrDefault(read.learnerId(), List.of());
        return all.size() <= read.limit() ? all : all.subList(0, read.limit());
      }).toList();
    }));
  }

  @Override
  public Future<List<String>> learnersWithPending(Instant acceptedBefore, int limit) {
    OffsetDateTime before = acceptedBefore == null ? null : acceptedBefore.atOffset(ZoneOffset.UTC);
    return guard(client.preparedQuery(Sql.LEARNERS_WITH_PENDING).execute(Tuple.of(limit, before))
        .map(PgEngineStore::strings));
  }

  @Override
  public Future<Boolean> quarantine(String eventId, String reason, int attempts) {
    return guard(client.preparedQuery(Sql.QUARANTINE)
        .execute(Tuple.of(eventId, reason, attempts, clock.instant().atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<List<QuarantinedEvent>> quarantined(int limit) {
    return guard(client.preparedQuery(Sql.QUARANTINED).execute(Tuple.of(limit)).map(rows -> {
      List<QuarantinedEvent> list = new ArrayList<>();
      rows.forEach(row -> list.add(quarantinedEvent(row)));
      return list;
    }));
  }

  @Override
  public Future<Long> quarantinedCount() {
    return guard(client.query(Sql.QUARANTINED_COUNT).execute().map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Optional<QuarantinedEvent>> requeue(String eventId) {
    return guard(pool.preparedQuery(Sql.REQUEUE).execute(Tuple.of(eventId)).map(PgEngineStore::firstQuarantined));
  }

  @Override
  public Future<Optional<QuarantinedEvent>> discard(String eventId) {
    return guard(pool.preparedQuery(Sql.DISCARD).execute(Tuple.of(eventId, clock.instant().atOffset(ZoneOffset.UTC)))
        .map(PgEngineStore::firstQuarantined));
  }

  private static Optional<QuarantinedEvent> firstQuarantined(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(quarantinedEvent(rows.iterator().next()));
  }

  private static QuarantinedEvent quarantinedEvent(Row row) {
    return new QuarantinedEvent(row.getLong("seq"), row.getString("event_id"), row.getString("learner_id"),
        row.getString("reason"), row.getInteger("attempts"), row.getOffsetDateTime("quarantined_at").toInstant());
  }

  @Override
  public Future<Long> pendingCount() {
    return guard(client.preparedQuery(Sql.PENDING_COUNT).execute().map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Long> boardTotalCount() {
    return guard(client.preparedQuery(Sql.BOARD_TOTAL_COUNT).execute()
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Long> pendingCount(long atMost) {
    return guard(client.preparedQuery(Sql.PENDING_COUNT_UP_TO).execute(Tuple.of(atMost))
        .map(rows -> rows.iterator().next().getLong("n")));
  }

  private static StoredEvent storedEvent(Row row) {
    LearningEvent event = JsonMapping.fromJson(new JsonObject(row.getValue("payload").toString()), LearningEvent.class);
    Object outcome = row.getValue("outcome");
    return new StoredEvent(row.getLong("seq"), event, row.getOffsetDateTime("accepted_at").toInstant(),
        row.getString("reply_to"),
        outcome == null ? null : JsonMapping.fromJson(new JsonObject(outcome.toString()), Outcome.class));
  }

  // ---------------------------------------------------------------- learners

  @Override
  public Future<Optional<Learner>> learner(String learnerId) {
    return learnerReads.submit(learnerId);
  }

  /** Learners not in a node's cache (new ones, above all) are read many at a time. */
  private Future<List<Optional<Learner>>> learnerBatch(List<String> ids) {
    return guard(client.preparedQuery(Sql.LEARNERS_BY_ID).execute(Tuple.of(ids.toArray(String[]::new)))
        .map(rows -> {
          Map<String, Learner> byId = new HashMap<>();
          rows.forEach(row -> byId.put(row.getString("learner_id"),
              JsonMapping.fromJson(new JsonObject(row.getValue("doc").toString()), Learner.class)));
          return ids.stream().map(id -> Optional.ofNullable(byId.get(id))).toList();
        }));
  }

  @Override
  public Future<Boolean> hasEarned(String learnerId, String type, String objectId) {
    return earnedReads.submit(new EarnedQuery(learnerId, type, objectId));
  }

  private Future<List<Boolean>> earnedBatch(List<EarnedQuery> queries) {
    Tuple args = Tuple.of(queries.stream().map(EarnedQuery::learnerId).toArray(String[]::new),
        queries.stream().map(EarnedQuery::type).toArray(String[]::new),
        queries.stream().map(EarnedQuery::objectId).toArray(String[]::new));
    return guard(client.preparedQuery(Sql.EARNED_AMONG).execute(args).map(rows -> {
      Set<EarnedQuery> found = new HashSet<>();
      rows.forEach(row -> found.add(new EarnedQuery(row.getString("learner_id"), row.getString("type"),
          row.getString("object_id"))));
      return queries.stream().map(found::contains).toList();
    }));
  }

  @Override
  public Future<Map<String, Long>> commit(EventApplication application) {
    return commits.submit(application).compose(c -> c.failure() == null
        ? Future.succeededFuture(c.totals()) : Future.failedFuture(c.failure()));
  }

  /**
   * Commits a group in one transaction. If any member's guard fails (stale version, event already
   * applied) the group is rolled back and each member is retried alone, so only that member fails.
   */
  private Future<List<Committed>> commitBatch(List<EventApplication> batch) {
    return transaction(batch).map(totals -> totals.stream().map(t -> new Committed(t, null)).toList())
        .recover(error -> {
          if (batch.size() == 1) {
            return Future.succeededFuture(List.of(new Committed(null, error)));
          }
          List<Future<Committed>> alone = batch.stream()
              .map(app -> transaction(List.of(app)).map(t -> new Committed(t.get(0), null))
                  .otherwise(e -> new Committed(null, e)))
              .toList();
          return Future.join(alone).map(v -> alone.stream().map(Future::result).toList());
        });
  }

  private Future<List<Map<String, Long>>> transaction(List<EventApplication> batch) {
    return guard(pool.withTransaction(conn -> write(conn, batch)));
  }

  /** All statements of the group, pipelined on one connection; guards are checked on their counts. */
  private Future<List<Map<String, Long>>> write(SqlConnection conn, List<EventApplication> batch) {
    Rows rows = new Rows(batch, notificationHistory);
    List<Future<?>> steps = new ArrayList<>();
    Future<RowSet<Row>> marked = rows.markApplied.isEmpty() ? null
        : conn.preparedQuery(Sql.MARK_APPLIED).execute(rows.markApplied.tuple());
    Future<RowSet<Row>> inserted = rows.newLearners.isEmpty() ? null
        : conn.preparedQuery(Sql.INSERT_LEARNERS).execute(rows.newLearners.tuple());
    Future<RowSet<Row>> updated = rows.updatedLearners.isEmpty() ? null
        : conn.preparedQuery(Sql.UPDATE_LEARNERS).execute(rows.updatedLearners.tuple());
    for (Future<RowSet<Row>> f : java.util.Arrays.asList(marked, inserted, updated)) {
      if (f != null) {
        steps.add(f);
      }
    }
    rows.others().forEach((sql, tuple) -> steps.add(conn.preparedQuery(sql).execute(tuple)));
    Future<RowSet<Row>> boards = rows.boardXp.isEmpty() ? null
        : conn.preparedQuery(Sql.ADD_BOARD_XP).execute(rows.boardXp.tuple());
    if (boards != null) {
      steps.add(boards);
    }
    return Future.all(steps).compose(v -> {
      int expectedMarks = rows.markApplied.size();
      int expectedLearners = rows.newLearners.size() + rows.updatedLearners.size();
      int marks = marked == null ? 0 : marked.result().rowCount();
      int learners = (inserted == null ? 0 : inserted.result().rowCount())
          + (updated == null ? 0 : updated.result().rowCount());
      if (marks != expectedMarks || learners != expectedLearners) {
        return Future.failedFuture(Failure.CONFLICT.exception(ErrorCodes.CONFLICT,
            "an event was already applied or a learner changed concurrently", null));
      }
      Map<String, Map<String, Long>> totalsByLearner = new HashMap<>();
      if (boards != null) {
        boards.result().forEach(row -> totalsByLearner
            .computeIfAbsent(row.getString("learner_id"), k -> new LinkedHashMap<>())
            .put(row.getString("board"), row.getLong("xp")));
      }
      return Future.succeededFuture(batch.stream()
          .map(app -> app.boardIncrements().isEmpty() ? Map.<String, Long>of()
              : totalsByLearner.getOrDefault(app.after().learnerId(), Map.of()))
          .toList());
    });
  }

  @Override
  public Future<List<LedgerEntry>> ledger(String learnerId, int limit) {
    return guard(client.preparedQuery(Sql.LEDGER).execute(Tuple.of(learnerId, limit)).map(rows -> {
      List<LedgerEntry> list = new ArrayList<>();
      rows.forEach(r -> list.add(new LedgerEntry(r.getString("event_id"), r.getString("activity"),
          r.getLong("base_xp"), r.getInteger("multiplier_pct"), r.getLong("xp"), r.getString("reason"),
          instant(r, "at"))));
      return list;
    }));
  }

  @Override
  public Future<List<BadgeAward>> badges(String learnerId) {
    return guard(client.preparedQuery(Sql.BADGES).execute(Tuple.of(learnerId)).map(rows -> {
      List<BadgeAward> list = new ArrayList<>();
      rows.forEach(r -> list.add(new BadgeAward(r.getString("badge_id"), r.getString("name"), r.getString("tier"),
          instant(r, "awarded_at"), r.getString("event_id"))));
      return list;
    }));
  }

  @Override
  public Future<List<Transition>> transitions(String learnerId) {
    return guard(client.preparedQuery(Sql.TRANSITIONS).execute(Tuple.of(learnerId)).map(rows -> {
      List<Transition> list = new ArrayList<>();
      rows.forEach(r -> list.add(new Transition(ProgressionState.valueOf(r.getString("from_state")),
          ProgressionState.valueOf(r.getString("to_state")), r.getString("event"), r.getString("event_id"),
          instant(r, "at"))));
      return list;
    }));
  }

  @Override
  public Future<List<FlagEntry>> flags(String learnerId, int limit) {
    return guard(client.preparedQuery(Sql.FLAGS).execute(Tuple.of(learnerId, limit)).map(PgEngineStore::flagEntries));
  }

  @Override
  public Future<List<FlagEntry>> flagsAfter(long afterFlagId, int limit) {
    return guard(client.preparedQuery(Sql.FLAGS_AFTER).execute(Tuple.of(afterFlagId, limit))
        .map(PgEngineStore::flagEntries));
  }

  private static List<FlagEntry> flagEntries(RowSet<Row> rows) {
    List<FlagEntry> list = new ArrayList<>();
    rows.forEach(r -> list.add(new FlagEntry(r.getLong("flag_id"), r.getString("learner_id"), r.getString("event_id"),
        r.getString("rule"), r.getString("detail"), instant(r, "at"))));
    return list;
  }

  @Override
  public Future<List<Notification>> notificationsAfter(String learnerId, long afterSeq, int limit) {
    return guard(client.preparedQuery(Sql.NOTIFICATIONS_AFTER).execute(Tuple.of(learnerId, afterSeq, limit)).map(rows -> {
      List<Notification> list = new ArrayList<>();
      rows.forEach(r -> list.add(new Notification(r.getLong("seq"), r.getString("type"), learnerId,
          r.getString("event_id"), instant(r, "at"), new JsonObject(r.getValue("data").toString()).getMap())));
      return list;
    }));
  }

  @Override
  public Future<List<String>> idleLearners(Instant activeIdleSince, Instant atRiskIdleSince, int limit) {
    return guard(client.preparedQuery(Sql.IDLE_LEARNERS)
        .execute(Tuple.of(activeIdleSince.atOffset(ZoneOffset.UTC), atRiskIdleSince.atOffset(ZoneOffset.UTC), limit))
        .map(PgEngineStore::strings));
  }

  @Override
  public Future<List<BoardTotal>> boardTotals(BoardTotal after, int limit) {
    Future<RowSet<Row>> page = after == null
        ? client.preparedQuery(Sql.BOARD_TOTALS_FIRST).execute(Tuple.of(limit))
        : client.preparedQuery(Sql.BOARD_TOTALS_AFTER).execute(Tuple.of(after.board(), after.learnerId(), limit));
    return guard(page.map(rows -> {
      List<BoardTotal> totals = new ArrayList<>(rows.size());
      rows.forEach(r -> totals.add(new BoardTotal(r.getString("board"), r.getString("learner_id"), r.getLong("xp"))));
      return totals;
    }));
  }

  @Override
  public Future<Void> ping() {
    return guard(client.query("SELECT 1").execute().mapEmpty());
  }

  /** Any failure of the database becomes the coded "store unavailable" (503) failure. */
  static <T> Future<T> guard(Future<T> query) {
    return query.recover(e -> Future.failedFuture(e instanceof Failure.EngineException ? e : storeFailure(e)));
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  private static List<String> strings(RowSet<Row> rows) {
    List<String> list = new ArrayList<>();
    rows.forEach(r -> list.add(r.getString(0)));
    return list;
  }

  /**
   * SQLState classes meaning "this data can never be written": 22 (data exception: a value out of
   * range, a character the encoding refuses, bad JSON), 23 (integrity constraint violation) and 54
   * (program limit exceeded, e.g. a row too big for an index). Everything else (connections,
   * timeouts, serialization failures, resources, and our own SQL bugs) may pass if tried again.
   */
  static boolean refusedForGood(String sqlState) {
    return sqlState != null && (sqlState.startsWith("22") || sqlState.startsWith("23") || sqlState.startsWith("54"));
  }

  private static Failure.EngineException storeFailure(Throwable e) {
    if (e instanceof PgException pg && refusedForGood(pg.getSqlState())) {
      LOG.warn("PostgreSQL refused the data: {}", e.toString());
      return Failure.STORE_REFUSED.exception(ErrorCodes.STORE_REFUSED,
          "the durable store refused the data (SQLState " + pg.getSqlState() + "): " + pg.getErrorMessage(), null);
    }
    LOG.warn("PostgreSQL failed: {}", e.toString());
    return Failure.STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
        "the durable store is unavailable; retry later", null);
  }
}
