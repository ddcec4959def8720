package io.learnquest.domain.learner;

import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import java.util.List;
import java.util.Map;

/**
 * Everything one event (or one inactivity sweep, with a null eventId and outcome) changes, to be
 * committed together or not at all.
 *
 * @param expectedVersion the learner version these effects were computed from
 * @param earnedObject    (type, objectId) that earned activity XP now, so later ones are repeats
 * @param boardIncrements XP to add per leaderboard key
 * @param flags           fair-play rules that held the event back (empty for a fair one)
 */
public record EventApplication(String eventId, long expectedVersion, Learner after, List<LedgerEntry> ledger,
                               EarnedObject earnedObject, List<BadgeAward> awards, List<Transition> transitions,
                               List<Notification> notifications, Map<String, Long> boardIncrements,
                               Outcome outcome, List<Flag> flags) {

  public EventApplication(String eventId, long expectedVersion, Learner after, List<LedgerEntry> ledger,
                          EarnedObject earnedObject, List<BadgeAward> awards, List<Transition> transitions,
                          List<Notification> notifications, Map<String, Long> boardIncrements, Outcome outcome) {
    this(eventId, expectedVersion, after, ledger, earnedObject, awards, transitions, notifications, boardIncrements,
        outcome, List.of());
  }

  public record EarnedObject(String type, String objectId) {
  }
}
