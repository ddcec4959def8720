package io.learnquest.ingestion;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.ingestion.IngestionService.Result;
import io.learnquest.ingestion.IngestionService.Status;
import io.learnquest.ingestion.IngestionService.Submitted;
import io.learnquest.store.AppendResult;
import io.learnquest.store.EventLog;
import io.learnquest.store.PendingEvent;
import io.learnquest.store.StoreException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The one way validated events enter the durable log, for every way they arrive: the ingestion
 * verticle's (REST and batch) and the Kafka intake's (records external producers wrote to the
 * events topic). Each eventId is accepted once; a second delivery of the same event is a duplicate
 * (with the first one's outcome once it is applied), and an eventId already used by an event that
 * says something else is a conflict. A refusal of the whole call is a coded bus failure. Used from
 * one event loop.
 */
public final class EventAppender {
  private final EventLog log;
  /**
   * Events one bounded appender may have in appends the log has not answered yet. Past it a call
   * is refused at once ({@code overloaded}, Retry-After) rather than queued: a node whose log
   * records slower than clients send (a flood, a slow or starved database) then holds a bounded
   * number of events, requests and connections, instead of piling them up until its heap or its
   * file handles run out. Group commit writes about a thousand events per statement, so more
   * waiting than this adds no throughput. A call arriving when none is waiting always goes,
   * whatever its size.
   */
  static final int MAX_APPENDING = 4096;
  /** Refuses new events past {@code ingestion.maxBacklog}; null for an appender that never refuses. */
  private final Backlog backlog;
  private int appending;

  private EventAppender(EventLog log, Backlog backlog) {
    this.log = log;
    this.backlog = backlog;
  }

  /**
   * An appender that refuses a call ({@code OVERLOADED}) while {@code maxBacklog} events wait to be
   * applied, or {@link #MAX_APPENDING} wait to be recorded.
   */
  public static EventAppender bounded(EventLog log, long maxBacklog) {
    return new EventAppender(log, new Backlog(log, maxBacklog));
  }

  /**
   * An appender without those bounds, for the Kafka intake: the topic is its queue, it appends one
   * polled batch at a time, and refusing there would hold up the very learners whose events make
   * the backlog.
   */
  public static EventAppender unbounded(EventLog log) {
    return new EventAppender(log, null);
  }

  /**
   * What one call recorded: each event's result in input order, and the events new to the log as
   * they now wait in it (each with its learner's event pending before it).
   */
  public record Appended(List<Result> results, List<PendingEvent> pending) {
  }

  /** Records the events of {@code tenant} (its eventIds, its learners). */
  public Future<Appended> append(String tenant, List<Submitted> events, String replyTo) {
    if (backlog != null && backlog.full()) {
      // A batch is refused whole: the client retries one request, not the holes of one.
      return Future.failedFuture(Failure.OVERLOADED.exception(ErrorCodes.OVERLOADED,
          "the engine holds " + backlog.max() + " or more accepted events not applied yet; nothing was recorded, "
              + "retry after the delay in Retry-After", null));
    }
    if (backlog != null && appending > 0 && appending + events.size() > MAX_APPENDING) {
      return Future.failedFuture(Failure.OVERLOADED.exception(ErrorCodes.OVERLOADED, "the engine has " + appending
          + " events waiting to be recorded; nothing was recorded, retry after the delay in Retry-After", null));
    }
    List<LearningEvent> batch = new ArrayList<>(events.size());
    events.forEach(s -> batch.add(s.event()));
    int size = batch.size();
    appending += size;
    return log.append(tenant, batch, replyTo)
        .andThen(done -> appending -= size)
        .recover(e -> Future.failedFuture(refusedOrFull(e) ? Failure.from(e)
            : Failure.STORE_UNAVAILABLE.exception(ErrorCodes.STORE_UNAVAILABLE,
                "the event log is unavailable; nothing was recorded, retry later", null)))
        .map(results -> {
          List<PendingEvent> pending = new ArrayList<>();
          List<Result> out = new ArrayList<>(results.size());
          for (int i = 0; i < results.size(); i++) {
            AppendResult r = results.get(i);
            Submitted sent = events.get(i);
            if (r.accepted()) {
              out.add(new Result(r.eventId(), Status.ACCEPTED, null));
              pending.add(r.pending());
            } else if (!r.existing().event().sameAs(sent.event(), sent.occurredAtGiven())) {
              out.add(new Result(r.eventId(), Status.CONFLICT, null));
            } else {
              out.add(new Result(r.eventId(), Status.DUPLICATE,
                  r.existing().applied() ? r.existing().outcome().withStatus(Outcome.DUPLICATE) : null));
            }
          }
          if (backlog != null) {
            backlog.accepted(pending.size());
          }
          return new Appended(out, pending);
        });
  }

  /** Why an eventId in conflict is refused, in the words every path answers with. */
  public static String conflictMessage(String eventId) {
    return "eventId " + eventId + " was already used for a different event; a retry must send the same event, "
        + "a new event needs a new eventId";
  }

  /** A refusal retrying cannot cure: said as it is, rather than as "unavailable, retry later". */
  private static boolean refusedOrFull(Throwable e) {
    return StoreException.is(e, StoreException.Kind.FULL) || StoreException.is(e, StoreException.Kind.REFUSED);
  }
}
