package io.learnquest.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/** Waiting without blocking, for tests that run on Vert.x (vertx-junit5). */
public final class Polls {
  private Polls() {
  }

  /**
   * Completes once {@code done} holds, checking every 5 ms. The first check waits too: a periodic
   * timer cancelled from its first tick at delay 0 can throw in Vert.x (its future not yet set),
   * and the poll then never completed.
   */
  public static Future<Void> until(Vertx vertx, BooleanSupplier done) {
    Promise<Void> reached = Promise.promise();
    vertx.setPeriodic(5, timer -> {
      if (done.getAsBoolean()) {
        vertx.cancelTimer(timer);
        reached.complete();
      }
    });
    return reached.future();
  }
}
