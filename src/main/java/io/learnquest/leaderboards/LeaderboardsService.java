package io.learnquest.leaderboards;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.bus.Tenancy;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.jobs.Jobs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * The leaderboards verticle as its callers see it: typed messages over the event bus. The rules
 * set a learner's scores from the durable totals after each commit ({@link #update}, batched per
 * event-loop turn); the web reads pages and the peer window around a learner. One instance
 * belongs to the verticle instance that made it.
 */
public final class LeaderboardsService {
  static final int UPDATE_BATCH = 500;
  static final int UPDATES_IN_FLIGHT = 2;
  /**
   * A rebuild answers when every total is merged, which grows with the learners: 6 to 8 s per 2
   * million board totals on a 2-core machine (docs/benchmarks.md), soon past a read's 10 s.
   */
  public static final long REBUILD_TIMEOUT_MS = 600_000;

  /** A learner's absolute scores, by board key, from the durable totals the commit returned. */
  public record ScoresUpdate(String tenant, String learnerId, Map<String, Long> scores) {
    public ScoresUpdate {
      scores = Map.copyOf(scores);
    }
  }

  /**
   * Durable totals a void corrected, by board key: the projection replaces each score where it still
   * is {@code from} (they may go down, which {@link ScoresUpdate} never does).
   */
  public record ScoreCorrections(String tenant, String learnerId, Map<String, ScoreChange> changes) {
    public ScoreCorrections {
      changes = Map.copyOf(changes);
    }
  }

  /** Page {@code page} (from 1) of {@code size} entries of the board {@code scope} / {@code period}. */
  public record PageQuery(String tenant, String scope, String period, int page, int size) {
  }

  /** The ranks {@code window} above to {@code window} below the learner's on one board. */
  public record AroundQuery(String tenant, String scope, String period, String learnerId, int window) {
  }

  /** A slice of a board, as {@code GET /api/v1/leaderboards/...} answers it. */
  public record BoardPage(String scope, String period, long total, List<Entry> entries) {
    public BoardPage {
      entries = List.copyOf(entries);
    }
  }

  /** One rank; {@code isCurrentUser} only in the window around a learner (absent from a page). */
  public record Entry(long rank, String learnerId, long xp,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean isCurrentUser) {
  }

  /**
   * Published when an update or a correction may not have reached the projection (it failed or
   * took too long): every leaderboards instance rebuilds its tenants' boards at its next check.
   */
  public record Dirty(String eventId) {
  }

  /** Rebuild the tenant's boards from the durable totals, and answer when done. */
  public record RebuildRequest(String tenant) {
  }

  /**
   * A rebuild's answer, with its {@code jobId}: the {@code boards} and {@code entries} written and
   * the {@code generation} swapped in; or, for a request that waited for another node's rebuild,
   * that rebuild's {@code generation} and {@code joined} true. What an answer does not carry is left out.
   */
  public record Rebuilt(@JsonInclude(JsonInclude.Include.NON_NULL) Long boards,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Long entries, String generation,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean joined, String jobId) {
    static Rebuilt written(long boards, long entries, String generation, String jobId) {
      return new Rebuilt(boards, entries, generation, null, jobId);
    }

    static Rebuilt joined(String generation, String jobId) {
      return new Rebuilt(null, null, generation, true, jobId);
    }
  }

  /** Start rebuilding the tenant's boards, and answer the rebuild's job at once. */
  public record StartRebuild(String tenant) {
  }

  /** The job of a rebuild going on, as {@code GET /api/v1/jobs/{jobId}} shows it when it starts. */
  public record RebuildJob(String jobId, String kind, String state, long processed, long total, double percent,
                           double ratePerSecond, Long etaSeconds, String startedAt, String finishedAt, String reason,
                           String tenant) {
    static RebuildJob of(Jobs.Status job, String reason, String tenant) {
      return new RebuildJob(job.jobId(), job.kind(), job.state(), job.processed(), job.total(), job.percent(),
          job.ratePerSecond(), job.etaSeconds(), job.startedAt(), job.finishedAt(), reason, tenant);
    }
  }

  private final Vertx vertx;
  private RequestBatcher<ScoresUpdate, Void> updates;

  public LeaderboardsService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, ScoresUpdate.class, ScoreCorrections.class, PageQuery.class, AroundQuery.class,
        BoardPage.class, Dirty.class, Tenancy.Erase.class, RebuildRequest.class, Rebuilt.class, StartRebuild.class,
        RebuildJob.class);
  }

  /** Sets the scores; answered once the projection holds them, or with a coded failure. */
  public Future<Void> update(ScoresUpdate update) {
    if (updates == null) {
      updates = new RequestBatcher<>(vertx, Addresses.LEADERBOARDS_UPDATE, UPDATE_BATCH, UPDATES_IN_FLIGHT);
    }
    return updates.request(update);
  }

  /** Applies the corrections; answered once the projection holds them, or with a coded failure. */
  public Future<Void> correct(ScoreCorrections corrections) {
    return Bus.ask(vertx, Addresses.LEADERBOARDS_REPLACE, corrections);
  }

  public Future<BoardPage> page(PageQuery query) {
    return Bus.ask(vertx, Addresses.LEADERBOARDS_PAGE, query);
  }

  /** The window around the learner; {@code not_found} when the learner has no score on that board. */
  public Future<BoardPage> around(AroundQuery query) {
    return Bus.ask(vertx, Addresses.LEADERBOARDS_AROUND, query);
  }

  /** Tells every leaderboards instance of every node that the update for {@code eventId} may be missing. */
  public void markDirty(String eventId) {
    vertx.eventBus().publish(Addresses.LEADERBOARDS_DIRTY, new Dirty(eventId));
  }

  /**
   * Rebuilds the tenant's boards, answered when done (allowed {@link #REBUILD_TIMEOUT_MS}). One
   * rebuild runs per tenant at a time: a request while one runs gets its answer.
   */
  public Future<Rebuilt> rebuild(String tenant) {
    return Bus.askWithin(vertx, Addresses.LEADERBOARDS_REBUILD, new RebuildRequest(tenant), REBUILD_TIMEOUT_MS);
  }

  /** Starts a rebuild of the tenant's boards and answers its job at once; the job shows its progress. */
  public Future<RebuildJob> startRebuild(String tenant) {
    return Bus.ask(vertx, Addresses.LEADERBOARDS_REBUILD_START, new StartRebuild(tenant));
  }

  /** Answered (with nothing) once the projection's store answers; a coded failure otherwise. */
  public Future<Void> ready() {
    return Bus.ask(vertx, Addresses.LEADERBOARDS_READY, null);
  }

  /** Erases the tenant's leaderboards. */
  public Future<Void> eraseTenant(String tenant) {
    return Bus.ask(vertx, Addresses.LEADERBOARDS_TENANT_ERASE, new Tenancy.Erase(tenant));
  }
}
