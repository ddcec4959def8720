package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBatcherTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger messages = new AtomicInteger();

  record Number(int n) {
  }

  record Doubled(int doubled) {
  }

  @AfterEach
  void close() {
    TestEngine.await(vertx.close());
  }

  /** Doubles {@code n}; refuses negative numbers as bad input. */
  private void serveDoubling() {
    Codecs.register(vertx, Number.class, Doubled.class);
    vertx.eventBus().addInboundInterceptor(ctx -> {
      if ("test.double".equals(ctx.message().address())) {
        messages.incrementAndGet();
      }
      ctx.next();
    });
    TestEngine.await(RequestBatcher.<Number, Doubled>serve(vertx, "test.double", item -> item.n() < 0
        ? Future.failedFuture(Failure.INVALID_INPUT.exception("negative", "n is negative", "n"))
        : Future.succeededFuture(new Doubled(2 * item.n()))));
  }

  private List<Future<Doubled>> requestAll(int count) {
    Codecs.register(vertx, Number.class, Doubled.class);
    Promise<List<Future<Doubled>>> sent = Promise.promise();
    vertx.runOnContext(v -> {
      RequestBatcher<Number, Doubled> requests = new RequestBatcher<>(vertx, "test.double", 50, 1);
      List<Future<Doubled>> answers = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        answers.add(requests.request(new Number(i == 7 ? -1 : i)));
      }
      sent.complete(answers);
    });
    List<Future<Doubled>> answers = TestEngine.await(sent.future());
    TestEngine.await(Future.join(answers).otherwiseEmpty());
    return answers;
  }

  @Test
  void requestsOfOneTurnTravelTogetherInOrderEachWithItsOwnAnswer() {
    serveDoubling();
    List<Future<Doubled>> answers = requestAll(120);

    // 120 requests at most 50 a message: 3 messages, not 120.
    assertEquals(3, messages.get());
    for (int i = 0; i < answers.size(); i++) {
      if (i == 7) {
        continue;
      }
      assertTrue(answers.get(i).succeeded(), "item " + i);
      assertEquals(2 * i, answers.get(i).result().doubled());
    }
    Failure.EngineException refused = Failure.from(answers.get(7).cause());
    assertEquals(Failure.INVALID_INPUT, refused.failure());
    assertEquals("negative", refused.body().getString("error"));
    assertEquals("n", refused.body().getString("field"));
  }

  @Test
  void withNobodyServingEveryItemFailsAsUnavailable() {
    List<Future<Doubled>> answers = requestAll(3);
    for (Future<Doubled> answer : answers) {
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
    Codecs.register(vertx, Number.class);
    TestEngine.await(RequestBatcher.<Number, Doubled>serve(vertx, "test.silent",
        item -> Promise.<Doubled>promise().future()));
    Promise<Boolean> sameContext = Promise.promise();
    Promise<Throwable> failure = Promise.promise();
    vertx.runOnContext(v -> {
      var context = Vertx.currentContext();
      RequestBatcher<Number, Doubled> requests = new RequestBatcher<>(vertx, "test.silent", 50, 1);
      Bus.within(vertx, requests.request(new Number(1)), 100).onComplete(ar -> {
        sameContext.complete(Vertx.currentContext() == context);
        failure.complete(ar.cause());
      });
    });
    assertTrue(TestEngine.await(sameContext.future()), "went on off its context");
    assertTrue(TestEngine.await(failure.future()) instanceof java.util.concurrent.TimeoutException);
  }

  @Test
  void withinANodeItemsAndAnswersAreHandedOverNotCopied() {
    Codecs.register(vertx, Number.class, Doubled.class);
    Doubled answer = new Doubled(2);
    Promise<Number> received = Promise.promise();
    TestEngine.await(RequestBatcher.<Number, Doubled>serve(vertx, "test.handover", item -> {
      received.complete(item);
      return Future.succeededFuture(answer);
    }));
    Number item = new Number(1);
    Promise<Future<Doubled>> asked = Promise.promise();
    vertx.runOnContext(v -> asked.complete(new RequestBatcher<Number, Doubled>(vertx, "test.handover", 50, 1)
        .request(item)));
    Doubled got = TestEngine.await(TestEngine.await(asked.future()));
    assertSame(item, TestEngine.await(received.future()));
    assertSame(answer, got);
  }
}
