package io.learnquest.store.postgres;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.VoidApplication;
import io.learnquest.domain.learner.VoidRecord;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.json.JsonMapping;
import io.learnquest.store.AppendResult;
import io.learnquest.store.BoardTotal;
import io.learnquest.store.BoardTotalPage;
import io.learnquest.store.EventLog;
import io.learnquest.store.EventRef;
import io.learnquest.store.GroupCommitter;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.LedgerPage;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.QuarantinedEvent;
import io.learnquest.store.StoreException;
import io.learnquest.store.StoredEvent;
import io.vertx.pgclient.PgException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
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

  /** The SQLSTATE of a guard that failed ({@code lq_guard}, migration V11). */
  static final String GUARD_FAILED = "LQ409";

  private final Pool pool;
  /** Pipelined client for single statements; the pool is kept for transactions. */
  private final SqlClient client;
  private final Clock clock;
  private final int notificationHistory;
  private final GroupCommitter<Append, List<AppendResult>> appends;
  /**
   * Each member a chain: one learner's consecutive applications (most often just one), with its
   * tenant; answered with why it failed, if it did.
   */
  private final GroupCommitter<Rows.Chain, Optional<Throwable>> commits;
  /** Per-learner reads of many learners at once, one statement each group. */
  private final GroupCommitter<PendingRead, List<StoredEvent>> pendingReads;
  private final GroupCommitter<EarnedQuery, Boolean> earnedReads;
  private final GroupCommitter<EarnedOf, Optional<List<EventApplication.EarnedObject>>> earnedOfReads;
  private final GroupCommitter<LearnerRef, Optional<Learner>> learnerReads;
  /** Events by id (outcome polls of waiting requests, duplicates), many at a time. */
  private final GroupCommitter<EventRef, Optional<StoredEvent>> eventReads;

  private record PendingRead(String tenant, String learnerId, int limit) {
  }

  private record EarnedQuery(String tenant, String learnerId, String type, String objectId) {
  }

  private record EarnedOf(String tenant, String learnerId, int atMost) {
  }

  /** One append call: its events stay together, in order, in one statement. */
  private record Append(String tenant, List<LearningEvent> events, String replyTo) {
  }

  public PgEngineStore(Pool pool, SqlClient client, Clock clock, int notificationHistory, int groupCommitMax) {
    this.pool = pool;
    this.client = client;
    this.clock = clock;
    this.notificationHistory = notificationHistory;
    // A call may carry a whole batch (up to 1000 events): an append is limited in events, not calls.
    this.appends = new GroupCommitter<>(groupCommitMax, call -> call.events().size(), APPENDS_IN_FLIGHT,
        this::appendBatch);
    // A group is limited in events, not chains.
    this.commits = new GroupCommitter<>(groupCommitMax, chain -> chain.apps().size(), MAX_IN_FLIGHT, this::commitBatch);
    this.pendingReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::pendingBatch);
    this.earnedReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::earnedBatch);
    this.earnedOfReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::earnedOfBatch);
    this.learnerReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::learnerBatch);
    this.eventReads = new GroupCommitter<>(groupCommitMax, READS_IN_FLIGHT, this::eventBatch);
  }

  // ---------------------------------------------------------------- event log

  @Override
  public Future<List<AppendResult>> append(String tenant, List<LearningEvent> events, String replyTo) {
    return appends.submit(new Append(tenant, events, replyTo));
  }

  /** One statement inserts every call of the group; ids it did not insert are duplicates. */
  private Future<List<List<AppendResult>>> appendBatch(List<Append> calls) {
    List<LearningEvent> batch = new ArrayList<>();
    List<String> tenants = new ArrayList<>();
    List<String> replies = new ArrayList<>();
    for (Append call : calls) {
      batch.addAll(call.events());
      call.events().forEach(e -> {
        tenants.add(call.tenant());
        replies.add(call.replyTo());
      });
    }
    return insertEvents(tenants, batch, replies).map(results -> {
      List<List<AppendResult>> perCall = new ArrayList<>(calls.size());
      int from = 0;
      for (Append call : calls) {
        perCall.add(results.subList(from, from + call.events().size()));
        from += call.events().size();
      }
      return perCall;
    });
  }

  private Future<List<AppendResult>> insertEvents(List<String> tenantOf, List<LearningEvent> batch,
                                                  List<String> replies) {
    int n = batch.size();
    String[] tenants = tenantOf.toArray(String[]::new);
    String[] ids = new String[n];
    String[] learners = new String[n];
    String[] payloads = new String[n];
    String[] acceptedAt = new String[n];
    String[] replyTo = new String[n];
    // as PostgreSQL keeps it, so that the pending event answered is the one the log holds
    Instant acceptedInstant = clock.instant().truncatedTo(ChronoUnit.MICROS);
    String now = acceptedInstant.toString();
    for (int i = 0; i < n; i++) {
      LearningEvent e = batch.get(i);
      ids[i] = e.eventId();
      learners[i] = e.learnerId();
      payloads[i] = JsonMapping.encode(e);
      acceptedAt[i] = now;
      replyTo[i] = replies.get(i);
    }
    return guard(client.preparedQuery(Sql.APPEND_EVENTS).execute(Tuple.of(tenants, ids, learners, payloads,
            acceptedAt, replyTo)))
        .compose(inserted -> {
          // each new event's seq and the seq pending before it, by (tenant, eventId)
          Map<EventRef, long[]> fresh = new HashMap<>();
          inserted.forEach(row -> fresh.put(new EventRef(row.getString("tenant_id"), row.getString("event_id")),
              new long[] {row.getLong("seq"), row.getLong("previous_seq")}));
          List<String> duplicateTenants = new ArrayList<>();
          List<String> duplicates = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            if (!fresh.containsKey(new EventRef(tenants[i], ids[i]))) {
              duplicateTenants.add(tenants[i]);
              duplicates.add(ids[i]);
            }
          }
          Future<Map<EventRef, StoredEvent>> existing = duplicates.isEmpty() ? Future.succeededFuture(Map.of())
              : client.preparedQuery(Sql.EVENTS_BY_ID).execute(pair(duplicateTenants.toArray(String[]::new),
                      duplicates.toArray(String[]::new)))
                  .map(rows -> {
                    Map<EventRef, StoredEvent> byId = new HashMap<>();
                    rows.forEach(row -> {
                      StoredEvent s = storedEvent(row);
                      byId.put(new EventRef(row.getString("tenant_id"), s.event().eventId()), s);
                    });
                    return byId;
                  })
                  // The new events are committed already: answer them, and duplicates without outcome.
                  .otherwise(e -> Map.of());
          return existing.map(byId -> {
            List<AppendResult> results = new ArrayList<>(n);
            Map<EventRef, LearningEvent> claimedBy = new HashMap<>();
            for (int i = 0; i < n; i++) {
              // Of two items with one id in the group, the first is the accepted one, and the one a
              // later item is compared with.
              EventRef eventKey = new EventRef(tenants[i], ids[i]);
              boolean accepted = fresh.containsKey(eventKey) && claimedBy.putIfAbsent(eventKey, batch.get(i)) == null;
              if (accepted) {
                long[] seqs = fresh.get(eventKey);
                results.add(AppendResult.accepted(new PendingEvent(
                    new StoredEvent(seqs[0], tenants[i], batch.get(i), acceptedInstant, replyTo[i], null), seqs[1])));
                continue;
              }
              StoredEvent first = byId.get(eventKey);
              if (first == null) {
                first = new StoredEvent(0, tenants[i], claimedBy.getOrDefault(eventKey, batch.get(i)), clock.instant(), null,
                    null);
              }
              results.add(AppendResult.duplicate(ids[i], first));
            }
            return results;
          });
        });
  }

  @Override
  public Future<Optional<StoredEvent>> event(String tenant, String eventId) {
    return eventReads.submit(new EventRef(tenant, eventId));
  }

  /**
   * Waiting requests ask for their event's outcome while the node is busy, hundreds a second:
   * one statement for all asked meanwhile, not one round trip each.
   */
  private Future<List<Optional<StoredEvent>>> eventBatch(List<EventRef> refs) {
    return readEach(Sql.EVENTS_BY_ID, refs, EventRef::tenant, EventRef::eventId, PgEngineStore::storedEvent,
        (row, stored) -> new EventRef(stored.tenant(), stored.event().eventId()));
  }

  /**
   * One statement for many (tenant, id) pairs, {@code refs} as its two array parameters: each row
   * read, keyed by the (tenant, id) it answers, and the answers in {@code refs}' order, empty where
   * no row came.
   */
  private <K, T> Future<List<Optional<T>>> readEach(String sql, List<K> refs, Function<K, String> tenantOf,
                                                    Function<K, String> idOf, Function<Row, T> read,
                                                    BiFunction<Row, T, K> keyOf) {
    return guard(client.preparedQuery(sql).execute(pair(
            refs.stream().map(tenantOf).toArray(String[]::new),
            refs.stream().map(idOf).toArray(String[]::new)))
        .map(rows -> {
          Map<K, T> byRef = new HashMap<>();
          rows.forEach(row -> {
            T value = read.apply(row);
            byRef.put(keyOf.apply(row, value), value);
          });
          return refs.stream().map(ref -> Optional.ofNullable(byRef.get(ref))).toList();
        }));
  }

  @Override
  public Future<List<StoredEvent>> appliedEvents(String tenant, String learnerId) {
    return guard(client.preparedQuery(Sql.APPLIED_EVENTS).execute(Tuple.of(learnerId, tenant)).map(rows -> {
      List<StoredEvent> list = new ArrayList<>(rows.size());
      rows.forEach(row -> list.add(storedEvent(row)));
      return list;
    }));
  }

  @Override
  public Future<List<StoredEvent>> pending(String tenant, String learnerId, int limit) {
    return pendingReads.submit(new PendingRead(tenant, learnerId, limit));
  }

  private Future<List<List<StoredEvent>>> pendingBatch(List<PendingRead> reads) {
    List<LearnerRef> learners = reads.stream().map(r -> new LearnerRef(r.tenant(), r.learnerId())).distinct().toList();
    String[] tenants = learners.stream().map(LearnerRef::tenant).toArray(String[]::new);
    String[] ids = learners.stream().map(LearnerRef::learnerId).toArray(String[]::new);
    int limit = reads.stream().mapToInt(PendingRead::limit).max().orElse(1);
    return guard(client.preparedQuery(Sql.PENDING_FOR_LEARNERS).execute(Tuple.of(tenants, ids, limit)).map(rows -> {
      Map<LearnerRef, List<StoredEvent>> byLearner = new HashMap<>();
      rows.forEach(row -> byLearner.computeIfAbsent(new LearnerRef(row.getString("tenant_id"),
              row.getString("learner_id")), k -> new ArrayList<>()).add(storedEvent(row)));
      return reads.stream().map(read -> {
        List<StoredEvent> all = byLearner.getOrDefault(new LearnerRef(read.tenant(), read.learnerId()), List.of());
        return all.size() <= read.limit() ? all : all.subList(0, read.limit());
      }).toList();
    }));
  }

  @Override
  public Future<List<LearnerRef>> learnersWithPending(Instant acceptedBefore, int limit) {
    OffsetDateTime before = acceptedBefore == null ? null : acceptedBefore.atOffset(ZoneOffset.UTC);
    return guard(client.preparedQuery(Sql.LEARNERS_WITH_PENDING).execute(Tuple.of(limit, before))
        .map(PgEngineStore::learnerRefs));
  }

  @Override
  public Future<Boolean> quarantine(String tenant, String eventId, String reason, int attempts) {
    return guard(client.preparedQuery(Sql.QUARANTINE)
        .execute(Tuple.of(eventId, reason, attempts, clock.instant().atOffset(ZoneOffset.UTC), tenant))
        .map(rows -> rows.rowCount() == 1));
  }

  @Override
  public Future<List<QuarantinedEvent>> quarantined(String tenant, int limit) {
    return guard(client.preparedQuery(Sql.QUARANTINED).execute(Tuple.of(tenant, limit)).map(rows -> {
      List<QuarantinedEvent> list = new ArrayList<>();
      rows.forEach(row -> list.add(quarantinedEvent(row)));
      return list;
    }));
  }

  @Override
  public Future<Long> quarantinedCount(String tenant) {
    return guard(client.preparedQuery(Sql.QUARANTINED_COUNT_OF).execute(Tuple.of(tenant))
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Long> quarantinedCount() {
    return guard(client.query(Sql.QUARANTINED_COUNT).execute().map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Optional<QuarantinedEvent>> requeue(String tenant, String eventId) {
    return guard(pool.preparedQuery(Sql.REQUEUE).execute(Tuple.of(tenant, eventId))
        .map(PgEngineStore::firstQuarantined));
  }

  @Override
  public Future<Optional<QuarantinedEvent>> discard(String tenant, String eventId) {
    return guard(pool.preparedQuery(Sql.DISCARD)
        .execute(Tuple.of(tenant, eventId, clock.instant().atOffset(ZoneOffset.UTC)))
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
  public Future<Long> boardLearnerCount(String tenant) {
    return guard(client.preparedQuery(Sql.LEARNERS_WITH_BOARDS_COUNT).execute(Tuple.of(tenant))
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<List<String>> tenantsWithBoards() {
    return guard(client.preparedQuery(Sql.TENANTS_WITH_BOARDS).execute().map(PgEngineStore::strings));
  }

  @Override
  public Future<Long> pendingCount(long atMost) {
    return guard(client.preparedQuery(Sql.PENDING_COUNT_UP_TO).execute(Tuple.of(atMost))
        .map(rows -> rows.iterator().next().getLong("n")));
  }

  private static StoredEvent storedEvent(Row row) {
    LearningEvent event = JsonMapping.fromJson(object(row.getValue("payload")), LearningEvent.class);
    Object outcome = row.getValue("outcome");
    return new StoredEvent(row.getLong("seq"), row.getString("tenant_id"), event, row.getOffsetDateTime("accepted_at").toInstant(),
        row.getString("reply_to"),
        outcome == null ? null : JsonMapping.fromJson(object(outcome), Outcome.class));
  }

  // ---------------------------------------------------------------- learners

  @Override
  public Future<Optional<Learner>> learner(String tenant, String learnerId) {
    return learnerReads.submit(new LearnerRef(tenant, learnerId));
  }

  /** Learners not in a node's cache (new ones, above all) are read many at a time. */
  private Future<List<Optional<Learner>>> learnerBatch(List<LearnerRef> refs) {
    return readEach(Sql.LEARNERS_BY_ID, refs, LearnerRef::tenant, LearnerRef::learnerId,
        row -> JsonMapping.fromJson(object(row.getValue("doc")), Learner.class),
        (row, learner) -> new LearnerRef(row.getString("tenant_id"), row.getString("learner_id")));
  }

  @Override
  public Future<Boolean> hasEarned(String tenant, String learnerId, String type, String objectId) {
    return earnedReads.submit(new EarnedQuery(tenant, learnerId, type, objectId));
  }

  @Override
  public Future<Optional<List<EventApplication.EarnedObject>>> earnedObjects(String tenant, String learnerId,
                                                                           int atMost) {
    return earnedOfReads.submit(new EarnedOf(tenant, learnerId, atMost));
  }

  /** One more row than allowed tells that there are more. */
  private Future<List<Optional<List<EventApplication.EarnedObject>>>> earnedOfBatch(List<EarnedOf> queries) {
    Tuple args = Tuple.of(queries.stream().map(EarnedOf::tenant).toArray(String[]::new),
        queries.stream().map(EarnedOf::learnerId).toArray(String[]::new),
        queries.stream().map(q -> q.atMost() + 1).toArray(Integer[]::new));
    return guard(client.preparedQuery(Sql.EARNED_OF).execute(args).map(rows -> {
      List<List<EventApplication.EarnedObject>> found = new ArrayList<>(queries.size());
      queries.forEach(q -> found.add(new ArrayList<>()));
      rows.forEach(row -> found.get(row.getLong("i").intValue() - 1)
          .add(new EventApplication.EarnedObject(row.getString("type"), row.getString("object_id"))));
      List<Optional<List<EventApplication.EarnedObject>>> answers = new ArrayList<>(queries.size());
      for (int i = 0; i < queries.size(); i++) {
        List<EventApplication.EarnedObject> earned = found.get(i);
        answers.add(earned.size() > queries.get(i).atMost() ? Optional.empty() : Optional.of(earned));
      }
      return answers;
    }));
  }

  private Future<List<Boolean>> earnedBatch(List<EarnedQuery> queries) {
    Tuple args = Tuple.of(queries.stream().map(EarnedQuery::tenant).toArray(String[]::new),
        queries.stream().map(EarnedQuery::learnerId).toArray(String[]::new),
        queries.stream().map(EarnedQuery::type).toArray(String[]::new),
        queries.stream().map(EarnedQuery::objectId).toArray(String[]::new));
    return guard(client.preparedQuery(Sql.EARNED_AMONG).execute(args).map(rows -> {
      Set<EarnedQuery> found = new HashSet<>();
      rows.forEach(row -> found.add(new EarnedQuery(row.getString("tenant_id"), row.getString("learner_id"),
          row.getString("type"), row.getString("object_id"))));
      return queries.stream().map(found::contains).toList();
    }));
  }

  @Override
  public Future<Void> commit(String tenant, EventApplication application) {
    return commitChain(tenant, List.of(application));
  }

  /** One atomic step, in the same group commit as other learners' applications. */
  @Override
  public Future<Void> commitChain(String tenant, List<EventApplication> chain) {
    return commitChain(tenant, chain, null);
  }

  /** As {@link #commitChain(String, List)}, the outcomes' JSON written as given (null: encoded here). */
  @Override
  public Future<Void> commitChain(String tenant, List<EventApplication> chain, List<String> outcomesJson) {
    return commits.submit(new Rows.Chain(tenant, chain, outcomesJson)).compose(failure -> failure.isEmpty()
        ? Future.succeededFuture() : Future.failedFuture(failure.get()));
  }

  /**
   * Commits a group in one transaction. If any member's guard fails (stale version, event already
   * applied) the group is rolled back and each member is retried alone, so only that member fails.
   */
  private Future<List<Optional<Throwable>>> commitBatch(List<Rows.Chain> batch) {
    return transaction(batch).map(v -> batch.stream().map(c -> Optional.<Throwable>empty()).toList())
        .recover(error -> {
          if (batch.size() == 1) {
            return Future.succeededFuture(List.of(Optional.of(error)));
          }
          List<Future<Optional<Throwable>>> alone = batch.stream()
              .map(app -> transaction(List.of(app)).map(v -> Optional.<Throwable>empty()).otherwise(Optional::of))
              .toList();
          return Future.join(alone).map(v -> alone.stream().map(Future::result).toList());
        });
  }

  private Future<Void> transaction(List<Rows.Chain> batch) {
    Rows rows = new Rows(batch, notificationHistory);
    List<OneWriteTransaction.Statement> statements = new ArrayList<>();
    statements.add(new OneWriteTransaction.Statement(Sql.KEY_LOOKUPS_ONLY, Tuple.tuple()));
    add(statements, Sql.MARK_APPLIED, rows.markApplied);
    add(statements, Sql.INSERT_LEARNERS_GUARDED, rows.newLearners);
    add(statements, Sql.UPDATE_LEARNERS_GUARDED, rows.updatedLearners);
    rows.others().forEach((sql, tuple) -> statements.add(new OneWriteTransaction.Statement(sql, tuple)));
    return guard(OneWriteTransaction.run(pool, statements)).mapEmpty();
  }

  /** A guarded statement of the commit: its rows, then how many it must change. */
  private static void add(List<OneWriteTransaction.Statement> statements, String sql, Rows.Columns rows) {
    if (!rows.isEmpty()) {
      statements.add(new OneWriteTransaction.Statement(sql, rows.tuple().addValue((long) rows.size())));
    }
  }

  /**
   * {@code work} in one transaction, its statements sent right behind BEGIN on the connection
   * rather than once BEGIN is answered, as {@code Pool.withTransaction} does: one round trip to
   * PostgreSQL less for every commit, which every event waits for. Committed when {@code work}
   * succeeds, rolled back otherwise (a statement after a failed one fails too, in an aborted
   * transaction, so nothing of it is kept either way).
   */
  static <T> Future<T> inTransaction(Pool pool, java.util.function.Function<SqlConnection, Future<T>> work) {
    return pool.withConnection(conn -> {
      Future<io.vertx.sqlclient.Transaction> begun = conn.begin();
      Future<T> worked;
      try {
        worked = work.apply(conn);
      } catch (RuntimeException e) {
        worked = Future.failedFuture(e);
      }
      Future<T> done = worked;
      return begun.compose(tx -> done.transform(ar -> ar.succeeded() ? tx.commit().map(ar.result())
          : tx.rollback().transform(rolledBack -> Future.<T>failedFuture(ar.cause()))));
    });
  }

  /**
   * One transaction, its statements in order: the void's own row first (the guard that the event is
   * applied and not voided yet), then the learner guarded by its version; either failing rolls all
   * back. The board totals are the learner's, written with it.
   */
  @Override
  public Future<Void> commitVoid(String tenant, VoidApplication app) {
    String learnerId = app.learnerId();
    Learner l = app.after();
    Rows.Columns learner = new Rows.Columns(String.class, String.class, Long.class, Long.class, String.class,
        Long.class, String.class, String.class);
    learner.add(tenant, learnerId, app.expectedVersion(), l.version(), l.state().name(), l.xp(),
        l.lastActivityAt() == null ? null : l.lastActivityAt().toString(), JsonMapping.encode(l));
    Rows.Columns ledger = new Rows.Columns(String.class, String.class, String.class, String.class, Long.class,
        Integer.class, Long.class, String.class, String.class);
    app.ledger().forEach(e -> ledger.add(tenant, learnerId, e.eventId(), e.activity(), e.baseXp(), e.multiplierPct(), e.xp(),
        e.reason(), e.at().toString()));
    Rows notes = new Rows(List.of(), notificationHistory);
    notes.addNotifications(tenant, learnerId, app.notifications());
    Rows.Columns awards = new Rows.Columns(String.class, String.class, String.class, String.class, String.class,
        String.class, String.class);
    app.awards().forEach(b -> awards.add(tenant, learnerId, b.badgeId(), b.name(), b.tier(), b.awardedAt().toString(),
        b.eventId()));
    Rows.Columns transitions = new Rows.Columns(String.class, String.class, String.class, String.class, String.class,
        String.class, String.class);
    app.transitions().forEach(t -> transitions.add(tenant, learnerId, t.from().name(), t.to().name(), t.event(),
        t.eventId(), t.at().toString()));
    Rows.Columns flagsAdded = new Rows.Columns(String.class, String.class, String.class, String.class, String.class,
        String.class);
    app.flagsAdded().forEach(f -> flagsAdded.add(tenant, learnerId, f.eventId(), f.flag().rule(), f.flag().detail(),
        f.flag().at().toString()));
    JsonObject answer = JsonMapping.toJson(app.record());
    return guard(inTransaction(pool, conn -> conn.preparedQuery(Sql.VOID_EVENT)
        .execute(Tuple.of(app.eventId(), learnerId, app.record().voidedAt().atOffset(ZoneOffset.UTC), answer, tenant))
        .compose(voided -> voided.rowCount() == 1 ? conn.preparedQuery(Sql.UPDATE_LEARNERS).execute(learner.tuple())
            : Future.failedFuture(new StoreException(StoreException.Kind.CONFLICT,
                "event " + app.eventId() + " is not an applied event of " + learnerId + " to void")))
        .compose(updated -> updated.rowCount() == 1 ? Future.succeededFuture()
            : Future.failedFuture(new StoreException(StoreException.Kind.CONFLICT,
                "learner " + learnerId + " changed concurrently")))
        .compose(v -> earned(conn, Sql.DELETE_EARNED, tenant, learnerId, app.earnedRemoved()))
        .compose(v -> app.earnedAdded().isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.INSERT_EARNED).execute(Tuple.of(
                app.earnedAdded().stream().map(o -> tenant).toArray(String[]::new),
                app.earnedAdded().stream().map(o -> learnerId).toArray(String[]::new),
                app.earnedAdded().stream().map(EventApplication.EarnedObject::type).toArray(String[]::new),
                app.earnedAdded().stream().map(EventApplication.EarnedObject::objectId).toArray(String[]::new))))
        .compose(v -> ledger.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.INSERT_LEDGER).execute(ledger.tuple()))
        .compose(v -> app.revokedBadges().isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.REVOKE_BADGES).execute(Tuple.of(learnerId,
                app.revokedBadges().toArray(String[]::new), tenant)))
        .compose(v -> app.flagsRemoved().isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.DELETE_FLAGS).execute(Tuple.of(learnerId,
                app.flagsRemoved().stream().map(VoidApplication.EventFlag::eventId).toArray(String[]::new),
                app.flagsRemoved().stream().map(f -> f.flag().rule()).toArray(String[]::new), tenant)))
        .compose(v -> flagsAdded.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.INSERT_FLAGS).execute(flagsAdded.tuple()))
        .compose(v -> awards.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.INSERT_BADGES).execute(awards.tuple()))
        .compose(v -> transitions.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.INSERT_TRANSITIONS).execute(transitions.tuple()))
        .compose(v -> notes.notifications.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.INSERT_NOTIFICATIONS).execute(notes.notifications.tuple()))
        .compose(v -> notes.trim.isEmpty() ? Future.succeededFuture()
            : conn.preparedQuery(Sql.TRIM_NOTIFICATIONS).execute(notes.trim.tuple()))
        .<Void>mapEmpty()));
  }

  private static Future<Void> earned(SqlConnection conn, String sql, String tenant, String learnerId,
                                     List<EventApplication.EarnedObject> objects) {
    return objects.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(sql).execute(Tuple.of(learnerId,
        objects.stream().map(EventApplication.EarnedObject::type).toArray(String[]::new),
        objects.stream().map(EventApplication.EarnedObject::objectId).toArray(String[]::new), tenant)).mapEmpty();
  }

  @Override
  public Future<Optional<VoidRecord>> voided(String tenant, String eventId) {
    return guard(client.preparedQuery(Sql.VOIDED).execute(Tuple.of(eventId, tenant)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(JsonMapping.fromJson(new JsonObject(rows.iterator().next().getValue("answer").toString()),
            VoidRecord.class))));
  }

  @Override
  public Future<LedgerPage> ledgerPage(String tenant, String learnerId, Long before, int limit) {
    // one line more than the page, to know whether older lines remain
    int fetch = limit == Integer.MAX_VALUE ? limit : limit + 1;
    return guard(client.preparedQuery(Sql.LEDGER).execute(Tuple.of(tenant, learnerId, before, fetch)).map(rows -> {
      List<LedgerEntry> list = new ArrayList<>();
      long lastId = 0;
      for (Row r : rows) {
        if (list.size() == limit) {
          return new LedgerPage(list, lastId);
        }
        lastId = r.getLong("id");
        list.add(new LedgerEntry(r.getString("event_id"), r.getString("activity"),
            r.getLong("base_xp"), r.getInteger("multiplier_pct"), r.getLong("xp"), r.getString("reason"),
            instant(r, "at")));
      }
      return new LedgerPage(list, null);
    }));
  }

  @Override
  public Future<List<BadgeAward>> badges(String tenant, String learnerId) {
    return guard(client.preparedQuery(Sql.BADGES).execute(Tuple.of(tenant, learnerId)).map(rows -> {
      List<BadgeAward> list = new ArrayList<>();
      rows.forEach(r -> list.add(new BadgeAward(r.getString("badge_id"), r.getString("name"), r.getString("tier"),
          instant(r, "awarded_at"), r.getString("event_id"))));
      return list;
    }));
  }

  @Override
  public Future<List<Transition>> transitions(String tenant, String learnerId) {
    return guard(client.preparedQuery(Sql.TRANSITIONS).execute(Tuple.of(tenant, learnerId)).map(rows -> {
      List<Transition> list = new ArrayList<>();
      rows.forEach(r -> list.add(new Transition(ProgressionState.valueOf(r.getString("from_state")),
          ProgressionState.valueOf(r.getString("to_state")), r.getString("event"), r.getString("event_id"),
          instant(r, "at"))));
      return list;
    }));
  }

  @Override
  public Future<List<FlagEntry>> flags(String tenant, String learnerId, int limit) {
    return guard(client.preparedQuery(Sql.FLAGS).execute(Tuple.of(tenant, learnerId, limit))
        .map(PgEngineStore::flagEntries));
  }

  @Override
  public Future<List<FlagEntry>> flagsAfter(String tenant, long afterFlagId, int limit) {
    return guard(client.preparedQuery(Sql.FLAGS_AFTER).execute(Tuple.of(tenant, afterFlagId, limit))
        .map(PgEngineStore::flagEntries));
  }

  private static List<FlagEntry> flagEntries(RowSet<Row> rows) {
    List<FlagEntry> list = new ArrayList<>();
    rows.forEach(r -> list.add(new FlagEntry(r.getLong("flag_id"), r.getString("learner_id"), r.getString("event_id"),
        r.getString("rule"), r.getString("detail"), instant(r, "at"))));
    return list;
  }

  @Override
  public Future<List<Notification>> notificationsAfter(String tenant, String learnerId, long afterSeq, int limit) {
    return guard(client.preparedQuery(Sql.NOTIFICATIONS_AFTER)
        .execute(Tuple.of(tenant, learnerId, afterSeq, limit, notificationHistory))
        .map(rows -> {
      List<Notification> list = new ArrayList<>();
      for (Row r : rows) {
        if (list.size() >= limit) {
          break; // full: the batches after it need no decoding
        }
        // The history keeps the newest notificationHistory frames; the oldest batch read may hold older ones.
        long after = Math.max(afterSeq, r.getLong("newest") - notificationHistory);
        for (Notification n : JsonMapping.fromJsonArray(array(r.getValue("frames")), Notification.class)) {
          if (n.seq() > after && list.size() < limit) {
            list.add(n);
          }
        }
      }
      return list;
    }));
  }

  @Override
  public Future<List<LearnerRef>> idleLearners(String tenant, Instant activeIdleSince, Instant atRiskIdleSince,
                                               int limit) {
    return guard(client.preparedQuery(Sql.IDLE_LEARNERS)
        .execute(Tuple.of(activeIdleSince.atOffset(ZoneOffset.UTC), atRiskIdleSince.atOffset(ZoneOffset.UTC), limit,
            tenant))
        .map(PgEngineStore::learnerRefs));
  }

  @Override
  public Future<BoardTotalPage> boardTotals(String tenant, String afterLearnerId, int learners) {
    return guard(client.preparedQuery(Sql.BOARD_TOTALS_PAGE).execute(Tuple.of(tenant, afterLearnerId, learners))
        .map(rows -> {
          List<BoardTotal> totals = new ArrayList<>();
          String last = null;
          for (Row r : rows) {
            last = r.getString("learner_id");
            String learnerId = last;
            Object boards = r.getValue("boards");
            if (boards != null) {
              object(boards).forEach(e -> totals.add(new BoardTotal(e.getKey(), learnerId,
                  ((Number) e.getValue()).longValue())));
            }
          }
          return new BoardTotalPage(totals, rows.size(), rows.size() == learners ? last : null);
        }));
  }

  /**
   * The events and the learners' data of one tenant, each part in one transaction of its own (see
   * {@link EventLog#eraseTenant} and {@link LearnerStore#eraseTenant}).
   */
  @Override
  public Future<Void> eraseTenant(String tenant) {
    return erase(tenant, Sql.ERASE_EVENTS).compose(v -> erase(tenant, Sql.ERASE_LEARNERS));
  }

  private Future<Void> erase(String tenant, List<String> statements) {
    return guard(pool.withTransaction(conn -> {
      Future<Void> chain = Future.succeededFuture();
      for (String sql : statements) {
        chain = chain.compose(v -> conn.preparedQuery(sql).execute(Tuple.of(tenant)).mapEmpty());
      }
      return chain;
    }));
  }

  @Override
  public Future<Void> ping() {
    return guard(client.query("SELECT 1").execute().mapEmpty());
  }

  /** Any failure of the database becomes a {@link StoreException}: refused for good, or unavailable. */
  static <T> Future<T> guard(Future<T> query) {
    return query.recover(e -> Future.failedFuture(e instanceof StoreException ? e : storeFailure(e)));
  }

  /**
   * A json or jsonb column's object as the client decoded it: encoding it to text and parsing that
   * again (for each event read, twice) cost a visible share of the node's CPU per event.
   */
  static JsonObject object(Object json) {
    return json instanceof JsonObject decoded ? decoded : new JsonObject(json.toString());
  }

  /** A json column's array as the client decoded it. */
  private static JsonArray array(Object json) {
    return json instanceof JsonArray decoded ? decoded : new JsonArray(json.toString());
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime value = row.getOffsetDateTime(column);
    return value == null ? null : value.toInstant();
  }

  /** Two arrays as two parameters ({@code Tuple.of(a, b)} would take an array {@code b} for its varargs). */
  private static Tuple pair(String[] first, String[] second) {
    return Tuple.tuple().addValue(first).addValue(second);
  }

  private static List<LearnerRef> learnerRefs(RowSet<Row> rows) {
    List<LearnerRef> list = new ArrayList<>();
    rows.forEach(r -> list.add(new LearnerRef(r.getString("tenant_id"), r.getString("learner_id"))));
    return list;
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

  private static StoreException storeFailure(Throwable e) {
    if (e instanceof PgException pg && GUARD_FAILED.equals(pg.getSqlState())) {
      return new StoreException(StoreException.Kind.CONFLICT, pg.getErrorMessage());
    }
    if (e instanceof PgException pg && refusedForGood(pg.getSqlState())) {
      LOG.warn("PostgreSQL refused the data: {}", e.toString());
      return new StoreException(StoreException.Kind.REFUSED,
          "the durable store refused the data (SQLState " + pg.getSqlState() + "): " + pg.getErrorMessage());
    }
    LOG.warn("PostgreSQL failed: {}", e.toString());
    return new StoreException(StoreException.Kind.UNAVAILABLE, "the durable store is unavailable; retry later");
  }
}
