package io.learnquest.domain.learner;

import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.leaderboard.ScoreChange;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import java.util.List;
import java.util.Map;

/**
 * Everything voiding one applied event changes, committed together or not at all: the learner
 * becomes the replay of their other events, and the records follow by compensation rather than
 * by rewriting history.
 *
 * @param expectedVersion the learner version the replay was compared with
 * @param after           the learner as the replay without the voided event left them (version and
 *                        notification sequence carried on from the current learner)
 * @param ledger          compensating ledger lines (reason {@code void}), one per event and activity
 *                        whose XP the replay changes, so the ledger sums to the new XP
 * @param revokedBadges   awards to take away: badges the learner holds only through the voided
 *                        event, and awards the voided event made that move to a later event
 * @param awards          awards to make (after those taken away): badges the replay awards that the
 *                        learner did not hold (a later event held back only because of the voided
 *                        one), and the moved awards
 * @param transitions     the change of progression state the void makes, if any (event
 *                        {@code event_voided}), and inactivity then due
 * @param earnedRemoved   (type, objectId) pairs that no longer earned activity XP
 * @param earnedAdded     (type, objectId) pairs that earn activity XP now (a later event that was
 *                        a repeat, or held back, only because of the voided one)
 * @param flagsRemoved    fair-play flags of events the replay no longer flags (the voided event's own
 *                        among them)
 * @param flagsAdded      fair-play flags the replay raises that were not raised (a later event that
 *                        earns now counts towards the velocity rule)
 * @param boardChanges    how the learner's XP moves on every board whose total the void changes
 *                        (0: no total), the projection's correction; the totals themselves are
 *                        {@code after}'s
 * @param notifications   what the learner is told ({@code badge_revoked} above all)
 * @param record          the answer, kept with the void
 */
public record VoidApplication(String eventId, long expectedVersion, Learner after, List<LedgerEntry> ledger,
                              List<String> revokedBadges, List<BadgeAward> awards, List<Transition> transitions,
                              List<EventApplication.EarnedObject> earnedRemoved,
                              List<EventApplication.EarnedObject> earnedAdded, List<EventFlag> flagsRemoved,
                              List<EventFlag> flagsAdded, Map<String, ScoreChange> boardChanges,
                              List<Notification> notifications, VoidRecord record) {
  public static final String REASON = "void";

  /** A fair-play flag of one event. */
  public record EventFlag(String eventId, Flag flag) {
  }

  public String learnerId() {
    return after.learnerId();
  }
}
