package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TurnBatchTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    TestEngine.await(vertx.close());
  }

  @Test
  void whatOneTurnCollectsIsSentOnceWhenTheTurnEndsAndTheNextTurnStartsAfresh() {
    Context context = vertx.getOrCreateContext();
    List<List<String>> sent = new ArrayList<>();
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      TurnBatch<List<String>> batch = new TurnBatch<>(context, ArrayList::new, sent::add);
      batch.collect().add("a");
      batch.collect().add("b");
      assertEquals(List.of(), sent, "nothing leaves before the turn ends");
      context.runOnContext(next -> {
        batch.collect().add("c");
        context.runOnContext(last -> done.complete());
      });
    });
    TestEngine.await(done.future());
    assertEquals(List.of(List.of("a", "b"), List.of("c")), sent);
  }
}
