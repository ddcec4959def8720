package io.learnquest.store.memory;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.store.AppendResult;
import io.learnquest.store.BoardTotal;
import io.learnquest.store.EventLog;
import io.learnquest.store.LearnerStore;
import io.learnquest.store.QuarantinedEvent;
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

/**
 * The embedded default: the event log and the learner store in one process's memory. One monitor
 * guards everything, which makes {@link #commit} trivially atomic; verticle instances on several
 * event loops share one instance. It holds at most {@code maxLearners} learners and
 * {@code maxEvents} events: past either bound an append is refused ({@code STORE_FULL}, 503)
 * rather than growing the heap until the JVM dies; everything held stays readable.
 */
public final class MemoryEngineStore implements EventLog, LearnerStore {
  private final Clock clock;
  private final int notificationHistory;
  private final int maxLearners;
  private final long maxEvents;
  private long lastSeq;
  /** Every learner an event was accepted for: what {@code maxLearners} bounds. */
  private final Set<String> knownLearners = new HashSet<>();
  /** Quarantined events by eventId, in the order they were moved aside. */
  private final Map<String, QuarantinedEvent> quarantine = new LinkedHashMap<>();
  /** The rule of the flag a quarantined event leaves on its learner. */
  public static final String QUARANTINED_RULE = "quarantined";
  private final Map<String, StoredEvent> events = new HashMap<>();
  private final Map<String, TreeMap<Long, String>> pendingByLearner = new HashMap<>();
  /** The number of events in {@link #pendingByLearner}, kept so counting costs nothing. */
  private long pendingTotal;
  private final Map<String, Learner> learners = new HashMap<>();
  private final Set<String> earnedObjects = new HashSet<>();
  private final Map<String, List<LedgerEntry>> ledgers = new HashMap<>();
  private final Map<String, Map<String, BadgeAward>> badges = new HashMap<>();
  private final Map<String, List<Transition>> transitions = new HashMap<>();
  /** Every flag in the order recorded; the position + 1 is the flag id. */
  private final List<FlagEntry> flags = new ArrayList<>();
  private final Map<String, Deque<Notification>> notifications = new HashMap<>();
  /** Sorted, so the rebuild can read it in pages that start where the last one ended. */
  private final TreeMap<String, TreeMap<String, Long>> boards = new TreeMap<>();

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
  public synchronized Future<List<AppendResult>> append(List<LearningEvent> batch, String replyTo) {
    String full = fullFor(batch);
    if (full != null) {
      return Future.failedFuture(Failure.STORE_FULL.exception(ErrorCodes.STORE_FULL, full
          + "; nothing of this request was recorded. Learners already held can still be read. To keep more, run"
          + " the engine on the durable stores (STORE=postgres), or raise the bound if the heap allows", null));
    }
    List<AppendResult> results = new ArrayList<>(batch.size());
    Instant now = clock.instant();
    for (LearningEvent event : batch) {
      StoredEvent existing = events.get(event.eventId());
      if (existing != null) {
        results.add(new AppendResult(event.eventId(), false, existing));
        continue;
      }
      StoredEvent stored = new StoredEvent(++lastSeq, event, now, replyTo, null);
      events.put(event.eventId(), stored);
      pendingByLearner.computeIfAbsent(event.learnerId(), k -> new TreeMap<>()).put(stored.seq(), event.eventId());
      knownLearners.add(event.learnerId());
      pendingTotal++;
      results.add(new AppendResult(event.eventId(), true, null));
    }
    return Future.succeededFuture(results);
  }

  /** Why accepting the new events of {@code batch} would pass a bound, or null when it would not. */
  private String fullFor(List<LearningEvent> batch) {
    Set<String> newIds = new HashSet<>();
    Set<String> newLearners = new HashSet<>();
    for (LearningEvent event : batch) {
      if (!events.containsKey(event.eventId()) && newIds.add(event.eventId()) && !knownLearners.contains(event.learnerId())) {
        newLearners.add(event.learnerId());
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
  public synchronized Future<Boolean> quarantine(String eventId, String reason, int attempts) {
    StoredEvent stored = events.get(eventId);
    if (stored == null || stored.applied() || !takeOffPending(stored)) {
      return Future.succeededFuture(false);
    }
    Instant now = clock.instant();
    quarantine.put(eventId, new QuarantinedEvent(stored.seq(), eventId, stored.event().learnerId(), reason, attempts,
        now));
    flags.add(new FlagEntry(flags.size() + 1, stored.event().learnerId(), eventId, QUARANTINED_RULE, reason, now));
    return Future.succeededFuture(true);
  }

  @Override
  public synchronized Future<List<QuarantinedEvent>> quarantined(int limit) {
    return Future.succeededFuture(quarantine.values().stream()
        .sorted(java.util.Comparator.comparingLong(QuarantinedEvent::seq)).limit(limit).toList());
  }

  @Override
  public synchronized Future<Long> quarantinedCount() {
    return Future.succeededFuture((long) quarantine.size());
  }

  @Override
  public synchronized Future<Optional<QuarantinedEvent>> requeue(String eventId) {
    QuarantinedEvent q = quarantine.remove(eventId);
    if (q != null) {
      pendingByLearner.computeIfAbsent(q.learnerId(), k -> new TreeMap<>()).put(q.seq(), eventId);
      pendingTotal++;
    }
    return Future.succeededFuture(Optional.ofNullable(q));
  }

  @Override
  public synchronized Future<Optional<QuarantinedEvent>> discard(String eventId) {
    // Out of the quarantine and off the pending events, but still in the log: the id stays taken.
    return Future.succeededFuture(Optional.ofNullable(quarantine.remove(eventId)));
  }

  private boolean isPending(StoredEvent stored) {
    TreeMap<Long, String> queue = pendingByLearner.get(stored.event().learnerId());
    return queue != null && queue.containsKey(stored.seq());
  }

  private boolean takeOffPending(StoredEvent stored) {
    TreeMap<Long, String> queue = pendingByLearner.get(stored.event().learnerId());
    if (queue == null || queue.remove(stored.seq()) == null) {
      return false;
    }
    pendingTotal--;
    if (queue.isEmpty()) {
      pendingByLearner.remove(stored.event().learnerId());
    }
    return true;
  }

  @Override
  public synchronized Future<Optional<StoredEvent>> event(String eventId) {
    return Future.succeededFuture(Optional.ofNullable(events.get(eventId)));
  }

  @Override
  public synchronized Future<List<StoredEvent>> pending(String learnerId, int limit) {
    TreeMap<Long, String> queue = pendingByLearner.get(learnerId);
    if (queue == null) {
      return Future.succeededFuture(List.of());
    }
    return Future.succeededFuture(queue.values().stream().limit(limit).map(events::get).toList());
  }

  @Override
  public synchronized Future<List<String>> learnersWithPending(Instant acceptedBefore, int limit) {
    return Future.succeededFuture(pendingByLearner.entrySet().stream()
        .filter(e -> acceptedBefore == null
            || events.get(e.getValue().firstEntry().getValue()).acceptedAt().isBefore(acceptedBefore))
        .sorted(java.util.Comparator.comparingLong(e -> e.getValue().firstKey()))
        .map(Map.Entry::getKey).limit(limit).toList());
  }

  @Override
  public synchronized Future<Long> pendingCount() {
    return Future.succeededFuture(pendingByLearner.values().stream().mapToLong(TreeMap::size).sum());
  }

  @Override
  public synchronized Future<Long> boardTotalCount() {
    return Future.succeededFuture(boards.values().stream().mapToLong(Map::size).sum());
  }

  @Override
  public synchronized Future<Long> pendingCount(long atMost) {
    return Future.succeededFuture(Math.min(pendingTotal, atMost));
  }

  @Override
  public synchronized Future<Optional<Learner>> learner(String learnerId) {
    return Future.succeededFuture(Optional.ofNullable(learners.get(learnerId)));
  }

  @Override
  public synchronized Future<Boolean> hasEarned(String learnerId, String type, String objectId) {
    return Future.succeededFuture(earnedObjects.contains(objectKey(learnerId, type, objectId)));
  }

  @Override
  public synchronized Future<Map<String, Long>> commit(EventApplication app) {
    Learner after = app.after();
    String learnerId = after.learnerId();
    StoredEvent stored = app.eventId() == null ? null : events.get(app.eventId());
    if (app.eventId() != null && (stored == null || stored.applied() || !isPending(stored))) {
      return conflict("event " + app.eventId() + " is not waiting to be applied");
    }
    Learner current = learners.get(learnerId);
    long currentVersion = current == null ? 0 : current.version();
    if (currentVersion != app.expectedVersion()) {
      return conflict("learner " + learnerId + " changed concurrently");
    }
    learners.put(learnerId, after);
    if (app.earnedObject() != null) {
      earnedObjects.add(objectKey(learnerId, app.earnedObject().type(), app.earnedObject().objectId()));
    }
    ledgers.computeIfAbsent(learnerId, k -> new ArrayList<>()).addAll(app.ledger());
    Map<String, BadgeAward> owned = badges.computeIfAbsent(learnerId, k -> new LinkedHashMap<>());
    app.awards().forEach(award -> owned.putIfAbsent(award.badgeId(), award));
    transitions.computeIfAbsent(learnerId, k -> new ArrayList<>()).addAll(app.transitions());
    for (Flag f : app.flags()) {
      flags.add(new FlagEntry(flags.size() + 1, learnerId, app.eventId(), f.rule(), f.detail(), f.at()));
    }
    Deque<Notification> history = notifications.computeIfAbsent(learnerId, k -> new ArrayDeque<>());
    for (Notification n : app.notifications()) {
      history.addLast(n);
      if (history.size() > notificationHistory) {
        history.removeFirst();
      }
    }
    Map<String, Long> totals = new HashMap<>();
    app.boardIncrements().forEach((board, xp) -> totals.put(board,
        boards.computeIfAbsent(board, k -> new TreeMap<>()).merge(learnerId, xp, Long::sum)));
    if (stored != null) {
      events.put(app.eventId(), new StoredEvent(stored.seq(), stored.event(), stored.acceptedAt(), stored.replyTo(),
          app.outcome()));
      takeOffPending(stored);
    }
    return Future.succeededFuture(totals);
  }

  @Override
  public synchronized Future<List<LedgerEntry>> ledger(String learnerId, int limit) {
    List<LedgerEntry> rows = ledgers.getOrDefault(learnerId, List.of());
    List<LedgerEntry> newestFirst = new ArrayList<>(Math.min(limit, rows.size()));
    for (int i = rows.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
      newestFirst.add(rows.get(i));
    }
    return Future.succeededFuture(newestFirst);
  }

  @Override
  public synchronized Future<List<BadgeAward>> badges(String learnerId) {
    return Future.succeededFuture(List.copyOf(badges.getOrDefault(learnerId, Map.of()).values()));
  }

  @Override
  public synchronized Future<List<Transition>> transitions(String learnerId) {
    return Future.succeededFuture(List.copyOf(transitions.getOrDefault(learnerId, List.of())));
  }

  @Override
  public synchronized Future<List<FlagEntry>> flags(String learnerId, int limit) {
    List<FlagEntry> newestFirst = new ArrayList<>();
    for (int i = flags.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
      if (flags.get(i).learnerId().equals(learnerId)) {
        newestFirst.add(flags.get(i));
      }
    }
    return Future.succeededFuture(newestFirst);
  }

  @Override
  public synchronized Future<List<FlagEntry>> flagsAfter(long afterFlagId, int limit) {
    int from = (int) Math.min(Math.max(afterFlagId, 0), flags.size());
    return Future.succeededFuture(List.copyOf(flags.subList(from, Math.min(flags.size(), from + limit))));
  }

  @Override
  public synchronized Future<List<Notification>> notificationsAfter(String learnerId, long afterSeq, int limit) {
    return Future.succeededFuture(notifications.getOrDefault(learnerId, new ArrayDeque<>()).stream()
        .filter(n -> n.seq() > afterSeq).limit(limit).toList());
  }

  @Override
  public synchronized Future<List<String>> idleLearners(Instant activeIdleSince, Instant atRiskIdleSince, int limit) {
    return Future.succeededFuture(learners.values().stream()
        .filter(l -> l.lastActivityAt() != null)
        .filter(l -> l.state() == ProgressionState.ACTIVE && !l.lastActivityAt().isAfter(activeIdleSince)
            || l.state() == ProgressionState.AT_RISK && !l.lastActivityAt().isAfter(atRiskIdleSince))
        .map(Learner::learnerId).limit(limit).toList());
  }

  @Override
  public synchronized Future<List<BoardTotal>> boardTotals(BoardTotal after, int limit) {
    List<BoardTotal> page = new ArrayList<>(Math.min(limit, 1024));
    var fromBoard = after == null ? boards : boards.tailMap(after.board(), true);
    for (var board : fromBoard.entrySet()) {
      var fromLearner = after != null && board.getKey().equals(after.board())
          ? board.getValue().tailMap(after.learnerId(), false) : board.getValue();
      for (var score : fromLearner.entrySet()) {
        if (page.size() == limit) {
          return Future.succeededFuture(page);
        }
        page.add(new BoardTotal(board.getKey(), score.getKey(), score.getValue()));
      }
    }
    return Future.succeededFuture(page);
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  private static String objectKey(String learnerId, String type, String objectId) {
    // '|' is in none of the three alphabets, so the key is unambiguous.
    return learnerId + "|" + type + "|" + objectId;
  }

  private static <T> Future<T> conflict(String message) {
    return Future.failedFuture(Failure.CONFLICT.exception(ErrorCodes.CONFLICT, message, null));
  }
}
