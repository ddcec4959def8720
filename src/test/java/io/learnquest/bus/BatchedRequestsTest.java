package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchedRequestsTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger messages = new AtomicInteger();

  @AfterEach
  void close() {
    TestEngine.await(vertx.close());
  }

  /** Doubles {@code n}; refuses negative numbers as bad input. */
  private void serveDoubling() {
    vertx.eventBus().addInboundInterceptor(ctx -> {
      if ("test.double".equals(ctx.message().address())) {
        messages.incrementAndGet();
      }
      ctx.next();
    });
    TestEngine.await(BatchedRequests.serve(vertx, "test.double", item -> {
      int n = item.getInteger("n");
      return n < 0 ? Future.failedFuture(Failure.INVALID_INPUT.exception("negative", "n is negative", "n"))
          : Future.succeededFuture(new JsonObject().put("doubled", 2 * n));
    }));
  }

  private List<Future<JsonObject>> requestAll(int count) {
    Promise<List<Future<JsonObject>>> sent = Promise.promise();
    vertx.runOnContext(v -> {
      BatchedRequests requests = new BatchedRequests(vertx, "test.double", 50, 1);
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        answers.add(requests.request(new JsonObject().put("n", i == 7 ? -1 : i)));
      }
      sent.complete(answers);
    });
    List<Future<JsonObject>> answers = TestEngine.await(sent.future());
    TestEngine.await(Future.join(answers).otherwiseEmpty());
    return answers;
  }

  @Test
  void requestsOfOneTurnTravelTogetherInOrderEachWithItsOwnAnswer() {
    serveDoubling();
    List<Future<JsonObject>> answers = requestAll(120);

    // 120 requests at most 50 a message: 3 messages, not 120.
    assertEquals(3, messages.get());
    for (int i = 0; i < answers.size(); i++) {
      if (i == 7) {
        continue;
      }
      assertTrue(answers.get(i).succeeded(), "item " + i);
      assertEquals(2 * i, answers.get(i).result().getInteger("doubled"));
    }
    Failure.EngineException refused = Failure.from(answers.get(7).cause());
    assertEquals(Failure.INVALID_INPUT, refused.failure());
    assertEquals("negative", refused.body().getString("error"));
    assertEquals("n", refused.body().getString("field"));
  }

  @Test
  void withNobodyServingEveryItemFailsAsUnavailable() {
    List<Future<JsonObject>> answers = requestAll(3);
    for (Future<JsonObject> answer : answers) {
      assertTrue(answer.failed());
      assertEquals(Failure.STORE_UNAVAILABLE, Failure.from(answer.cause()).failure());
    }
  }

  /**
   * A timed-out request goes on on the context that made it. With {@code Future.timeout} it went on
   * on a Netty global thread (the promise behind a batched request has no context), where the rules
   * then raced their own event loop over the outcomes of the turn.
   */
  @Test
  void aRequestNobodyAnswersTimesOutOnTheContextThatMadeIt() {
    TestEngine.await(Bus.serve(vertx, "test.silent", item -> Promise.<JsonObject>promise().future()));
    Promise<Boolean> sameContext = Promise.promise();
    Promise<Throwable> failure = Promise.promise();
    vertx.runOnContext(v -> {
      var context = Vertx.currentContext();
      BatchedRequests requests = new BatchedRequests(vertx, "test.silent", 50, 1);
      Bus.within(vertx, requests.request(new JsonObject()), 100).onComplete(ar -> {
        sameContext.complete(Vertx.currentContext() == context);
        failure.complete(ar.cause());
      });
    });
    assertTrue(TestEngine.await(sameContext.future()), "went on off its context");
    assertTrue(TestEngine.await(failure.future()) instanceof java.util.concurrent.TimeoutException);
  }

  @Test
  void withinANodeItemsAndAnswersAreHandedOverNotCopied() {
    JsonObject answer = new JsonObject().put("seen", true);
    Promise<JsonObject> received = Promise.promise();
    TestEngine.await(BatchedRequests.serve(vertx, "test.handover", item -> {
      received.complete(item);
      return Future.succeededFuture(answer);
    }));
    JsonObject item = new JsonObject().put("n", 1);
    Promise<Future<JsonObject>> asked = Promise.promise();
    vertx.runOnContext(v -> asked.complete(new BatchedRequests(vertx, "test.handover", 50, 1).request(item)));
    JsonObject got = TestEngine.await(TestEngine.await(asked.future()));
    assertSame(item, TestEngine.await(received.future()));
    assertSame(answer, got);
  }

  @Test
  void betweenNodesItemsTravelAsJsonAndEveryInstanceMayRegisterTheCodec() {
    HandedOverJson codec = new HandedOverJson();
    JsonObject json = new JsonObject().put("items", new JsonArray()
        .add(new JsonObject().put("eventId", "e-1").put("at", "2026-11-27T10:00:00Z").put("xp", 15)));
    Buffer wire = Buffer.buffer("header");
    codec.encodeToWire(wire, json);
    assertEquals(json, codec.decodeFromWire("header".length(), wire));
    HandedOverJson.register(vertx);
    HandedOverJson.register(vertx);
  }
}
