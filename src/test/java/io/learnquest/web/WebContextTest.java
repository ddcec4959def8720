package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.learnquest.bus.Addresses;
import io.learnquest.notifications.NotificationsService;
import io.learnquest.support.TestEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A web instance serves its HTTP requests on the event loop of its event-bus consumers (its own
 * context), so the state it keeps between the two (waiting requests, batched submissions) is only
 * ever touched by one thread.
 */
class WebContextTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  @Test
  void requestsRunOnTheContextOfTheInstancesConsumers() {
    AtomicReference<Thread> requests = new AtomicReference<>();
    AtomicReference<Thread> consumers = new AtomicReference<>();
    engine.engine.httpRouter().route().order(-1_000_000).handler(ctx -> {
      requests.compareAndSet(null, Thread.currentThread());
      ctx.next();
    });
    engine.vertx.eventBus().addInboundInterceptor(delivery -> {
      if (Addresses.NOTIFICATIONS_LIVE.equals(delivery.message().address())) {
        consumers.compareAndSet(null, Thread.currentThread());
      }
      delivery.next();
    });
    assertEquals(200, engine.get("/health").status());
    engine.vertx.eventBus().publish(Addresses.NOTIFICATIONS_LIVE, new NotificationsService.Live(io.learnquest.domain.Tenants.DEFAULT, List.of()));
    TestEngine.eventually(Duration.ofSeconds(10), () -> consumers.get() != null);
    assertNotNull(requests.get(), "the request went through the router");
    assertSame(consumers.get(), requests.get(), "requests and consumers on one event loop");
  }
}
