package io.learnquest.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.store.AppendResult;
import io.learnquest.store.EventLog;
import io.learnquest.store.StoredEvent;
import io.learnquest.store.memory.MemoryEngineStore;
import io.learnquest.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * At most {@code maxDraining} learners are drained at once; the others wait their turn, first
 * nudged first, each once however often nudged while waiting.
 */
class LearnerQueueTest {
  static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  final Vertx vertx = Vertx.vertx();
  final Context context = vertx.getOrCreateContext();
  final MemoryEngineStore log = new MemoryEngineStore(Clock.fixed(T0, ZoneOffset.UTC), 10);
  /** Learners whose event the applier was given, in that order; their applications stay open until released. */
  final List<String> started = Collections.synchronizedList(new ArrayList<>());
  final Map<String, Promise<Void>> open = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    TestEngine.await(vertx.close());
  }

  /** The one pending event of a learner. */
  private static io.learnquest.store.LearnerRef ref(String learnerId) {
    return new io.learnquest.store.LearnerRef(io.learnquest.domain.Tenants.DEFAULT, learnerId);
  }

  private static LearningEvent lesson(String learnerId) {
    return new LearningEvent("e-" + learnerId, learnerId, "lesson_completed", T0, null, "c1", "lesson-1", null, 2,
        false);
  }

  private Future<?> apply(StoredEvent stored) {
    Promise<Void> done = Promise.promise();
    open.put(stored.event().learnerId(), done);
    started.add(stored.event().learnerId());
    return done.future();
  }

  private void onContext(Runnable action) {
    Promise<Void> ran = Promise.promise();
    context.runOnContext(v -> {
      action.run();
      ran.complete();
    });
    TestEngine.await(ran.future());
  }

  private void release(String learnerId) {
    onContext(() -> open.remove(learnerId).complete());
  }

  @Test
  void atMostTwoLearnersAreDrainedAtOnceAndTheRestFollowInTurn() throws InterruptedException {
    List<String> learners = List.of("ana", "ben", "cleo", "dev", "eve");
    TestEngine.await(log.append(io.learnquest.domain.Tenants.DEFAULT, learners.stream().map(LearnerQueueTest::lesson).toList(), null));
    LearnerQueue queue = new LearnerQueue(vertx, log, this::apply, false, 3, 2);

    onContext(() -> Stream.of("ana", "ben", "cleo", "dev", "dev", "eve").map(LearnerQueueTest::ref).forEach(queue::nudge));
    TestEngine.eventually(Duration.ofSeconds(5), () -> started.size() >= 2);
    Thread.sleep(300);
    assertEquals(List.of("ana", "ben"), started, "two at once");

    release("ben");
    TestEngine.eventually(Duration.ofSeconds(5), () -> started.size() >= 3);
    assertEquals(List.of("ana", "ben", "cleo"), started, "ben's place goes to the first one waiting");

    for (String learner : List.of("ana", "cleo", "dev", "eve")) {
      TestEngine.eventually(Duration.ofSeconds(5), () -> open.containsKey(learner));
      release(learner);
    }
    assertEquals(learners, started, "each learner once, in the order nudged");
  }

  /**
   * A recovery offer for a learner whose lock someone else holds gives its place up at once, and
   * the learner is left to the holder; a live nudge for them waits for the lock and applies.
   */
  @Test
  void aRecoveryOfferLeavesABusyLearnerToItsHolderAndFreesItsPlace() {
    TestEngine.await(log.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("ana"), lesson("ben")), null));
    LearnerQueue queue = new LearnerQueue(vertx, log, this::apply, false, 3, 1);
    io.vertx.core.shareddata.Lock held = TestEngine.await(vertx.sharedData().getLocalLock("learner.default/ana"));

    onContext(() -> {
      queue.recover(ref("ana"));
      queue.nudge(ref("ben"));
    });
    TestEngine.eventually(Duration.ofSeconds(5), () -> open.containsKey("ben"));
    assertEquals(List.of("ben"), started, "ana's place went to ben without waiting for ana's lock");
    release("ben");

    onContext(() -> queue.nudge(ref("ana")));
    held.release();
    TestEngine.eventually(Duration.ofSeconds(5), () -> open.containsKey("ana"));
    release("ana");
    assertEquals(List.of("ben", "ana"), started);
  }

  private static LearningEvent lesson(String learnerId, int n) {
    return new LearningEvent("e-" + learnerId + "-" + n, learnerId, "lesson_completed", T0.plusSeconds(n), null, "c1",
        "lesson-" + n, null, 2, false);
  }

  /** A learner's pending events go to the chain applier together, in acceptance order. */
  @Test
  void aLearnersPendingEventsAreAppliedTogether() {
    TestEngine.await(log.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("ana", 1), lesson("ana", 2), lesson("ana", 3)), null));
    List<List<String>> chains = Collections.synchronizedList(new ArrayList<>());
    LearnerQueue queue = new LearnerQueue(vertx, log, this::apply, chain -> {
      chains.add(chain.stream().map(e -> e.event().eventId()).toList());
      return Future.succeededFuture();
    }, false, 3, 2);
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> queue.drainNow(ref("ana")).onComplete(drained));
    TestEngine.await(drained.future());
    assertEquals(List.of(List.of("e-ana-1", "e-ana-2", "e-ana-3")), chains);
    assertEquals(List.of(), started, "none alone");
  }

  /** A chain that fails commits nothing: its events are then applied one at a time, in order. */
  @Test
  void whenTheChainFailsEachEventIsAppliedAlone() {
    TestEngine.await(log.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("ana", 1), lesson("ana", 2)), null));
    List<String> alone = Collections.synchronizedList(new ArrayList<>());
    LearnerQueue queue = new LearnerQueue(vertx, log, stored -> {
      alone.add(stored.event().eventId());
      return Future.succeededFuture();
    }, chain -> Future.failedFuture(new IllegalStateException("one of them cannot be applied")), false, 3, 2);
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> queue.drainNow(ref("ana")).onComplete(drained));
    TestEngine.await(drained.future());
    assertEquals(List.of("e-ana-1", "e-ana-2"), alone);
  }

  /** Reads of pending events from the log, by {@link #queueRecordingChains}'s queue. */
  final java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
  /** The eventIds of each chain {@link #queueRecordingChains}'s queue applied, in order. */
  final List<List<String>> chains = Collections.synchronizedList(new ArrayList<>());

  /** The log under test, counting its reads of pending events in {@link #reads}. */
  private EventLog countingReads() {
    return (EventLog) java.lang.reflect.Proxy.newProxyInstance(EventLog.class.getClassLoader(),
        new Class<?>[] {EventLog.class}, (proxy, method, args) -> {
          if (method.getName().equals("pending")) {
            reads.incrementAndGet();
          }
          try {
            return method.invoke(log, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** What the log answered for these events of one learner, as ingestion hands them to the rules. */
  private LearnersPending appended(String learnerId, LearningEvent... events) {
    List<AppendResult> results = TestEngine.await(log.append(io.learnquest.domain.Tenants.DEFAULT, List.of(events), null));
    return new LearnersPending(List.of(ref(learnerId)), results.stream().map(AppendResult::pending).toList());
  }

  /**
   * A queue over the counting log whose chain applier commits nothing and records each chain's
   * eventIds in {@link #chains}; events alone go to {@link #apply}.
   */
  private LearnerQueue queueRecordingChains() {
    return queueRecordingChains(new PendingHints());
  }

  private LearnerQueue queueRecordingChains(PendingHints hints) {
    return new LearnerQueue(vertx, countingReads(), this::apply, chain -> {
      chains.add(chain.stream().map(e -> e.event().eventId()).toList());
      return Future.succeededFuture();
    }, hints, false, 3, 2);
  }

  private void drainOnContext(Runnable handOver, LearnerQueue queue, String learnerId) {
    onContext(handOver);
    // the drain the hand-over started, then one more that finds nothing left
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> queue.withLearnerLock(ref(learnerId), () -> Future.succeededFuture()).<Void>mapEmpty()
        .onComplete(drained));
    TestEngine.await(drained.future());
  }

  /** Events ingestion hands over, with nothing pending before them, are applied without reading the log. */
  @Test
  void handedOverEventsAreAppliedWithoutReadingTheLog() {
    LearnerQueue queue = queueRecordingChains();
    LearnersPending first = appended("ana", lesson("ana", 1), lesson("ana", 2));
    drainOnContext(() -> queue.appended(first), queue, "ana");
    LearnersPending next = appended("ana", lesson("ana", 3), lesson("ana", 4));
    drainOnContext(() -> queue.appended(next), queue, "ana");
    assertEquals(List.of(List.of("e-ana-1", "e-ana-2"), List.of("e-ana-3", "e-ana-4")), chains,
        "the next two follow the two before them");
    assertEquals(0, reads.get(), "no read of the log");
  }

  /** An event handed over whose predecessor this node never got: the log is read, and both applied in order. */
  @Test
  void aHandedOverEventWhosePredecessorIsUnknownHereIsReadFromTheLogWithIt() {
    LearnerQueue queue = queueRecordingChains();
    TestEngine.await(log.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("ana", 1)), null));
    LearnersPending second = appended("ana", lesson("ana", 2));
    drainOnContext(() -> queue.appended(second), queue, "ana");
    assertEquals(List.of(List.of("e-ana-1", "e-ana-2")), chains);
    assertEquals(1, reads.get());
  }

  /**
   * A nudge that says nothing of the events (a quarantine retry), and a recovery offer for a learner
   * no one is draining, read the log, even after a hand-over.
   */
  @Test
  void aNudgeWithoutEventsOrARecoveryOfferReadsTheLog() {
    Map<String, java.util.function.BiConsumer<LearnerQueue, io.learnquest.store.LearnerRef>> nudges =
        Map.of("ana", LearnerQueue::nudge, "bo", LearnerQueue::recover);
    nudges.forEach((learner, nudge) -> {
      reads.set(0);
      chains.clear();
      LearnerQueue queue = queueRecordingChains();
      LearnersPending first = appended(learner, lesson(learner, 1), lesson(learner, 2));
      drainOnContext(() -> queue.appended(first), queue, learner);
      drainOnContext(() -> nudge.accept(queue, ref(learner)), queue, learner);
      assertEquals(1, reads.get(), learner);
      assertEquals(2, chains.size(), "this queue's chains commit nothing: the log still holds both, read again");
    });
  }

  /**
   * A recovery offer for a learner this queue is draining leaves them to that drain: no second
   * drain and no read of the log. (The recovery pass offers every learner with an event waiting,
   * and a node that has fallen behind is draining thousands of them.)
   */
  @Test
  void aRecoveryOfferForALearnerBeingDrainedHereAddsNoDrainAndNoRead() throws InterruptedException {
    Promise<Void> firstChain = Promise.promise();
    LearnerQueue queue = new LearnerQueue(vertx, countingReads(), this::apply, chain -> {
      chains.add(chain.stream().map(e -> e.event().eventId()).toList());
      return chains.size() == 1 ? firstChain.future() : Future.succeededFuture();
    }, new PendingHints(), false, 3, 2);
    LearnersPending handed = appended("ana", lesson("ana", 1), lesson("ana", 2));
    onContext(() -> queue.appended(handed));
    TestEngine.eventually(Duration.ofSeconds(5), () -> chains.size() == 1);
    onContext(() -> queue.recover(ref("ana")));
    onContext(firstChain::complete);
    Thread.sleep(300);
    drainOnContext(() -> { }, queue, "ana");
    assertEquals(List.of(List.of("e-ana-1", "e-ana-2")), chains, "one drain");
    assertEquals(0, reads.get(), "no read of the log");
  }

  /** The Kafka intake's hand-over: applied without a read, except for a learner it says must be read. */
  @Test
  void aHandOverIsAppliedWithoutAReadUnlessTheLearnerMustBeRead() {
    LearnerQueue queue = queueRecordingChains();
    LearnersPending ana = appended("ana", lesson("ana", 1), lesson("ana", 2));
    LearnersPending bob = appended("bob", lesson("bob", 1), lesson("bob", 2));
    onContext(() -> queue.handOver(List.of(ana.events().get(0), ana.events().get(1), bob.events().get(0),
        bob.events().get(1)), List.of(ref("bob"))));
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> Future.all(queue.drainHandedOver(ref("ana")), queue.drainHandedOver(ref("bob")))
        .<Void>mapEmpty().onComplete(drained));
    TestEngine.await(drained.future());
    assertEquals(Set.of(List.of("e-ana-1", "e-ana-2"), List.of("e-bob-1", "e-bob-2")), Set.copyOf(chains));
    assertEquals(1, reads.get(), "bob's");
  }

  /**
   * Kafka mode: the first hand-over of a learner, and the first after this node's partitions moved,
   * is read from the log (its record may be one read again, of an event the partition's last owner
   * applied); the hand-overs that follow what the node saw done are applied without a read.
   */
  @Test
  void inKafkaModeALearnersFirstHandOverSinceThePartitionsMovedIsReadFromTheLog() {
    LearnerQueue queue = queueRecordingChains(PendingHints.forKafka());
    handOverAndDrain(queue, appended("ana", lesson("ana", 1), lesson("ana", 2)), false);
    assertEquals(1, reads.get(), "the log, not the records, says what is pending");
    handOverAndDrain(queue, appended("ana", lesson("ana", 3), lesson("ana", 4)), false);
    assertEquals(1, reads.get(), "they follow the events this node saw done: no read");
    handOverAndDrain(queue, appended("ana", lesson("ana", 5), lesson("ana", 6)), true);
    assertEquals(2, reads.get(), "the partitions moved: read again");
    assertEquals(List.of(List.of("e-ana-1", "e-ana-2"), List.of("e-ana-3", "e-ana-4"),
        List.of("e-ana-1", "e-ana-2", "e-ana-3", "e-ana-4", "e-ana-5", "e-ana-6")), chains,
        "this queue's chains commit nothing: the read after the move finds all six pending");
  }

  /** The Kafka intake's hand-over of one batch, after this node's partitions moved if {@code moved}. */
  private void handOverAndDrain(LearnerQueue queue, LearnersPending batch, boolean moved) {
    Promise<Void> drained = Promise.promise();
    context.runOnContext(v -> {
      if (moved) {
        queue.forgetPendingEvents();
      }
      queue.handOver(batch.events(), List.of());
      Future.all(batch.learners().stream().map(queue::drainHandedOver).toList()).<Void>mapEmpty().onComplete(drained);
    });
    TestEngine.await(drained.future());
  }
}
