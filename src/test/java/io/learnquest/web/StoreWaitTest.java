package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** The one way the rate limits and the push connections wait for Redis, and step aside from it. */
class StoreWaitTest {

  @Test
  void aFailureMakesTheStoreAwayAndIsLoggedOnceInTenSeconds() {
    StoreWait wait = new StoreWait(null, 250);
    assertFalse(wait.away());
    long now = System.currentTimeMillis();
    assertTrue(wait.failed(now), "the first failure is logged");
    assertTrue(wait.away(), "not asked again for a second");
    assertFalse(wait.failed(now + 1), "nor logged again within ten seconds");
    assertTrue(wait.failed(now + StoreWait.WARN_EVERY_MS), "logged again ten seconds later");
  }

  @Test
  void aCallThatThrowsOrDoesNotAnswerInTimeFails() {
    Vertx vertx = Vertx.vertx();
    try {
      StoreWait wait = new StoreWait(vertx, 50);
      IllegalStateException refused = new IllegalStateException("wait queue full");
      Future<String> thrown = wait.ask(() -> {
        throw refused;
      });
      assertSame(refused, thrown.cause(), "a client that refuses at once is a failure like any other");
      assertEquals("answered", TestEngine.await(wait.ask(() -> Future.succeededFuture("answered"))));
      Future<String> silent = wait.ask(() -> Promise.<String>promise().future());
      TestEngine.eventually(java.time.Duration.ofSeconds(5), silent::failed);
    } finally {
      TestEngine.await(vertx.close());
    }
  }
}
