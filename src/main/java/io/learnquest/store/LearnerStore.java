package io.learnquest.store;

import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.fairplay.FlagEntry;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.EventApplication;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.learner.LedgerEntry;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Learners and everything recorded about them: the durable truth the rules read and write. */
public interface LearnerStore {
  Future<Optional<Learner>> learner(String learnerId);

  /** The learner, or a {@code NOT_FOUND} failure (404) when no event of theirs was ever applied. */
  default Future<Learner> known(String learnerId) {
    return learner(learnerId).compose(found -> found.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND,
            "unknown learner " + learnerId, "learnerId"))));
  }

  /** Whether an earlier event of this learner, type and objectId was granted activity XP. */
  Future<Boolean> hasEarned(String learnerId, String type, String objectId);

  /**
   * Writes all effects of one application atomically: the learner (only if its version is still
   * {@code expectedVersion}), ledger rows, badges (each at most once per learner), transitions,
   * notifications, leaderboard totals, and the event's outcome (only if it is not applied yet).
   * Fails with a {@code CONFLICT} failure, changing nothing, when either guard does not hold.
   *
   * @return the new totals of every leaderboard the application added XP to, by board key
   */
  Future<Map<String, Long>> commit(EventApplication application);

  Future<List<LedgerEntry>> ledger(String learnerId, int limit);

  Future<List<BadgeAward>> badges(String learnerId);

  Future<List<Transition>> transitions(String learnerId);

  /** The learner's fair-play flags, newest first. */
  Future<List<FlagEntry>> flags(String learnerId, int limit);

  /** Every learner's flags recorded after {@code afterFlagId}, oldest first: the admin's list. */
  Future<List<FlagEntry>> flagsAfter(long afterFlagId, int limit);

  /** Retained notifications with a sequence number above {@code afterSeq}, oldest first. */
  Future<List<Notification>> notificationsAfter(String learnerId, long afterSeq, int limit);

  /**
   * Learners an inactivity transition may be due for: ACTIVE ones last active at or before
   * {@code activeIdleSince}, AT_RISK ones last active at or before {@code atRiskIdleSince}.
   */
  Future<List<String>> idleLearners(Instant activeIdleSince, Instant atRiskIdleSince, int limit);

  /**
   * A page of the durable board totals, for rebuilding the leaderboard projection: at most
   * {@code limit} of them, ordered by board then learner in the store's own order, starting after
   * {@code after} (null: from the first). Reading page after page, a rebuild holds a page or two,
   * however many learners there are.
   */
  Future<List<BoardTotal>> boardTotals(BoardTotal after, int limit);

  /** How many board totals {@link #boardTotals} reads in all: a rebuild's amount of work. */
  Future<Long> boardTotalCount();

  Future<Void> ping();
}
