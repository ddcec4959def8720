package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.store.ConnectionLeases.Lease;
import io.learnquest.store.ConnectionLeases.Renewal;
import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every connection-lease adapter must do; each adapter's test extends this. Leases expire on
 * the store's own clock, so the tests that need one to expire give it a short life and poll.
 */
public abstract class ConnectionLeasesContract {
  static final long LONG = 60_000;
  static final long SHORT = 300;
  static final Duration PATIENCE = Duration.ofSeconds(20);

  protected abstract ConnectionLeases store();

  /** A tenant of this test only, so runs on a shared store never meet. */
  final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

  private Lease lease(String learnerId, String holder) {
    return new Lease(tenant, learnerId, holder);
  }

  private boolean acquire(Lease lease, int limit, long leaseMs) {
    return await(store().acquire(lease, limit, leaseMs));
  }

  @Test
  void aLearnerHoldsAtMostTheLimitAndARefusalTakesNothing() {
    for (int i = 0; i < 3; i++) {
      assertTrue(acquire(lease("ana", "node-a:" + i), 3, LONG));
    }
    assertFalse(acquire(lease("ana", "node-b:1"), 3, LONG));
    assertFalse(acquire(lease("ana", "node-b:2"), 3, LONG), "the refusal took no slot, and freed none");
    assertTrue(acquire(lease("ana", "node-b:1"), 4, LONG), "a higher limit lets one more in");
  }

  @Test
  void aHolderThatAlreadyHoldsItsLeaseGetsItAgainAtTheLimit() {
    assertTrue(acquire(lease("ana", "node-a:1"), 1, LONG));
    assertTrue(acquire(lease("ana", "node-a:1"), 1, LONG), "a retried acquisition is not a second slot");
    assertFalse(acquire(lease("ana", "node-a:2"), 1, LONG));
  }

  @Test
  void leasesAreCountedPerLearnerAndPerTenant() {
    assertTrue(acquire(lease("ana", "node-a:1"), 1, LONG));
    assertTrue(acquire(lease("ben", "node-a:2"), 1, LONG));
    assertTrue(acquire(new Lease(tenant + "-b", "ana", "node-a:3"), 1, LONG));
    assertFalse(acquire(lease("ana", "node-a:4"), 1, LONG));
  }

  @Test
  void aReleaseFreesItsSlotAtOnceAndReleasingAnUnknownLeaseChangesNothing() {
    assertTrue(acquire(lease("ana", "node-a:1"), 2, LONG));
    assertTrue(acquire(lease("ana", "node-a:2"), 2, LONG));
    await(store().release(lease("ana", "node-a:9")));
    await(store().release(lease("nobody", "node-a:9")));
    assertFalse(acquire(lease("ana", "node-b:1"), 2, LONG));
    await(store().release(lease("ana", "node-a:1")));
    assertTrue(acquire(lease("ana", "node-b:1"), 2, LONG));
    assertFalse(acquire(lease("ana", "node-b:2"), 2, LONG));
  }

  @Test
  void aLeaseNobodyRenewsExpiresAndFreesItsSlot() {
    assertTrue(acquire(lease("ana", "dead-node:1"), 1, SHORT));
    // the node that took it is gone: no renewal, no release
    TestEngine.eventually(PATIENCE, () -> acquire(lease("ana", "node-b:1"), 1, LONG));
    assertFalse(acquire(lease("ana", "node-b:2"), 1, LONG), "the new lease counts, the expired one no more");
  }

  @Test
  void aRenewedLeaseOutlivesItsFirstTerm() {
    assertTrue(acquire(lease("ana", "node-a:1"), 1, SHORT));
    assertEquals(List.of(true), await(store().renew(List.of(new Renewal(lease("ana", "node-a:1"), false)), LONG)));
    // a witness taken after the renewal, for as short: once its slot is free again, the first
    // term of ana's lease is over too
    assertTrue(acquire(lease("witness", "node-a:2"), 1, SHORT));
    TestEngine.eventually(PATIENCE, () -> acquire(lease("witness", "node-a:3"), 1, LONG));
    assertFalse(acquire(lease("ana", "node-b:1"), 1, LONG), "the renewed lease still holds the slot");
  }

  @Test
  void aRenewalAddsAMissingLeaseOnlyWhenAskedTo() {
    List<Boolean> held = await(store().renew(List.of(
        new Renewal(lease("ana", "node-a:1"), false),
        new Renewal(lease("ben", "node-a:2"), true),
        new Renewal(lease("ben", "node-a:3"), true)), LONG));
    assertEquals(List.of(false, true, true), held);
    assertTrue(acquire(lease("ana", "node-b:1"), 1, LONG), "the released lease was not brought back");
    assertFalse(acquire(lease("ben", "node-b:1"), 2, LONG), "both of ben's leases count");
    // a renewal is no acquisition: it holds past the limit (the connections are open already)
    assertEquals(List.of(true, true), await(store().renew(List.of(
        new Renewal(lease("ana", "node-a:1"), true), new Renewal(lease("ana", "node-b:1"), false)), LONG)));
    assertFalse(acquire(lease("ana", "node-b:2"), 2, LONG));
  }

  @Test
  void concurrentAcquisitionsNeverGrantMoreThanTheLimit() {
    List<Future<Boolean>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(store().acquire(lease("crowd", "node-" + (i % 3) + ":" + i), 5, LONG));
    }
    await(Future.all(all));
    assertEquals(5, all.stream().filter(Future::result).count());
  }
}
