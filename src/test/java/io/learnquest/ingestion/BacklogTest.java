package io.learnquest.ingestion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.store.EventLog;
import io.vertx.core.Future;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The backlog estimate asks the log for a count ten times a second while the backlog may be half
 * the max or more, and once a second below that (each count reads the pending events).
 */
class BacklogTest {
  /** A log that answers every count at once with {@code pending}, and counts the counts. */
  private static EventLog log(AtomicLong pending, AtomicInteger counts) {
    return (EventLog) Proxy.newProxyInstance(EventLog.class.getClassLoader(), new Class<?>[] {EventLog.class},
        (proxy, method, args) -> {
          if (method.getName().equals("pendingCount")) {
            counts.incrementAndGet();
            return Future.succeededFuture(pending.get());
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  /** Asks for the estimate every 10 ms for {@code millis}. */
  private static void askFor(Backlog backlog, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      backlog.estimate();
      Thread.sleep(10);
    }
  }

  @Test
  void farFromTheLimitTheLogIsCountedOnceASecond() throws InterruptedException {
    AtomicInteger counts = new AtomicInteger();
    Backlog backlog = new Backlog(log(new AtomicLong(100), counts), 1_000);
    askFor(backlog, 600);
    // at the first ask, then not before a second has passed (at 100 ms it would be six counts)
    assertEquals(1, counts.get());
    assertEquals(100, backlog.estimate());
    assertFalse(backlog.full());
  }

  @Test
  void fromHalfTheLimitOnTheLogIsCountedTenTimesASecond() throws InterruptedException {
    AtomicInteger counts = new AtomicInteger();
    AtomicLong pending = new AtomicLong(100);
    Backlog backlog = new Backlog(log(pending, counts), 1_000);
    backlog.estimate();
    // a burst accepted here brings the estimate to half the max: the next count is due at 100 ms
    backlog.accepted(400);
    pending.set(990);
    askFor(backlog, 600);
    assertTrue(counts.get() >= 3, "counted " + counts.get() + " times in 600 ms");
    pending.set(1_000);
    askFor(backlog, 150);
    assertTrue(backlog.full(), "the next count, within 150 ms, found it full: " + backlog.estimate());
  }
}
