package io.learnquest.ingestion;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.bus.Failure;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.ingestion.EventAppender.Appended;
import io.learnquest.ingestion.IngestionService.Status;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.store.memory.MemoryEngineStore;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The one append path: what REST, batch and the Kafka intake all record events through. */
class EventAppenderTest {
  private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");
  private final MemoryEngineStore log = new MemoryEngineStore(Clock.fixed(AT, ZoneOffset.UTC), 10);

  private static Submitted lesson(String eventId, String objectId, boolean occurredAtGiven) {
    return lessonAt(eventId, objectId, AT, occurredAtGiven);
  }

  private static Submitted lessonAt(String eventId, String objectId, Instant at, boolean occurredAtGiven) {
    return new Submitted(new LearningEvent(eventId, "ana", "lesson_completed", at, null, "java-101", objectId, null, 1,
        false), occurredAtGiven);
  }

  @Test
  void eachEventIdIsAcceptedOnceASecondDeliveryIsADuplicateAndAnotherEventUnderItAConflict() {
    EventAppender appender = EventAppender.unbounded(log);
    Appended first = await(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e1", "l-1", true), lesson("e2", "l-2", true)), null));
    assertEquals(List.of(Status.ACCEPTED, Status.ACCEPTED), first.results().stream().map(r -> r.status()).toList());
    assertEquals(List.of("e1", "e2"), first.pending().stream().map(p -> p.stored().event().eventId()).toList());

    Appended again = await(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e1", "l-1", true), lesson("e2", "l-other", true),
        lesson("e3", "l-3", true)), null));
    assertEquals(List.of(Status.DUPLICATE, Status.CONFLICT, Status.ACCEPTED),
        again.results().stream().map(r -> r.status()).toList());
    assertEquals(List.of("e1", "e2", "e3"), again.results().stream().map(r -> r.eventId()).toList());
    assertEquals(List.of("e3"), again.pending().stream().map(p -> p.stored().event().eventId()).toList());
    // not applied yet: a duplicate has no outcome to give
    assertEquals(null, again.results().get(0).outcome());
  }

  @Test
  void aRetryThatLeavesOccurredAtOutIsTheSameEvent() {
    EventAppender appender = EventAppender.unbounded(log);
    await(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e1", "l-1", true)), null));
    Submitted retried = lessonAt("e1", "l-1", AT.plusSeconds(30), false);
    assertEquals(Status.DUPLICATE, await(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(retried), null)).results().get(0).status());
    Submitted moved = lessonAt("e1", "l-1", AT.plusSeconds(30), true);
    assertEquals(Status.CONFLICT, await(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(moved), null)).results().get(0).status());
  }

  @Test
  void aBoundedAppenderRefusesAWholeCallPastTheBacklogAndAnUnboundedOneDoesNot() {
    EventAppender bounded = EventAppender.bounded(log, 2);
    await(bounded.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e1", "l-1", true), lesson("e2", "l-2", true)), null));
    Failure.EngineException e = refusal(bounded.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e3", "l-3", true)), null));
    assertEquals(Failure.OVERLOADED, e.failure());
    assertEquals("overloaded", e.body().getString("error"));
    assertTrue(await(log.event(io.learnquest.domain.Tenants.DEFAULT, "e3")).isEmpty(), "nothing of a refused call is recorded");
    assertEquals(Status.ACCEPTED,
        await(EventAppender.unbounded(log).append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e3", "l-3", true)), null)).results().get(0).status());
  }

  @Test
  void aFullStoreIsSaidAsItIsAndAnyOtherStoreFailureAsUnavailable() {
    MemoryEngineStore small = new MemoryEngineStore(Clock.fixed(AT, ZoneOffset.UTC), 10, 1, 1);
    EventAppender appender = EventAppender.unbounded(small);
    await(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e1", "l-1", true)), null));
    Failure.EngineException full = refusal(appender.append(io.learnquest.domain.Tenants.DEFAULT, List.of(lesson("e2", "l-2", true)), null));
    assertEquals(Failure.STORE_FULL, full.failure());
    assertEquals("store_full", full.body().getString("error"));
  }

  private static Failure.EngineException refusal(Future<?> call) {
    Throwable error = assertThrows(Throwable.class, () -> await(call));
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    while (cause != null && !(cause instanceof Failure.EngineException)) {
      cause = cause.getCause();
    }
    assertTrue(cause instanceof Failure.EngineException, "expected a coded failure, got " + error);
    return (Failure.EngineException) cause;
  }
}
