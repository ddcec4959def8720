package io.learnquest.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.learnquest.bus.Tenancy;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.Outcome;
import io.learnquest.domain.learner.VoidRecord;
import io.learnquest.domain.progression.Transition;
import io.learnquest.store.QuarantinedEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules verticle as its callers see it, besides the nudges of {@link LearnersPending}: typed
 * messages over the event bus for what it owns beyond applying events (the learner's part of the
 * profile, transitions, fair-play flags, the inactivity sweep, the quarantine, voids). Each reply
 * that web writes as an answer is a record shaped as docs/api.md describes it. One instance
 * belongs to the verticle instance that made it.
 */
public final class RulesService {
  /**
   * Time a retry or a void may take: each waits for the learner's earlier events to be applied,
   * which may take longer than a read.
   */
  static final long IN_LINE_TIMEOUT_MS = 60_000;

  public record LearnerQuery(String tenant, String learnerId) {
  }

  /** The learner's part of the profile; the streak and the badges come from their own verticles. */
  public record Profile(String learnerId, String state, long xp, int level, Long nextLevelXp, String timezone,
                        Map<String, Long> counters) {
    public Profile {
      counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }
  }

  /** The learner's transitions, oldest first, as {@code GET /api/v1/learners/{id}/transitions} answers them. */
  public record Transitions(List<Transition> transitions) {
    public Transitions {
      transitions = List.copyOf(transitions);
    }
  }

  /** The newest {@code limit} flags of a learner. */
  public record FlagsQuery(String tenant, String learnerId, int limit) {
  }

  /** A page of every learner's flags, oldest first: {@code limit} after the flag {@code after}. */
  public record FlagPageQuery(String tenant, long after, int limit) {
  }

  /** A flag as the API shows it: {@code flagId} as text, the cursor of the flags list. */
  public record Flag(String flagId, String learnerId, String eventId, String rule, String detail, Instant at) {
    static Flag of(FlagEntry f) {
      return new Flag(String.valueOf(f.flagId()), f.learnerId(), f.eventId(), f.rule(), f.detail(), f.at());
    }
  }

  /** A learner's flags, newest first. */
  public record LearnerFlags(List<Flag> flags) {
    public LearnerFlags {
      flags = List.copyOf(flags);
    }
  }

  /** {@code next}: the cursor of the following page, null on the last. */
  public record FlagPage(List<Flag> flags, String next) {
    public FlagPage {
      flags = List.copyOf(flags);
    }
  }

  /** A sweep of the tenant's learners now (the periodic sweep takes every tenant). */
  public record SweepQuery(String tenant) {
  }

  /** {@code swept} false on a node that does not hold the sweeper lease (another node sweeps). */
  public record Sweep(boolean swept, int transitions) {
  }

  public record QuarantineQuery(String tenant, int limit) {
  }

  /** A quarantined event as the API lists it. */
  public record Quarantined(String eventId, String learnerId, String reason, int attempts, Instant at) {
    static Quarantined of(QuarantinedEvent q) {
      return new Quarantined(q.eventId(), q.learnerId(), q.reason(), q.attempts(), q.at());
    }
  }

  /** {@code count} is all of the tenant's quarantined events, {@code events} at most the limit, oldest first. */
  public record Quarantine(long count, List<Quarantined> events) {
    public Quarantine {
      events = List.copyOf(events);
    }
  }

  /** A quarantined event to retry or discard. */
  public record QuarantinedRef(String tenant, String eventId) {
  }

  /**
   * A retry's answer: {@code status} {@code applied} (with the {@code outcome}), {@code quarantined}
   * (with the new {@code reason} and {@code attempts}) or {@code pending}; what a status does not
   * carry is left out.
   */
  public record Retried(String eventId, String learnerId, String status,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Outcome outcome,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Integer attempts) {
  }

  /** The discarded entry, {@code status} {@code discarded}. */
  public record Discarded(String eventId, String learnerId, String reason, int attempts, Instant at, String status) {
    static Discarded of(QuarantinedEvent q) {
      return new Discarded(q.eventId(), q.learnerId(), q.reason(), q.attempts(), q.at(), "discarded");
    }
  }

  public record VoidRequest(String tenant, String eventId, String reason) {
  }

  /** A void's answer, {@code status} {@code voided}; the same again for an event voided already. */
  public record Voided(String eventId, String learnerId, String status, String reason, Instant voidedAt,
                       long xpChange, List<String> badgesRevoked) {
    public Voided {
      badgesRevoked = List.copyOf(badgesRevoked);
    }

    static Voided of(VoidRecord record) {
      return new Voided(record.eventId(), record.learnerId(), "voided", record.reason(), record.voidedAt(),
          record.xpChange(), record.badgesRevoked());
    }
  }

  private final Vertx vertx;

  public RulesService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, Tenancy.Erase.class, LearnerQuery.class, Profile.class, Transitions.class,
        FlagsQuery.class, FlagPageQuery.class, LearnerFlags.class, FlagPage.class, SweepQuery.class, Sweep.class,
        QuarantineQuery.class, Quarantine.class, QuarantinedRef.class, Retried.class, Discarded.class,
        VoidRequest.class, Voided.class);
  }

  /** The learner's part of the profile; {@code not_found} for a learner the engine does not know. */
  public Future<Profile> profile(String tenant, String learnerId) {
    return Bus.ask(vertx, Addresses.RULES_PROFILE, new LearnerQuery(tenant, learnerId));
  }

  /** {@code not_found} for an unknown learner. */
  public Future<Transitions> transitions(String tenant, String learnerId) {
    return Bus.ask(vertx, Addresses.RULES_TRANSITIONS, new LearnerQuery(tenant, learnerId));
  }

  /** {@code not_found} for an unknown learner. */
  public Future<LearnerFlags> flags(String tenant, String learnerId, int limit) {
    return Bus.ask(vertx, Addresses.RULES_FLAGS, new FlagsQuery(tenant, learnerId, limit));
  }

  public Future<FlagPage> allFlags(String tenant, long after, int limit) {
    return Bus.ask(vertx, Addresses.RULES_ALL_FLAGS, new FlagPageQuery(tenant, after, limit));
  }

  public Future<Sweep> sweep(String tenant) {
    return Bus.ask(vertx, Addresses.RULES_INACTIVITY_SWEEP, new SweepQuery(tenant));
  }

  public Future<Quarantine> quarantined(String tenant, int limit) {
    return Bus.ask(vertx, Addresses.RULES_QUARANTINE_LIST, new QuarantineQuery(tenant, limit));
  }

  /** It drains the event's learner before answering; {@code not_found} when the event is not in the quarantine. */
  public Future<Retried> retryQuarantined(String tenant, String eventId) {
    return Bus.askWithin(vertx, Addresses.RULES_QUARANTINE_RETRY, new QuarantinedRef(tenant, eventId),
        IN_LINE_TIMEOUT_MS);
  }

  /** {@code not_found} when the event is not in the quarantine. */
  public Future<Discarded> discardQuarantined(String tenant, String eventId) {
    return Bus.ask(vertx, Addresses.RULES_QUARANTINE_DISCARD, new QuarantinedRef(tenant, eventId));
  }

  /**
   * Voids an applied event after the learner's earlier events; {@code not_found} for an unknown
   * event, {@code conflict} for one that was never applied.
   */
  public Future<Voided> voidEvent(String tenant, String eventId, String reason) {
    return Bus.askWithin(vertx, Addresses.RULES_VOID, new VoidRequest(tenant, eventId, reason), IN_LINE_TIMEOUT_MS);
  }

  /** Answered (with nothing) once the event log and the learner store answer; a coded failure otherwise. */
  public Future<Void> ready() {
    return Bus.ask(vertx, Addresses.RULES_READY, null);
  }

  /** Erases the tenant's events and everything recorded about its learners. */
  public Future<Void> eraseTenant(String tenant) {
    return Bus.ask(vertx, Addresses.RULES_TENANT_ERASE, new Tenancy.Erase(tenant));
  }
}
