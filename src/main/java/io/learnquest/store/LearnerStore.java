package io.learnquest.store;

import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.learner.VoidApplication;
import io.learnquest.domain.learner.VoidRecord;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Learners and everything recorded about them: the durable truth the rules read and write. A
 * learner belongs to a tenant (the same learnerId in two tenants is two learners): every call names
 * the tenant, and sees and changes nothing of another.
 */
public interface LearnerStore {
  Future<Optional<Learner>> learner(String tenant, String learnerId);

  /** The learner, or a {@code NOT_FOUND} store failure (404 over HTTP) when no event of theirs was ever applied. */
  default Future<Learner> known(String tenant, String learnerId) {
    return learner(tenant, learnerId).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new StoreException(StoreException.Kind.NOT_FOUND,
            "unknown learner " + learnerId, "learnerId"))));
  }

  /** Whether an earlier event of this learner, type and objectId was granted activity XP. */
  Future<Boolean> hasEarned(String tenant, String learnerId, String type, String objectId);

  /**
   * Every object the learner was granted activity XP for, when there are at most {@code atMost} of
   * them; empty when there are more. A learner with no row has earned nothing: an empty list.
   */
  Future<Optional<List<EventApplication.EarnedObject>>> earnedObjects(String tenant, String learnerId, int atMost);

  /**
   * Writes all effects of one application atomically: the learner (only if its version is still
   * {@code expectedVersion}), ledger rows, badges (each at most once per learner), transitions,
   * notifications, and the event's outcome (only if it is not applied yet); the leaderboard totals
   * are the learner's, written with it (what the projection is set to is {@link
   * EventApplication#boardTotals}, known before the commit). Fails with a {@code CONFLICT} failure,
   * changing nothing, when either guard does not hold.
   */
  Future<Void> commit(String tenant, EventApplication application);

  /**
   * Commits consecutive applications of one learner, each computed from the learner the one before
   * it left (versions {@code v}, {@code v+1}, ...), as {@link #commit} would one after the other.
   * A durable store writes them in one atomic step; this default commits them in order and stops
   * at the first failure (those before it stay committed, each whole).
   */
  default Future<Void> commitChain(String tenant, List<EventApplication> chain) {
    Future<Void> done = Future.succeededFuture();
    for (EventApplication application : chain) {
      done = done.compose(before -> commit(tenant, application));
    }
    return done;
  }

  /**
   * As {@link #commitChain(String, List)}, with each application's outcome already encoded as the
   * JSON its answer carries ({@code outcomesJson}, one per application, in order): a store that
   * keeps outcomes as JSON keeps these texts rather than encode the outcomes again. The rules encode
   * an event's outcome once, for the store and for the waiting request.
   */
  default Future<Void> commitChain(String tenant, List<EventApplication> chain, List<String> outcomesJson) {
    return commitChain(tenant, chain);
  }

  /**
   * Voids an applied event, atomically: records the void (only if the event is applied and not
   * voided yet), replaces the learner (only if its version is still {@code expectedVersion}), adds
   * the compensating ledger lines, takes back the revoked badges, corrects the objects that earned
   * activity XP and keeps the notifications; the board totals are the learner's (the projection's
   * corrections are {@link VoidApplication#boardChanges}, known before the commit). Fails with a
   * {@code CONFLICT} failure, changing nothing, when a guard does not hold.
   */
  Future<Void> commitVoid(String tenant, VoidApplication application);

  /** The void of this event of the tenant, when it was voided. */
  Future<Optional<VoidRecord>> voided(String tenant, String eventId);

  /**
   * A page of the learner's ledger, newest first: at most {@code limit} lines older than the line
   * at position {@code before} (from the newest when null), and the position to continue from
   * when older lines remain (null on the last page). Positions grow as lines are added, so a page
   * stays where it was while new lines arrive.
   */
  Future<LedgerPage> ledgerPage(String tenant, String learnerId, Long before, int limit);

  /** The learner's newest {@code limit} ledger lines, newest first. */
  default Future<List<LedgerEntry>> ledger(String tenant, String learnerId, int limit) {
    return ledgerPage(tenant, learnerId, null, limit).map(LedgerPage::entries);
  }

  Future<List<BadgeAward>> badges(String tenant, String learnerId);

  Future<List<Transition>> transitions(String tenant, String learnerId);

  /** The learner's fair-play flags, newest first. */
  Future<List<FlagEntry>> flags(String tenant, String learnerId, int limit);

  /** The tenant's flags (of all its learners) recorded after {@code afterFlagId}, oldest first: the admin's list. */
  Future<List<FlagEntry>> flagsAfter(String tenant, long afterFlagId, int limit);

  /** Retained notifications with a sequence number above {@code afterSeq}, oldest first. */
  Future<List<Notification>> notificationsAfter(String tenant, String learnerId, long afterSeq, int limit);

  /**
   * Learners of {@code tenant} (of every tenant when null) an inactivity transition may be due for:
   * ACTIVE ones last active at or before {@code activeIdleSince}, AT_RISK ones last active at or
   * before {@code atRiskIdleSince}.
   */
  Future<List<LearnerRef>> idleLearners(String tenant, Instant activeIdleSince, Instant atRiskIdleSince, int limit);

  /**
   * A page of the tenant's durable board totals, for rebuilding its leaderboard projection: every
   * total of at most {@code learners} learners with totals, in the store's own order of learners,
   * starting after learner {@code afterLearnerId} (null: from the first). Reading page after page, a
   * rebuild holds a page or two, however many learners there are.
   */
  Future<BoardTotalPage> boardTotals(String tenant, String afterLearnerId, int learners);

  /**
   * The learner's durable totals on {@code boards} as committed (a board the learner has no total on
   * is left out): what an event's commit answered, read again when that answer was lost. They are
   * the learner's own ({@link Learner#boards}).
   */
  default Future<Map<String, Long>> boardTotalsOf(String tenant, String learnerId, List<String> boards) {
    return learner(tenant, learnerId).map(found -> found.map(l -> l.totalsOn(boards)).orElse(Map.of()));
  }

  /** How many learners {@link #boardTotals} reads in all for the tenant: a rebuild's amount of work. */
  Future<Long> boardLearnerCount(String tenant);

  /** The tenants with any board total: those whose leaderboard projection a full rebuild restores. */
  Future<List<String>> tenantsWithBoards();

  /**
   * Erases everything recorded about the tenant's learners: learners, ledgers, earned objects,
   * badges, transitions, notifications, flags and board totals. Other tenants are left as they are.
   */
  Future<Void> eraseTenant(String tenant);

  Future<Void> ping();
}
