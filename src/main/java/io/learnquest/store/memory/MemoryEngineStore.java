package io.learnquest.store.memory;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.VoidApplication;
import io.learnquest.domain.learner.VoidRecord;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.store.AppendResult;
import io.learnquest.store.BoardTotal;
import io.learnquest.store.BoardTotalPage;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerRef;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.LedgerPage;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.QuarantinedEvent;
import io.learnquest.store.StoreException;
import io.learnquest.store.StoredEvent;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The embedded default: the event log and the learner store in one process's memory. One monitor
 * guards everything, which makes {@link #commit} trivially atomic; verticle instances on several
 * event loops share one instance. It holds at most {@code maxLearners} learners and
 * {@code maxEvents} events: past either bound an append is refused ({@code StoreException.Kind.FULL}, 503 over HTTP)
 * rather than growing the heap until the JVM dies; everything held stays readable. Every map is
 * keyed by tenant too ({@link #key}): the same learnerId or eventId in two tenants are two entries.
 */
public final class MemoryEngineStore implements EventLog, LearnerStore {
  private final Clock clock;
  private final int notificationHistory;
  private final int maxLearners;
  private final long maxEvents;
  private long lastSeq;
  /** Every learner an event was accepted for (by {@link #key}): what {@code maxLearners} bounds. */
  private final Set<String> knownLearners = new HashSet<>();
  /** Quarantined events by {@link #key} of tenant and eventId, in the order they were moved aside. */
  private final Map<String, QuarantinedEvent> quarantine = new LinkedHashMap<>();
  /** The rule of the flag a quarantined event leaves on its learner. */
  public static final String QUARANTINED_RULE = "quarantined";
  /** Events by {@link #key} of tenant and eventId; {@code voided} is keyed the same way. */
  private final Map<String, StoredEvent> events = new HashMap<>();
  /** By {@link #key} of tenant and learnerId: seq to the {@link #key} of the event. */
  private final Map<String, TreeMap<Long, String>> pendingByLearner = new HashMap<>();
  /** The number of events in {@link #pendingByLearner}, kept so counting costs nothing. */
  private long pendingTotal;
  /** Learners and what is recorded about them, by {@link #key} of tenant and learnerId. */
  private final Map<String, Learner> learners = new HashMap<>();
  /** By learner key: the objects each learner was granted activity XP for. */
  private final Map<String, Set<EventApplication.EarnedObject>> earnedObjects = new HashMap<>();
  private final Map<String, List<LedgerEntry>> ledgers = new HashMap<>();
  /** Voided events by eventId: they stay in {@link #events} (their ids stay taken), applied, never replayed. */
  private final Map<String, VoidRecord> voided = new HashMap<>();
  private final Map<String, Map<String, BadgeAward>> badges = new HashMap<>();
  private final Map<String, List<Transition>> transitions = new HashMap<>();
  /** Every flag in the order recorded, with its tenant. */
  private final List<TenantFlag> flags = new ArrayList<>();
  private long lastFlagId;
  private final Map<String, Deque<Notification>> notifications = new HashMap<>();
  /**
   * Per tenant, the learners with board totals (their own, {@link Learner#boards}); sorted, so the
   * rebuild can read them in pages that start where the last one ended.
   */
  private final Map<String, TreeSet<String>> withBoards = new HashMap<>();

  private record TenantFlag(String tenant, FlagEntry entry) {
  }

  public MemoryEngineStore(Clock clock, int notificationHistory) {
    this(clock, notificationHistory, Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  public MemoryEngineStore(Clock clock, int notificationHistory, int maxLearners, long maxEvents) {
    this.clock = clock;
    this.notificationHistory = notificationHistory;
    this.maxLearners = maxLearners;
    this.maxEvents = maxEvents;
  }

  @Override
  public synchronized Future<List<AppendResult>> append(String tenant, List<LearningEvent> batch, String replyTo) {
    String full = fullFor(tenant, batch);
    if (full != null) {
      return Future.failedFuture(new StoreException(StoreException.Kind.FULL, full
          + "; nothing of this request was recorded. Learners already held can still be read. To keep more, run"
          + " the engine on the durable stores (STORE=postgres), or raise the bound if the heap allows"));
    }
    List<AppendResult> results = new ArrayList<>(batch.size());
    Instant now = clock.instant();
    for (LearningEvent event : batch) {
      String eventKey = key(tenant, event.eventId());
      StoredEvent existing = events.get(eventKey);
      if (existing != null) {
        results.add(AppendResult.duplicate(event.eventId(), existing));
        continue;
      }
      StoredEvent stored = new StoredEvent(++lastSeq, tenant, event, now, replyTo, null);
      events.put(eventKey, stored);
      TreeMap<Long, String> learnersPending = pendingByLearner.computeIfAbsent(key(tenant, event.learnerId()),
          k -> new TreeMap<>());
      long previousSeq = learnersPending.isEmpty() ? 0 : learnersPending.lastKey();
      learnersPending.put(stored.seq(), eventKey);
      knownLearners.add(key(tenant, event.learnerId()));
      pendingTotal++;
      results.add(AppendResult.accepted(new PendingEvent(stored, previousSeq)));
    }
    return Future.succeededFuture(results);
  }

  /** Why accepting the new events of {@code batch} would pass a bound, or null when it would not. */
  private String fullFor(String tenant, List<LearningEvent> batch) {
    Set<String> newIds = new HashSet<>();
    Set<String> newLearners = new HashSet<>();
    for (LearningEvent event : batch) {
      String eventKey = key(tenant, event.eventId());
      String learnerKey = key(tenant, event.learnerId());
      if (!events.containsKey(eventKey) && newIds.add(eventKey) && !knownLearners.contains(learnerKey)) {
        newLearners.add(learnerKey);
      }
    }
    if (events.size() + (long) newIds.size() > maxEvents) {
      return "the embedded store is full: it holds its maximum of " + maxEvents + " events (memory.maxEvents)";
    }
    if (knownLearners.size() + (long) newLearners.size() > maxLearners) {
      return "the embedded store is full: it holds its maximum of " + maxLearners
          + " learners (memory.maxLearners), so it takes no new learner";
    }
    return null;
  }

  @Override
  public synchronized Future<Boolean> quarantine(String tenant, String eventId, String reason, int attempts) {
    StoredEvent stored = events.get(key(tenant, eventId));
    if (stored == null || stored.applied() || !takeOffPending(tenant, stored)) {
      return Future.succeededFuture(false);
    }
    Instant now = clock.instant();
    quarantine.put(key(tenant, eventId), new QuarantinedEvent(stored.seq(), eventId, stored.event().learnerId(), reason,
        attempts, now));
    flags.add(new TenantFlag(tenant, new FlagEntry(++lastFlagId, stored.event().learnerId(), eventId,
        QUARANTINED_RULE, reason, now)));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<QuarantinedEvent>> quarantined(String tenant, int limit) {
    return Future.succeededFuture(quarantine.entrySet().stream()
        .filter(e -> e.getKey().startsWith(tenant + SEPARATOR)).map(Map.Entry::getValue)
        .sorted(java.util.Comparator.comparingLong(QuarantinedEvent::seq)).limit(limit).toList());
  }

  @Override
  public synchronized Future<Long> quarantinedCount(String tenant) {
    return Future.succeededFuture(quarantine.keySet().stream().filter(k -> k.startsWith(tenant + SEPARATOR)).count());
  }

  @Override
  public synchronized Future<Long> quarantinedCount() {
    return Future.succeededFuture((long) quarantine.size());
  }

  @Override
  public synchronized Future<Optional<QuarantinedEvent>> requeue(String tenant, String eventId) {
    QuarantinedEvent q = quarantine.remove(key(tenant, eventId));
    if (q != null) {
      pendingByLearner.computeIfAbsent(key(tenant, q.learnerId()), k -> new TreeMap<>()).put(q.seq(), key(tenant, eventId));
      pendingTotal++;
    }
    return Future.succeededFuture(Optional.ofNullable(q));
  }

  @Override
  public synchronized Future<Optional<QuarantinedEvent>> discard(String tenant, String eventId) {
    // Out of the quarantine and off the pending events, but still in the log: the id stays taken.
    return Future.succeededFuture(Optional.ofNullable(quarantine.remove(key(tenant, eventId))));
  }

  private boolean isPending(String tenant, StoredEvent stored) {
    TreeMap<Long, String> queue = pendingByLearner.get(key(tenant, stored.event().learnerId()));
    return queue != null && queue.containsKey(stored.seq());
  }

  private boolean takeOffPending(String tenant, StoredEvent stored) {
    String learnerKey = key(tenant, stored.event().learnerId());
    TreeMap<Long, String> queue = pendingByLearner.get(learnerKey);
    if (queue == null || queue.remove(stored.seq()) == null) {
      return false;
    }
    pendingTotal--;
    if (queue.isEmpty()) {
      pendingByLearner.remove(learnerKey);
    }
    return true;
  }

  @Override
  public synchronized Future<Optional<StoredEvent>> event(String tenant, String eventId) {
    return Future.succeededFuture(Optional.ofNullable(events.get(key(tenant, eventId))));
  }

  @Override
  public synchronized Future<List<StoredEvent>> appliedEvents(String tenant, String learnerId) {
    return Future.succeededFuture(events.entrySet().stream()
        .filter(e -> e.getKey().startsWith(tenant + SEPARATOR)).map(Map.Entry::getValue)
        .filter(e -> e.applied() && e.event().learnerId().equals(learnerId)
            && !voided.containsKey(key(tenant, e.event().eventId())))
        .sorted(java.util.Comparator.comparingLong(StoredEvent::seq)).toList());
  }

  @Override
  public synchronized Future<List<StoredEvent>> pending(String tenant, String learnerId, int limit) {
    TreeMap<Long, String> queue = pendingByLearner.get(key(tenant, learnerId));
    if (queue == null) {
      return Future.succeededFuture(List.of());
    }
    return Future.succeededFuture(queue.values().stream().limit(limit).map(events::get).toList());
  }

  @Override
  public synchronized Future<List<LearnerRef>> learnersWithPending(Instant acceptedBefore, int limit) {
    return Future.succeededFuture(pendingByLearner.entrySet().stream()
        .filter(e -> acceptedBefore == null
            || events.get(e.getValue().firstEntry().getValue()).acceptedAt().isBefore(acceptedBefore))
        .sorted(java.util.Comparator.comparingLong(e -> e.getValue().firstKey()))
        .map(e -> ref(e.getKey())).limit(limit).toList());
  }

  @Override
  public synchronized Future<Long> pendingCount() {
    return Future.succeededFuture(pendingByLearner.values().stream().mapToLong(TreeMap::size).sum());
  }

  @Override
  public synchronized Future<Long> boardLearnerCount(String tenant) {
    return Future.succeededFuture((long) withBoards.getOrDefault(tenant, new TreeSet<>()).size());
  }

  @Override
  public synchronized Future<List<String>> tenantsWithBoards() {
    return Future.succeededFuture(withBoards.entrySet().stream().filter(e -> !e.getValue().isEmpty())
        .map(Map.Entry::getKey).sorted().toList());
  }

  @Override
  public synchronized Future<Long> pendingCount(long atMost) {
    return Future.succeededFuture(Math.min(pendingTotal, atMost));
  }

  @Override
  public synchronized Future<Optional<Learner>> learner(String tenant, String learnerId) {
    return Future.succeededFuture(Optional.ofNullable(learners.get(key(tenant, learnerId))));
  }

  @Override
  public synchronized Future<Boolean> hasEarned(String tenant, String learnerId, String type, String objectId) {
    return Future.succeededFuture(earnedObjects.getOrDefault(key(tenant, learnerId), Set.of())
        .contains(new EventApplication.EarnedObject(type, objectId)));
  }

  @Override
  public synchronized Future<Optional<List<EventApplication.EarnedObject>>> earnedObjects(String tenant,
                                                                                        String learnerId, int atMost) {
    Set<EventApplication.EarnedObject> earned = earnedObjects.getOrDefault(key(tenant, learnerId), Set.of());
    return Future.succeededFuture(earned.size() > atMost ? Optional.empty() : Optional.of(List.copyOf(earned)));
  }

  @Override
  public synchronized Future<Void> commit(String tenant, EventApplication app) {
    Learner after = app.after();
    String learnerKey = key(tenant, after.learnerId());
    StoredEvent stored = app.eventId() == null ? null : events.get(key(tenant, app.eventId()));
    if (app.eventId() != null && (stored == null || stored.applied() || !isPending(tenant, stored))) {
      return conflict("event " + app.eventId() + " is not waiting to be applied");
    }
    Learner current = learners.get(learnerKey);
    long currentVersion = current == null ? 0 : current.version();
    if (currentVersion != app.expectedVersion()) {
      return conflict("learner " + after.learnerId() + " changed concurrently");
    }
    learners.put(learnerKey, after);
    if (app.earnedObject() != null) {
      earnedObjects.computeIfAbsent(learnerKey, k -> new HashSet<>()).add(app.earnedObject());
    }
    ledgers.computeIfAbsent(learnerKey, k -> new ArrayList<>()).addAll(app.ledger());
    Map<String, BadgeAward> owned = badges.computeIfAbsent(learnerKey, k -> new LinkedHashMap<>());
    app.awards().forEach(award -> owned.putIfAbsent(award.badgeId(), award));
    transitions.computeIfAbsent(learnerKey, k -> new ArrayList<>()).addAll(app.transitions());
    for (Flag f : app.flags()) {
      flags.add(new TenantFlag(tenant, new FlagEntry(++lastFlagId, after.learnerId(), app.eventId(), f.rule(),
          f.detail(), f.at())));
    }
    keepNotifications(learnerKey, app.notifications());
    keepBoards(tenant, after);
    if (stored != null) {
      events.put(key(tenant, app.eventId()), new StoredEvent(stored.seq(), tenant, stored.event(), stored.acceptedAt(),
          stored.replyTo(), app.outcome()));
      takeOffPending(tenant, stored);
    }
    return Future.succeededFuture();
  }

  private void keepBoards(String tenant, Learner learner) {
    if (learner.boards().isEmpty()) {
      TreeSet<String> ids = withBoards.get(tenant);
      if (ids != null) {
        ids.remove(learner.learnerId());
      }
    } else {
      withBoards.computeIfAbsent(tenant, k -> new TreeSet<>()).add(learner.learnerId());
    }
  }

  @Override
  public synchronized Future<Void> commitVoid(String tenant, VoidApplication app) {
    String learnerId = app.learnerId();
    String learnerKey = key(tenant, learnerId);
    StoredEvent stored = events.get(key(tenant, app.eventId()));
    if (stored == null || !stored.applied() || !stored.event().learnerId().equals(learnerId)
        || voided.containsKey(key(tenant, app.eventId()))) {
      return conflict("event " + app.eventId() + " is not an applied event of " + learnerId + " to void");
    }
    Learner current = learners.get(learnerKey);
    if (current == null || current.version() != app.expectedVersion()) {
      return conflict("learner " + learnerId + " changed concurrently");
    }
    learners.put(learnerKey, app.after());
    Set<EventApplication.EarnedObject> earned = earnedObjects.computeIfAbsent(learnerKey, k -> new HashSet<>());
    app.earnedRemoved().forEach(earned::remove);
    earned.addAll(app.earnedAdded());
    ledgers.computeIfAbsent(learnerKey, k -> new ArrayList<>()).addAll(app.ledger());
    Map<String, BadgeAward> owned = badges.computeIfAbsent(learnerKey, k -> new LinkedHashMap<>());
    app.revokedBadges().forEach(owned::remove);
    app.awards().forEach(award -> owned.putIfAbsent(award.badgeId(), award));
    transitions.computeIfAbsent(learnerKey, k -> new ArrayList<>()).addAll(app.transitions());
    // explicit flag ids: removing a flag leaves every other flag its id
    flags.removeIf(f -> f.tenant().equals(tenant) && f.entry().learnerId().equals(learnerId)
        && app.flagsRemoved().stream().anyMatch(r -> r.eventId().equals(f.entry().eventId())
            && r.flag().rule().equals(f.entry().rule())));
    app.flagsAdded().forEach(f -> flags.add(new TenantFlag(tenant, new FlagEntry(++lastFlagId, learnerId, f.eventId(),
        f.flag().rule(), f.flag().detail(), f.flag().at()))));
    keepNotifications(learnerKey, app.notifications());
    keepBoards(tenant, app.after());
    voided.put(key(tenant, app.eventId()), app.record());
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<Optional<VoidRecord>> voided(String tenant, String eventId) {
    return Future.succeededFuture(Optional.ofNullable(voided.get(key(tenant, eventId))));
  }

  @Override
  public synchronized Future<LedgerPage> ledgerPage(String tenant, String learnerId, Long before, int limit) {
    // A line's position is its index + 1 in the learner's list, which only grows.
    List<LedgerEntry> rows = ledgers.getOrDefault(key(tenant, learnerId), List.of());
    int from = before == null ? rows.size() : (int) Math.min(rows.size(), Math.max(0, before - 1));
    List<LedgerEntry> newestFirst = new ArrayList<>(Math.min(limit, from));
    int i = from - 1;
    for (; i >= 0 && newestFirst.size() < limit; i--) {
      newestFirst.add(rows.get(i));
    }
    return Future.succeededFuture(new LedgerPage(newestFirst, i >= 0 ? Long.valueOf(i + 2) : null));
  }

  @Override
  public synchronized Future<List<BadgeAward>> badges(String tenant, String learnerId) {
    return Future.succeededFuture(List.copyOf(badges.getOrDefault(key(tenant, learnerId), Map.of()).values()));
  }

  @Override
  public synchronized Future<List<Transition>> transitions(String tenant, String learnerId) {
    return Future.succeededFuture(List.copyOf(transitions.getOrDefault(key(tenant, learnerId), List.of())));
  }

  @Override
  public synchronized Future<List<FlagEntry>> flags(String tenant, String learnerId, int limit) {
    List<FlagEntry> newestFirst = new ArrayList<>();
    for (int i = flags.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
      TenantFlag f = flags.get(i);
      if (f.tenant().equals(tenant) && f.entry().learnerId().equals(learnerId)) {
        newestFirst.add(f.entry());
      }
    }
    return Future.succeededFuture(newestFirst);
  }

  @Override
  public synchronized Future<List<FlagEntry>> flagsAfter(String tenant, long afterFlagId, int limit) {
    return Future.succeededFuture(flags.stream()
        .filter(f -> f.entry().flagId() > afterFlagId && f.tenant().equals(tenant))
        .map(TenantFlag::entry).limit(limit).toList());
  }

  @Override
  public synchronized Future<List<Notification>> notificationsAfter(String tenant, String learnerId, long afterSeq,
                                                                    int limit) {
    return Future.succeededFuture(notifications.getOrDefault(key(tenant, learnerId), new ArrayDeque<>()).stream()
        .filter(n -> n.seq() > afterSeq).limit(limit).toList());
  }

  @Override
  public synchronized Future<List<LearnerRef>> idleLearners(String tenant, Instant activeIdleSince,
                                                             Instant atRiskIdleSince, int limit) {
    return Future.succeededFuture(learners.entrySet().stream()
        .filter(e -> e.getValue().lastActivityAt() != null)
        .filter(e -> tenant == null || ref(e.getKey()).tenant().equals(tenant))
        .filter(e -> {
          Learner l = e.getValue();
          return l.state() == ProgressionState.ACTIVE && !l.lastActivityAt().isAfter(activeIdleSince)
              || l.state() == ProgressionState.AT_RISK && !l.lastActivityAt().isAfter(atRiskIdleSince);
        })
        .map(e -> ref(e.getKey())).limit(limit).toList());
  }

  @Override
  public synchronized Future<BoardTotalPage> boardTotals(String tenant, String afterLearnerId, int limit) {
    List<BoardTotal> totals = new ArrayList<>();
    TreeSet<String> ids = withBoards.getOrDefault(tenant, new TreeSet<>());
    String last = null;
    int read = 0;
    for (String learnerId : afterLearnerId == null ? ids : ids.tailSet(afterLearnerId, false)) {
      if (read == limit) {
        return Future.succeededFuture(new BoardTotalPage(totals, read, last));
      }
      learners.get(key(tenant, learnerId)).boards()
          .forEach((board, xp) -> totals.add(new BoardTotal(board, learnerId, xp)));
      last = learnerId;
      read++;
    }
    return Future.succeededFuture(new BoardTotalPage(totals, read, null));
  }

  /** Everything of the tenant, in the log and about its learners; the sequence numbers go on. */
  @Override
  public synchronized Future<Void> eraseTenant(String tenant) {
    String prefix = tenant + SEPARATOR;
    events.keySet().removeIf(k -> k.startsWith(prefix));
    pendingByLearner.keySet().removeIf(k -> k.startsWith(prefix));
    pendingTotal = pendingByLearner.values().stream().mapToLong(TreeMap::size).sum();
    knownLearners.removeIf(k -> k.startsWith(prefix));
    quarantine.keySet().removeIf(k -> k.startsWith(prefix));
    learners.keySet().removeIf(k -> k.startsWith(prefix));
    earnedObjects.keySet().removeIf(k -> k.startsWith(prefix));
    ledgers.keySet().removeIf(k -> k.startsWith(prefix));
    badges.keySet().removeIf(k -> k.startsWith(prefix));
    transitions.keySet().removeIf(k -> k.startsWith(prefix));
    notifications.keySet().removeIf(k -> k.startsWith(prefix));
    flags.removeIf(f -> f.tenant().equals(tenant));
    withBoards.remove(tenant);
    voided.keySet().removeIf(k -> k.startsWith(prefix));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  private void keepNotifications(String learnerKey, List<Notification> added) {
    Deque<Notification> history = notifications.computeIfAbsent(learnerKey, k -> new ArrayDeque<>());
    for (Notification n : added) {
      history.addLast(n);
      if (history.size() > notificationHistory) {
        history.removeFirst();
      }
    }
  }

  /** Tenant ids are {@code [a-z0-9-]}: the first '/' of a key ends the tenant. */
  private static final String SEPARATOR = "/";

  private static String key(String tenant, String id) {
    return tenant + SEPARATOR + id;
  }

  private static LearnerRef ref(String learnerKey) {
    int at = learnerKey.indexOf(SEPARATOR);
    return new LearnerRef(learnerKey.substring(0, at), learnerKey.substring(at + 1));
  }

  private static <T> Future<T> conflict(String message) {
    return Future.failedFuture(new StoreException(StoreException.Kind.CONFLICT, message));
  }
}
