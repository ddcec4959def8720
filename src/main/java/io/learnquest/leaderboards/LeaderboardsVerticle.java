package io.learnquest.leaderboards;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.bus.RequestBatcher;
import io.learnquest.bus.Tenancy;
import io.learnquest.leaderboards.LeaderboardsService.AroundQuery;
import io.learnquest.leaderboards.LeaderboardsService.BoardPage;
import io.learnquest.leaderboards.LeaderboardsService.Entry;
import io.learnquest.leaderboards.LeaderboardsService.PageQuery;
import io.learnquest.leaderboards.LeaderboardsService.RebuildJob;
import io.learnquest.leaderboards.LeaderboardsService.RebuildRequest;
import io.learnquest.leaderboards.LeaderboardsService.Rebuilt;
import io.learnquest.leaderboards.LeaderboardsService.StartRebuild;
import io.learnquest.leaderboards.LeaderboardsService.ScoresUpdate;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.jobs.Jobs;
import io.learnquest.store.BoardTotalPage;
import io.learnquest.store.LeaderboardStore;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaderboard projection (docs/rules.md, "Leaderboards"): scores set from durable totals, pages, the peer
 * window around a learner, and rebuilds from the durable store. It repairs itself: at start it
 * merges the durable totals in (covering updates a crashed node never wrote), and whenever a write
 * failed or the projection is found empty (Redis flushed or restarted) it rebuilds once the store
 * answers again. Every tenant has its own boards: each request names its tenant ({@code tenant}),
 * and a rebuild restores one tenant's boards, leaving the others' as they are.
 */
public final class LeaderboardsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderboardsVerticle.class);
  /** Why a rebuild an admin asked for runs, as its job says. */
  private static final String ON_REQUEST = "on request";
  /** The kind of job a rebuild or merge of the projection is ({@code GET /api/v1/jobs}). */
  public static final String REBUILD_JOB = "leaderboard_rebuild";
  private Jobs jobs;
  private final LeaderboardStore boards;
  private final LearnerStore learners;
  private final long checkIntervalMs;
  private final int rebuildPageSize;
  /** A write failed: the projection may lack an update until the next rebuild (of every tenant). */
  private boolean dirty;
  private boolean repairing;
  /** The node's rebuilds under way, shared by its instances: a second request for a tenant joins it. */
  private final RebuildFlight flight;

  /** One rebuild per tenant and node at a time; {@code running} holds their answers-to-be while they run. */
  static final class RebuildFlight {
    private final Map<String, Future<Rebuilt>> running = new java.util.HashMap<>();

    Future<Rebuilt> join(String tenant, java.util.function.Supplier<Future<Rebuilt>> start) {
      Promise<Rebuilt> answer;
      synchronized (this) {
        Future<Rebuilt> under = running.get(tenant);
        if (under != null) {
          return under;
        }
        answer = Promise.promise();
        running.put(tenant, answer.future());
      }
      Future<Rebuilt> started;
      try {
        started = start.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(done -> {
        synchronized (this) {
          running.remove(tenant);
        }
        answer.handle(done);
      });
      return answer.future();
    }
  }

  /** How long a rebuild's lease lasts without a page written (a rebuild whose node died is given up then). */
  static final long REBUILD_LEASE_MS = 60_000;
  /** How often a node waiting for another node's rebuild asks whether it is over. */
  static final long JOIN_POLL_MS = 50;

  public LeaderboardsVerticle(EngineContext context) {
    this.flight = context.shared("leaderboards.rebuildFlight", RebuildFlight::new);
    this.boards = context.stores().leaderboards();
    this.learners = context.stores().learners();
    this.checkIntervalMs = context.config().recoveryIntervalMs();
    this.rebuildPageSize = context.config().rebuildPageSize();
  }

  @Override
  public Future<?> start() {
    jobs = new Jobs(vertx);
    LeaderboardsService.registerCodecs(vertx);
    return Future.all(List.of(
        RequestBatcher.serve(vertx, Addresses.LEADERBOARDS_UPDATE, this::update),
        Bus.answer(vertx, Addresses.LEADERBOARDS_REPLACE, this::replace),
        Bus.answer(vertx, Addresses.LEADERBOARDS_PAGE, this::page),
        Bus.answer(vertx, Addresses.LEADERBOARDS_AROUND, this::around),
        Bus.answer(vertx, Addresses.LEADERBOARDS_REBUILD,
            (RebuildRequest request) -> rebuildExactly(request.tenant(), ON_REQUEST, null)),
        Bus.answer(vertx, Addresses.LEADERBOARDS_REBUILD_START, this::startRebuild),
        Bus.answer(vertx, Addresses.LEADERBOARDS_READY, (Void none) -> boards.ping()),
        Bus.answer(vertx, Addresses.LEADERBOARDS_TENANT_ERASE, (Tenancy.Erase erase) -> boards.eraseTenant(erase.tenant())),
        vertx.eventBus().<LeaderboardsService.Dirty>consumer(Addresses.LEADERBOARDS_DIRTY, m -> dirty = true)
            .completion()))
        // Redis may be down at start: the node still starts (PostgreSQL is the truth) and the
        // periodic check rebuilds once Redis answers.
        .compose(v -> mergeAll("start-up").otherwise(e -> {
          dirty = true;
          return null;
        }))
        .onSuccess(v -> vertx.setPeriodic(checkIntervalMs, id -> check()));
  }

  /**
   * Rebuilds, tenant by tenant, when a write failed earlier (every tenant with boards) or a tenant's
   * projection was emptied under us. A rebuild that another node ran meanwhile covers an emptied
   * projection, but not necessarily a write this node failed after it began, so a dirty node
   * rebuilds itself.
   */
  private void check() {
    if (repairing) {
      return;
    }
    repairing = true;
    boolean wasDirty = dirty;
    dirty = false;
    learners.tenantsWithBoards()
        .compose(tenants -> {
          Future<Void> chain = Future.succeededFuture();
          for (String tenant : tenants) {
            chain = chain.compose(v -> boards.isEmpty(tenant).compose(empty -> {
              if (!wasDirty && !empty) {
                return Future.succeededFuture();
              }
              return rebuildExactly(tenant, wasDirty ? "after a failed write" : "projection found empty", null)
                  .onSuccess(result -> dirty = dirty || (wasDirty && Boolean.TRUE.equals(result.joined())))
                  .mapEmpty();
            }));
          }
          return chain;
        })
        .onFailure(e -> dirty = true)
        .onComplete(ar -> repairing = false);
  }

  /** Merges the durable totals of every tenant into the projection (see {@link #merge}). */
  private Future<Void> mergeAll(String why) {
    return learners.tenantsWithBoards().compose(tenants -> {
      Future<Void> chain = Future.succeededFuture();
      for (String tenant : tenants) {
        chain = chain.compose(v -> merge(tenant, why));
      }
      return chain;
    });
  }

  /** Merges the tenant's durable totals into its projection (never lowers a score; safe beside live writes). */
  private Future<Void> merge(String tenant, String why) {
    Jobs.Job job = startJob(tenant, why);
    return mergeTotals(tenant, page -> boards.rebuild(tenant, page), job).onSuccess(merged -> {
      if (merged.entries() > 0) {
        LOG.info("Merged {} scores on {} leaderboards of tenant {} from the durable totals ({})", merged.entries(),
            merged.boards(), tenant, why);
      }
      job.done(merged.toJson());
    }).onFailure(job::failed).mapEmpty();
  }

  /** A rebuild or merge as a job, its total counted meanwhile (0, unknown, until the count is in). */
  private Jobs.Job startJob(String tenant, String why) {
    Jobs.Job job = jobs.start(REBUILD_JOB, 0, new JsonObject().put("reason", why).put("tenant", tenant));
    learners.boardLearnerCount(tenant).onSuccess(job::total);
    return job;
  }

  /** Starts a rebuild and answers its job at once; the rebuild goes on. */
  private Future<RebuildJob> startRebuild(StartRebuild request) {
    String tenant = request.tenant();
    Jobs.Job job = startJob(tenant, ON_REQUEST);
    // a rebuild this one joins (already running here) finishes the job with its own answer
    rebuildExactly(tenant, ON_REQUEST, job).onSuccess(result -> job.done(jobResult(result))).onFailure(job::failed);
    return Future.succeededFuture(RebuildJob.of(job.status(), ON_REQUEST, tenant));
  }

  /** A rebuild's answer as its job's result: what it wrote, or the rebuild it joined. */
  private static JsonObject jobResult(Rebuilt rebuilt) {
    return Boolean.TRUE.equals(rebuilt.joined())
        ? new JsonObject().put("generation", rebuilt.generation()).put("joined", true)
        : new JsonObject().put("boards", rebuilt.boards()).put("entries", rebuilt.entries())
            .put("generation", rebuilt.generation());
  }

  /** How much a merge wrote: boards and (board, learner) scores. */
  private record Merged(long boards, long entries) {
    JsonObject toJson() {
      return new JsonObject().put("boards", boards).put("entries", entries);
    }
  }

  /**
   * Merges every durable total of the tenant, one page of learners at a time, and counts them: a
   * rebuild holds at most two pages of totals in memory (the one being written, the next one being
   * read), not every learner's.
   */
  private Future<Merged> mergeTotals(String tenant,
                                     java.util.function.Function<Map<String, List<Standing>>, Future<Void>> write,
                                     Jobs.Job job) {
    Promise<Merged> done = Promise.promise();
    mergePages(tenant, learners.boardTotals(tenant, null, rebuildPageSize), new HashSet<>(), 0, write,
        job, done);
    return done.future();
  }

  /**
   * Writes the page being read, reading the next one meanwhile, then goes on from the callback: not
   * a chain of composed futures, which would keep every page reachable until the last is written.
   * {@code boardsSeen}: the keys of the boards written so far (pages come in learner order, so a
   * board runs across many).
   */
  private void mergePages(String tenant, Future<BoardTotalPage> reading, Set<String> boardsSeen, long entries,
                          java.util.function.Function<Map<String, List<Standing>>, Future<Void>> write,
                          Jobs.Job job, Promise<Merged> done) {
    reading.onComplete(read -> {
      if (read.failed()) {
        done.fail(read.cause());
        return;
      }
      BoardTotalPage page = read.result();
      Map<String, List<Standing>> byBoard = new LinkedHashMap<>();
      page.totals().forEach(t -> byBoard.computeIfAbsent(t.board(), k -> new ArrayList<>())
          .add(new Standing(t.learnerId(), t.xp())));
      boardsSeen.addAll(byBoard.keySet());
      long written = entries + page.totals().size();
      Future<BoardTotalPage> next = page.next() != null
          ? learners.boardTotals(tenant, page.next(), rebuildPageSize) : null;
      Future<Void> writing = byBoard.isEmpty() ? Future.succeededFuture() : write.apply(byBoard);
      writing.onComplete(wrote -> {
        if (wrote.failed()) {
          done.fail(wrote.cause());
          return;
        }
        job.advance(page.learners());
        if (next != null) {
          mergePages(tenant, next, boardsSeen, written, write, job, done);
        } else {
          done.complete(new Merged(boardsSeen.size(), written));
        }
      });
    });
  }

  /** Absolute scores of a learner of the request's tenant, from the durable totals. */
  private Future<Void> update(ScoresUpdate request) {
    return boards.setScores(request.tenant(), request.learnerId(), request.scores()).onFailure(e -> dirty = true);
  }

  /**
   * Durable totals a void corrected, lowered
   * where the projection still holds the old total. A correction made while a rebuild runs may be
   * undone by a page that rebuild read before it, so this node rebuilds again afterwards.
   */
  private Future<Void> replace(LeaderboardsService.ScoreCorrections request) {
    return boards.replaceScores(request.tenant(), request.learnerId(), request.changes())
        .<Void>map(rebuilding -> {
          dirty = dirty || rebuilding;
          return null;
        })
        .onFailure(e -> dirty = true);
  }

  /**
   * A rebuild from scratch without a gap: the durable totals are written into new boards beside
   * the live ones (which keep answering reads), live updates made meanwhile land in both, and the
   * new boards are swapped in at once. Totals read from the store and live updates are both
   * durable totals merged upwards, so whichever lands last, nothing is lost or counted twice.
   * Single-flight: a request while this node rebuilds joins that rebuild and gets its answer; one
   * while another node rebuilds waits for that one to end. The answer names the generation.
   */
  private Future<Rebuilt> rebuildExactly(String tenant, String why, Jobs.Job given) {
    return flight.join(tenant, () -> {
      Jobs.Job job = given != null ? given : startJob(tenant, why);
      String generation = java.util.UUID.randomUUID().toString();
      return boards.beginRebuild(tenant, generation, REBUILD_LEASE_MS).compose(holder -> {
        if (!holder.equals(generation)) {
          return awaitOtherRebuild(tenant, holder).map(v -> Rebuilt.joined(holder, job.jobId())).andThen(ar -> {
                if (ar.succeeded()) {
                  job.done(jobResult(ar.result()));
                } else {
                  job.failed(ar.cause());
                }
              });
        }
        return mergeTotals(tenant, page -> boards.rebuildPage(tenant, generation, page), job)
            .compose(merged -> boards.finishRebuild(tenant, generation).map(v -> {
              LOG.info("Rebuilt {} leaderboards ({} scores) of tenant {} from the durable totals ({})",
                  merged.boards(), merged.entries(), tenant, why);
              Rebuilt rebuilt = Rebuilt.written(merged.boards(), merged.entries(), generation, job.jobId());
              job.done(jobResult(rebuilt));
              return rebuilt;
            }))
            .recover(e -> boards.abandonRebuild(tenant, generation).otherwiseEmpty()
                .compose(v -> Future.<Rebuilt>failedFuture(e)))
            .onFailure(job::failed);
      });
    });
  }

  /** Until the rebuild of generation {@code holder} (another node's) is over, swapped or given up. */
  private Future<Void> awaitOtherRebuild(String tenant, String holder) {
    Promise<Void> over = Promise.promise();
    vertx.setTimer(JOIN_POLL_MS, id -> boards.rebuildHolder(tenant).onComplete(now -> {
      if (now.failed()) {
        over.fail(now.cause());
      } else if (holder.equals(now.result())) {
        awaitOtherRebuild(tenant, holder).onComplete(over);
      } else {
        over.complete();
      }
    }));
    return over.future();
  }

  private Future<BoardPage> page(PageQuery request) {
    Board board = new Board(request.scope(), request.period());
    int page = request.page();
    int size = request.size();
    long offset = (long) (page - 1) * size;
    return boards.range(request.tenant(), board.key(), offset, size)
        .map(slice -> render(board, slice, offset, null));
  }

  /** The page of ranks rank-window .. rank+window. */
  private Future<BoardPage> around(AroundQuery request) {
    Board board = new Board(request.scope(), request.period());
    String learnerId = request.learnerId();
    int window = request.window();
    String tenant = request.tenant();
    return boards.position(tenant, board.key(), learnerId).compose(position -> {
      if (position == null) {
        return Future.failedFuture(Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND,
            "learner " + learnerId + " has no score in " + board.scope() + " " + board.period(), "learnerId"));
      }
      long from = Math.max(0, position - window);
      int count = (int) (position - from + window + 1);
      return boards.range(tenant, board.key(), from, count).map(slice -> render(board, slice, from, learnerId));
    });
  }

  private static BoardPage render(Board board, LeaderboardStore.Slice slice, long offset, String currentUser) {
    List<Entry> entries = new ArrayList<>(slice.standings().size());
    long rank = offset;
    for (Standing s : slice.standings()) {
      entries.add(new Entry(++rank, s.learnerId(), s.xp(), currentUser == null ? null : s.learnerId().equals(currentUser)));
    }
    return new BoardPage(board.scope(), board.period(), slice.total(), entries);
  }
}
