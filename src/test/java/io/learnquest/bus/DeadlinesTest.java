package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Bus#within} on an event-loop context: its bounds share timers and still hold. */
class DeadlinesTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestEngine.await(vertx.close());
  }

  private record Started(Context context, List<Future<String>> bounded, long startedNanos) {
  }

  /** {@code count} bounds of {@code ms} on never-answered work, all started in one turn of a context. */
  private Started boundsOnOneContext(int count, long ms) {
    Promise<Started> started = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<String>> bounded = new ArrayList<>();
      long now = System.nanoTime();
      for (int i = 0; i < count; i++) {
        bounded.add(Bus.within(vertx, Promise.<String>promise().future(), ms));
      }
      started.complete(new Started(Vertx.currentContext(), bounded, now));
    });
    return TestEngine.await(started.future());
  }

  @Test
  void theBoundsOfOneTurnShareOneTimerAndEachExpiresOnTheContextNoSoonerThanAsked() {
    Started started = boundsOnOneContext(200, 100);
    List<Long> expiredAfterMs = new ArrayList<>();
    List<Boolean> onTheContext = new ArrayList<>();
    List<Future<Void>> expired = started.bounded().stream().map(f -> Future.<Void>future(p -> f.onComplete(ar -> {
      synchronized (expiredAfterMs) {
        expiredAfterMs.add((System.nanoTime() - started.startedNanos()) / 1_000_000);
        onTheContext.add(Vertx.currentContext() == started.context());
      }
      p.complete();
    }))).toList();
    TestEngine.await(Future.all(expired));
    assertTrue(started.bounded().stream().allMatch(f -> f.cause() instanceof TimeoutException), "expired with a timeout");
    assertEquals(200, expiredAfterMs.size());
    assertTrue(expiredAfterMs.stream().allMatch(ms -> ms >= 100), "no bound expired before 100 ms: " + expiredAfterMs);
    assertTrue(onTheContext.stream().allMatch(Boolean::booleanValue), "every expiry ran on the bounds' context");
    Promise<Long> timers = Promise.promise();
    started.context().runOnContext(v -> timers.complete(Deadlines.of(started.context()).timersSet()));
    assertEquals(1, TestEngine.await(timers.future()), "200 bounds of one turn, one timer");
  }

  @Test
  void aBoundAnsweredInTimeKeepsItsAnswerWhenItsBatchExpires() {
    Promise<Future<String>> bounded = Promise.promise();
    Promise<Future<String>> unanswered = Promise.promise();
    vertx.runOnContext(v -> {
      Promise<String> work = Promise.promise();
      bounded.complete(Bus.within(vertx, work.future(), 80));
      unanswered.complete(Bus.within(vertx, Promise.<String>promise().future(), 80));
      vertx.setTimer(10, t -> work.complete("answer"));
    });
    assertEquals("answer", TestEngine.await(TestEngine.await(bounded.future())));
    Future<String> other = TestEngine.await(unanswered.future());
    TestEngine.await(other.otherwiseEmpty());
    assertTrue(other.cause() instanceof TimeoutException, "its batch expired");
    assertEquals("answer", TestEngine.await(bounded.future()).result(), "the answered bound kept its answer");
  }

  @Test
  void boundsStartedFurtherApartThanTheWindowHaveTimersOfTheirOwn() {
    Promise<Context> context = Promise.promise();
    List<Future<String>> bounded = new ArrayList<>();
    vertx.runOnContext(v -> {
      bounded.add(Bus.within(vertx, Promise.<String>promise().future(), 60));
      bounded.add(Bus.within(vertx, Promise.<String>promise().future(), 70));
      vertx.setTimer(Deadlines.WINDOW_MS * 3, t -> {
        bounded.add(Bus.within(vertx, Promise.<String>promise().future(), 60));
        context.complete(Vertx.currentContext());
      });
    });
    Context on = TestEngine.await(context.future());
    TestEngine.await(Future.join(new ArrayList<>(bounded)).otherwiseEmpty());
    assertTrue(bounded.stream().allMatch(f -> f.cause() instanceof TimeoutException));
    Promise<Long> timers = Promise.promise();
    on.runOnContext(v -> timers.complete(Deadlines.of(on).timersSet()));
    assertEquals(3, TestEngine.await(timers.future()), "a length of its own, and a batch after the window closed");
  }

  @Test
  void boundsOfTwoRequestsShareTheirEventLoopsTimerAndEachExpiresOnItsOwnContext() {
    ContextInternal root = (ContextInternal) vertx.getOrCreateContext();
    ContextInternal first = root.duplicate();
    ContextInternal second = root.duplicate();
    Promise<Context> firstExpiredOn = Promise.promise();
    Promise<Context> secondExpiredOn = Promise.promise();
    root.runOnContext(v -> {
      first.runOnContext(w -> Bus.within(vertx, Promise.<String>promise().future(), 40)
          .onComplete(ar -> firstExpiredOn.complete(Vertx.currentContext())));
      second.runOnContext(w -> Bus.within(vertx, Promise.<String>promise().future(), 40)
          .onComplete(ar -> secondExpiredOn.complete(Vertx.currentContext())));
    });
    assertSame(first, TestEngine.await(firstExpiredOn.future()));
    assertSame(second, TestEngine.await(secondExpiredOn.future()));
    Promise<Long> timers = Promise.promise();
    root.runOnContext(v -> timers.complete(Deadlines.of(root).timersSet()));
    assertEquals(1, TestEngine.await(timers.future()), "the two requests' bounds, one timer");
  }

  @Test
  void offAnyContextABoundStillExpires() {
    long start = System.nanoTime();
    Future<String> bounded = Bus.within(vertx, Promise.<String>promise().future(), 50);
    TestEngine.await(bounded.otherwiseEmpty());
    assertTrue(bounded.cause() instanceof TimeoutException);
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 50);
  }
}
