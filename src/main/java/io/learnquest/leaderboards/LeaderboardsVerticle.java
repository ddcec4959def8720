package io.learnquest.leaderboards;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.leaderboard.Standing;
import io.learnquest.jobs.Jobs;
import io.learnquest.store.BoardTotal;
import io.learnquest.store.LeaderboardStore;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leaderboard projection (docs/rules.md, "Leaderboards"): scores set from durable totals, pages, the peer
 * window around a learner, and rebuilds from the durable store. It repairs itself: at start it
 * merges the durable totals in (covering updates a crashed node never wrote), and whenever a write
 * failed or the projection is found empty (Redis flushed or restarted) it rebuilds once the store
 * answers again.
 */
public final class LeaderboardsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderboardsVerticle.class);
  /** The kind of job a rebuild or merge of the projection is ({@code GET /api/v1/jobs}). */
  public static final String REBUILD_JOB = "leaderboard_rebuild";
  private Jobs jobs;
  private final LeaderboardStore boards;
  private final LearnerStore learners;
  private final long checkIntervalMs;
  private final int rebuildPageSize;
  /** A write failed: the projection may lack an update until the next rebuild. */
  private boolean dirty;
  private boolean repairing;
  /** The node's rebuild under way, shared by its instances: a second request joins it. */
  private final RebuildFlight flight;

  /** One rebuild per node at a time; {@code running} is its answer-to-be while it runs. */
  static final class RebuildFlight {
    private Future<JsonObject> running;

    Future<JsonObject> join(java.util.function.Supplier<Future<JsonObject>> start) {
      Promise<JsonObject> answer;
      synchronized (this) {
        if (running != null) {
          return running;
        }
        answer = Promise.promise();
        running = answer.future();
      }
      Future<JsonObject> started;
      try {
        started = start.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onComplete(done -> {
        synchronized (this) {
          running = null;
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
    return Future.all(List.of(
        BatchedRequests.serve(vertx, Addresses.LEADERBOARDS_UPDATE, this::update),
        Bus.serve(vertx, Addresses.LEADERBOARDS_PAGE, this::page),
        Bus.serve(vertx, Addresses.LEADERBOARDS_AROUND, this::around),
        Bus.serve(vertx, Addresses.LEADERBOARDS_REBUILD, this::rebuildOnRequest),
        Bus.serve(vertx, Addresses.LEADERBOARDS_READY, request -> boards.ping().map(v -> new JsonObject())),
        vertx.eventBus().consumer(Addresses.LEADERBOARDS_DIRTY, m -> dirty = true).completion()))
        // Redis may be down at start: the node still starts (PostgreSQL is the truth) and the
        // periodic check rebuilds once Redis answers.
        .compose(v -> merge("start-up").otherwise(e -> {
          dirty = true;
          return null;
        }))
        .onSuccess(v -> vertx.setPeriodic(checkIntervalMs, id -> check()));
  }

  /**
   * Rebuilds when a write failed earlier or the projection was emptied under us. A rebuild that
   * another node ran meanwhile covers an emptied projection, but not necessarily a write this node
   * failed after it began, so a dirty node rebuilds itself.
   */
  private void check() {
    if (repairing) {
      return;
    }
    repairing = true;
    boards.isEmpty()
        .compose(empty -> {
          if (!dirty && !empty) {
            return Future.succeededFuture();
          }
          boolean wasDirty = dirty;
          dirty = false;
          return rebuildExactly(wasDirty ? "after a failed write" : "projection found empty", null)
              .onSuccess(result -> dirty = dirty || (wasDirty && result.getBoolean("joined", false)))
              .onFailure(e -> dirty = true);
        })
        .onComplete(ar -> repairing = false);
  }

  /** Merges the durable totals into the projection (never lowers a score; safe beside live writes). */
  private Future<Void> merge(String why) {
    Jobs.Job job = startJob(why);
    return mergeTotals(boards::rebuild, job).onSuccess(merged -> {
      if (merged.entries() > 0) {
        LOG.info("Merged {} scores on {} leaderboards from the durable totals ({})", merged.entries(),
            merged.boards(), why);
      }
      job.done(merged.toJson());
    }).onFailure(job::failed).mapEmpty();
  }

  /** A rebuild or merge as a job, its total counted meanwhile (0, unknown, until the count is in). */
  private Jobs.Job startJob(String why) {
    Jobs.Job job = jobs.start(REBUILD_JOB, 0, new JsonObject().put("reason", why));
    learners.boardTotalCount().onSuccess(job::total);
    return job;
  }

  /**
   * {@code {wait}}: with {@code wait} false the answer is the job, at once, and the rebuild goes on;
   * otherwise it is the rebuild's result (with its {@code jobId}) once done.
   */
  private Future<JsonObject> rebuildOnRequest(JsonObject request) {
    if (request.getBoolean("wait", true)) {
      return rebuildExactly("on request", null);
    }
    Jobs.Job job = jobs.start(REBUILD_JOB, 0, new JsonObject().put("reason", "on request"));
    learners.boardTotalCount().onSuccess(job::total);
    // a rebuild this one joins (already running here) finishes the job with its own answer
    rebuildExactly("on request", job).onSuccess(job::done).onFailure(job::failed);
    return Future.succeededFuture(job.toJson());
  }

  /** How much a merge wrote: boards and (board, learner) scores. */
  private record Merged(long boards, long entries) {
    JsonObject toJson() {
      return new JsonObject().put("boards", boards).put("entries", entries);
    }
  }

  /**
   * Merges every durable total, one page at a time, and counts them: a rebuild holds at most two
   * pages of totals in memory (the one being written, the next one being read), not every learner's.
   */
  private Future<Merged> mergeTotals(java.util.function.Function<Map<String, List<Standing>>, Future<Void>> write,
                                     Jobs.Job job) {
    Promise<Merged> done = Promise.promise();
    mergePages(learners.boardTotals(null, rebuildPageSize), null, new Merged(0, 0), write, job, done);
    return done.future();
  }

  /**
   * Writes the page being read, reading the next one meanwhile, then goes on from the callback: not
   * a chain of composed futures, which would keep every page reachable until the last is written.
   */
  private void mergePages(Future<List<BoardTotal>> reading, BoardTotal after, Merged before,
                          java.util.function.Function<Map<String, List<Standing>>, Future<Void>> write,
                          Jobs.Job job, Promise<Merged> done) {
    reading.onComplete(read -> {
      if (read.failed()) {
        done.fail(read.cause());
        return;
      }
      List<BoardTotal> page = read.result();
      if (page.isEmpty()) {
        done.complete(before);
        return;
      }
      Map<String, List<Standing>> byBoard = new LinkedHashMap<>();
      page.forEach(t -> byBoard.computeIfAbsent(t.board(), k -> new ArrayList<>()).add(new Standing(t.learnerId(), t.xp())));
      // pages come in board order: a board the last page ended in is counted already
      long newBoards = byBoard.size() - (after != null && byBoard.containsKey(after.board()) ? 1 : 0);
      Merged merged = new Merged(before.boards() + newBoards, before.entries() + page.size());
      BoardTotal last = page.get(page.size() - 1);
      Future<List<BoardTotal>> next = page.size() == rebuildPageSize ? learners.boardTotals(last, rebuildPageSize) : null;
      write.apply(byBoard).onComplete(written -> {
        if (written.failed()) {
          done.fail(written.cause());
          return;
        }
        job.advance(page.size());
        if (next != null) {
          mergePages(next, last, merged, write, job, done);
        } else {
          done.complete(merged);
        }
      });
    });
  }

  /** {@code {learnerId, scores: {boardKey: xp}}}: absolute scores from the durable totals. */
  private Future<JsonObject> update(JsonObject request) {
    Map<String, Long> scores = new java.util.HashMap<>();
    request.getJsonObject("scores").forEach(e -> scores.put(e.getKey(), ((Number) e.getValue()).longValue()));
    return boards.setScores(request.getString("learnerId"), scores).map(v -> new JsonObject())
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
  private Future<JsonObject> rebuildExactly(String why, Jobs.Job given) {
    return flight.join(() -> {
      Jobs.Job job = given != null ? given : startJob(why);
      String generation = java.util.UUID.randomUUID().toString();
      return boards.beginRebuild(generation, REBUILD_LEASE_MS).compose(holder -> {
        if (!holder.equals(generation)) {
          return awaitOtherRebuild(holder).map(v -> new JsonObject().put("generation", holder).put("joined", true)
              .put("jobId", job.jobId())).andThen(ar -> {
                if (ar.succeeded()) {
                  job.done(ar.result());
                } else {
                  job.failed(ar.cause());
                }
              });
        }
        return mergeTotals(page -> boards.rebuildPage(generation, page), job)
            .compose(merged -> boards.finishRebuild(generation).map(v -> {
              LOG.info("Rebuilt {} leaderboards ({} scores) from the durable totals ({})", merged.boards(),
                  merged.entries(), why);
              JsonObject result = merged.toJson().put("generation", generation);
              job.done(result);
              return result.copy().put("jobId", job.jobId());
            }))
            .recover(e -> boards.abandonRebuild(generation).otherwiseEmpty()
                .compose(v -> Future.<JsonObject>failedFuture(e)))
            .onFailure(job::failed);
      });
    });
  }

  /** Until the rebuild of generation {@code holder} (another node's) is over, swapped or given up. */
  private Future<Void> awaitOtherRebuild(String holder) {
    Promise<Void> over = Promise.promise();
    vertx.setTimer(JOIN_POLL_MS, id -> boards.rebuildHolder().onComplete(now -> {
      if (now.failed()) {
        over.fail(now.cause());
      } else if (holder.equals(now.result())) {
        awaitOtherRebuild(holder).onComplete(over);
      } else {
        over.complete();
      }
    }));
    return over.future();
  }

  /** {@code {scope, period, page, size}} to a leaderboard page. */
  private Future<JsonObject> page(JsonObject request) {
    Board board = new Board(request.getString("scope"), request.getString("period"));
    int page = request.getInteger("page");
    int size = request.getInteger("size");
    long offset = (long) (page - 1) * size;
    return boards.range(board.key(), offset, size).map(slice -> render(board, slice, offset, null));
  }

  /** {@code {scope, period, learnerId, window}} to the page of ranks rank-window .. rank+window. */
  private Future<JsonObject> around(JsonObject request) {
    Board board = new Board(request.getString("scope"), request.getString("period"));
    String learnerId = request.getString("learnerId");
    int window = request.getInteger("window");
    return boards.position(board.key(), learnerId).compose(position -> {
      if (position == null) {
        return Future.failedFuture(Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND,
            "learner " + learnerId + " has no score in " + board.scope() + " " + board.period(), "learnerId"));
      }
      long from = Math.max(0, position - window);
      int count = (int) (position - from + window + 1);
      return boards.range(board.key(), from, count).map(slice -> render(board, slice, from, learnerId));
    });
  }

  private static JsonObject render(Board board, LeaderboardStore.Slice slice, long offset, String currentUser) {
    JsonArray entries = new JsonArray();
    long rank = offset;
    for (Standing s : slice.standings()) {
      JsonObject entry = new JsonObject().put("rank", ++rank).put("learnerId", s.learnerId()).put("xp", s.xp());
      if (currentUser != null) {
        entry.put("isCurrentUser", s.learnerId().equals(currentUser));
      }
      entries.add(entry);
    }
    return new JsonObject().put("scope", board.scope()).put("period", board.period())
        .put("total", slice.total()).put("entries", entries);
  }
}
