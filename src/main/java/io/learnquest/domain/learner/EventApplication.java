package io.learnquest.domain.learner;

import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.notification.Notification;
import io.learnquest.domain.progression.Transition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything one event (or one inactivity sweep, with a null eventId and outcome) changes, to be
 * committed together or not at all.
 *
 * @param expectedVersion the learner version these effects were computed from
 * @param earnedObject    (type, objectId) that earned activity XP now, so later ones are repeats
 * @param boardIncrements XP added per leaderboard key (the learner's totals after it are
 *                        {@code after.boards()})
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

  /** The learner's totals, after it, on the boards this application added XP to: what the projection is set to. */
  public Map<String, Long> boardTotals() {
    return boardTotalsAfter(List.of(this));
  }

  /**
   * The learner's totals after the last of {@code chain} (one learner's consecutive applications) on
   * every board one of them added XP to; a weekly board expired by a later event of the chain is
   * left out.
   */
  public static Map<String, Long> boardTotalsAfter(List<EventApplication> chain) {
    Set<String> added = new LinkedHashSet<>();
    chain.forEach(app -> added.addAll(app.boardIncrements().keySet()));
    return chain.get(chain.size() - 1).after().totalsOn(added);
  }

  /** A builder whose lists and increments start empty, and whose eventId and outcome start null. */
  public static Builder builder(long expectedVersion, Learner after) {
    return new Builder(expectedVersion, after);
  }

  /** Names the effects there are; an inactivity sweep names only transitions and notifications. */
  public static final class Builder {
    private final long expectedVersion;
    private final Learner after;
    private String eventId;
    private List<LedgerEntry> ledger = List.of();
    private EarnedObject earnedObject;
    private List<BadgeAward> awards = List.of();
    private List<Transition> transitions = List.of();
    private List<Notification> notifications = List.of();
    private Map<String, Long> boardIncrements = Map.of();
    private Outcome outcome;
    private List<Flag> flags = List.of();

    private Builder(long expectedVersion, Learner after) {
      this.expectedVersion = expectedVersion;
      this.after = after;
    }

    public Builder eventId(String value) {
      eventId = value;
      return this;
    }

    public Builder ledger(List<LedgerEntry> value) {
      ledger = value;
      return this;
    }

    public Builder earnedObject(EarnedObject value) {
      earnedObject = value;
      return this;
    }

    public Builder awards(List<BadgeAward> value) {
      awards = value;
      return this;
    }

    public Builder transitions(List<Transition> value) {
      transitions = value;
      return this;
    }

    public Builder notifications(List<Notification> value) {
      notifications = value;
      return this;
    }

    public Builder boardIncrements(Map<String, Long> value) {
      boardIncrements = value;
      return this;
    }

    public Builder outcome(Outcome value) {
      outcome = value;
      return this;
    }

    public Builder flags(List<Flag> value) {
      flags = value;
      return this;
    }

    public EventApplication build() {
      return new EventApplication(eventId, expectedVersion, after, ledger, earnedObject, awards, transitions,
          notifications, boardIncrements, outcome, flags);
    }
  }
}
