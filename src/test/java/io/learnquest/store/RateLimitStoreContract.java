package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.store.RateLimitStore.Grant;
import io.learnquest.store.RateLimitStore.Take;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every rate-limit adapter must do; each adapter's test extends this. */
public abstract class RateLimitStoreContract {
  static final long MINUTE = 60_000_000;
  static final long SECOND = 1_000_000;

  protected abstract RateLimitStore store();

  /** A moment near the real one (Redis expires budgets on its own clock). */
  final long now = System.currentTimeMillis() * 1_000;
  /** A tenant of this test only, so runs on a shared store never meet. */
  final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

  private List<Grant> take(long at, Take... takes) {
    return await(store().take(List.of(takes), at));
  }

  private Take learner(String id, long units) {
    return new Take(tenant, "l:" + id, units, 120, MINUTE, false);
  }

  @Test
  void aBudgetGrantsItsLimitThenRefusesWithTheWaitAndChangesNothing() {
    assertEquals(new Grant(120, 0), take(now, learner("ana", 120)).get(0));
    Grant refused = take(now, learner("ana", 1)).get(0);
    assertEquals(new Grant(0, 500_000), refused);
    assertEquals(0, take(now + 499_999, learner("ana", 1)).get(0).granted(), "the refusals took nothing");
    assertEquals(1, take(now + 500_000, learner("ana", 1)).get(0).granted());
  }

  @Test
  void aTakeOfSeveralUnitsGetsTheFirstOnesThatFit() {
    take(now, learner("ana", 118));
    assertEquals(new Grant(2, 500_000), take(now, learner("ana", 5)).get(0));
  }

  @Test
  void budgetsAreKeptPerNameAndPerTenant() {
    take(now, learner("ana", 120));
    assertEquals(120, take(now, learner("ben", 120)).get(0).granted());
    Take otherTenant = new Take(tenant + "-b", "l:ana", 120, 120, MINUTE, false);
    assertEquals(120, take(now, otherTenant).get(0).granted());
  }

  @Test
  void aRequiredTakeThatFailsStopsTheTakesAfterIt() {
    Take key = new Take(tenant, "k:key-1", 1, 2, SECOND, true);
    assertEquals(List.of(new Grant(1, 0), new Grant(3, 0)), take(now, key, learner("ana", 3)));
    assertEquals(List.of(new Grant(1, 0), new Grant(3, 0)), take(now, key, learner("ana", 3)));
    List<Grant> third = take(now, key, learner("ana", 3));
    assertEquals(0, third.get(0).granted());
    assertEquals(500_000, third.get(0).retryAfterMicros());
    assertEquals(Grant.NONE, third.get(1), "the learner's budget is not touched");
    assertEquals(114, take(now, learner("ana", 120)).get(0).granted());
  }

  @Test
  void concurrentTakesNeverGrantMoreThanTheLimit() {
    List<Future<List<Grant>>> all = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      all.add(store().take(List.of(learner("crowd", 1)), now));
    }
    await(Future.all(all));
    long granted = all.stream().mapToLong(f -> f.result().get(0).granted()).sum();
    assertEquals(120, granted);
  }

  @Test
  void takesMadeInOneEventLoopTurnAreEachDecidedOnTheirOwn() {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      io.vertx.core.Promise<List<Future<List<Grant>>>> made = io.vertx.core.Promise.promise();
      vertx.runOnContext(v -> {
        List<Future<List<Grant>>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
          // a key of 100 a second (required) and the crowd's learner budget of 120 a minute
          calls.add(store().take(List.of(new Take(tenant, "k:turn", 1, 100, SECOND, true), learner("turn-crowd", 1)),
              now));
        }
        made.complete(calls);
      });
      List<Future<List<Grant>>> calls = await(made.future());
      await(Future.all(calls));
      long keys = calls.stream().mapToLong(f -> f.result().get(0).granted()).sum();
      long learners = calls.stream().mapToLong(f -> f.result().get(1).granted()).sum();
      assertEquals(100, keys);
      assertEquals(100, learners, "a call whose key was refused took nothing from its learner");
      for (Future<List<Grant>> call : calls) {
        assertEquals(call.result().get(0).granted(), call.result().get(1).granted(), call.result().toString());
      }
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void anIdleBudgetRefillsToItsLimitAndNoFurther() {
    take(now, learner("ana", 120));
    assertEquals(60, take(now + 30 * SECOND, learner("ana", 1_000)).get(0).granted());
    assertEquals(120, take(now + 10 * MINUTE, learner("ana", 1_000)).get(0).granted());
  }
}
