package io.learnquest.ingestion;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.learner.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The ingestion verticle as its callers see it: typed messages over the event bus. {@link #submit}
 * records validated events in the durable log ({@code ingestion.submit}); once the rules apply an
 * event that named a {@code replyTo}, its {@link Outcomes} arrive there. {@link #outcome} asks the
 * log whether an event is applied ({@code ingestion.outcome}). One instance belongs to the verticle
 * instance that made it: submissions of one event-loop turn travel as one message.
 */
public final class IngestionService {
  /** Submissions per message, and messages out at once, before the next ones wait. */
  static final int SUBMIT_BATCH = 500;
  static final int SUBMITS_IN_FLIGHT = 2;

  /** A validated event, and whether its sender gave the occurredAt (a retry without it is no conflict). */
  public record Submitted(LearningEvent event, boolean occurredAtGiven) {
  }

  /**
   * Events of one tenant to record; {@code replyTo} (or null) is where their outcomes are sent once
   * applied.
   */
  public record SubmitEvents(String tenant, List<Submitted> events, String replyTo) {
    public SubmitEvents {
      events = List.copyOf(events);
    }

    public static SubmitEvents of(String tenant, LearningEvent event, boolean occurredAtGiven, String replyTo) {
      return new SubmitEvents(tenant, List.of(new Submitted(event, occurredAtGiven)), replyTo);
    }
  }

  /** What became of one submitted event. */
  public enum Status {
    /** New: recorded in the log, to be applied. */
    ACCEPTED,
    /** Its eventId was recorded before, for the same event: nothing new was recorded. */
    DUPLICATE,
    /** Its eventId was recorded before for an event that says something else: refused. */
    CONFLICT
  }

  /** {@code outcome}: for a duplicate whose first delivery is applied already, that outcome. */
  public record Result(String eventId, Status status, Outcome outcome) {
  }

  /** The results of a {@link SubmitEvents}, in its order. */
  public record Accepted(List<Result> results) {
    public Accepted {
      results = List.copyOf(results);
    }
  }

  public record OutcomeQuery(String tenant, String eventId) {
  }

  /** Whether the log knows the event, whether it is applied, and then its outcome (as a duplicate's). */
  public record EventStatus(boolean known, boolean applied, Outcome outcome) {
  }

  /**
   * The outcome of an event of {@code tenant}, applied, as the JSON text of the waiting request's
   * answer: encoded once by the rules, the text the store kept (across nodes it travels as that
   * text, and the answer is written from it as it is).
   */
  public record Applied(String tenant, String eventId, String outcomeJson) {
  }

  /** Sent by the rules to a submission's {@code replyTo}: outcomes of events applied in one turn. */
  public record Outcomes(List<Applied> outcomes) {
    public Outcomes {
      outcomes = List.copyOf(outcomes);
    }
  }

  private final Vertx vertx;
  private final RequestBatcher<SubmitEvents, Accepted> submits;

  public IngestionService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
    this.submits = new RequestBatcher<>(vertx, Addresses.INGESTION_SUBMIT, SUBMIT_BATCH, SUBMITS_IN_FLIGHT);
  }

  /** The message types of this service, registered once per Vert.x instance (again is harmless). */
  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, SubmitEvents.class, Accepted.class, OutcomeQuery.class, EventStatus.class, Outcomes.class);
  }

  /**
   * Records the events: answered once the log holds them. Refused whole (coded failure) when the
   * backlog is full or the log is away; otherwise each event has its {@link Result}.
   */
  public Future<Accepted> submit(SubmitEvents events) {
    return submits.request(events);
  }

  public Future<EventStatus> outcome(String tenant, String eventId) {
    return Bus.ask(vertx, Addresses.INGESTION_OUTCOME, new OutcomeQuery(tenant, eventId));
  }

  /** Answered (with nothing) once the event log answers; a coded failure when it does not. */
  public Future<Void> ready() {
    return Bus.ask(vertx, Addresses.INGESTION_READY, null);
  }
}
