package io.learnquest.domain.learner;

import java.util.List;

/**
 * The outcome of applying one event, as {@code POST /events?wait=true} returns it (docs/api.md).
 * {@code repeat} is an addition: true when the event repeated an object already
 * rewarded, which is why {@code xpGranted} may hold no activity line.
 */
public record Outcome(String eventId, String status, String learnerId, List<Grant> xpGranted, long totalXp,
                      int level, boolean levelUp, List<String> badgesAwarded, List<Step> transitions,
                      Streak streak, boolean repeat) {
  public static final String PROCESSED = "processed";
  public static final String DUPLICATE = "duplicate";

  public record Grant(String activity, long baseXp, int multiplierPct, long xp) {
  }

  public record Step(String from, String to, String event) {
  }

  public record Streak(int current, int longest, int freezesLeft, boolean extended, boolean broken) {
  }

  /** A builder of the outcome of an event applied now ({@link #PROCESSED}), its lists empty to start with. */
  public static Builder processed(String eventId, String learnerId) {
    return new Builder(eventId, learnerId);
  }

  /** Names what the event did; what it did not do stays empty, zero or false. */
  public static final class Builder {
    private final String eventId;
    private final String learnerId;
    private List<Grant> xpGranted = List.of();
    private long totalXp;
    private int level = 1;
    private boolean levelUp;
    private List<String> badgesAwarded = List.of();
    private List<Step> transitions = List.of();
    private Streak streak;
    private boolean repeat;

    private Builder(String eventId, String learnerId) {
      this.eventId = eventId;
      this.learnerId = learnerId;
    }

    public Builder xpGranted(List<Grant> value) {
      xpGranted = value;
      return this;
    }

    public Builder totalXp(long value) {
      totalXp = value;
      return this;
    }

    public Builder level(int value) {
      level = value;
      return this;
    }

    public Builder levelUp(boolean value) {
      levelUp = value;
      return this;
    }

    public Builder badgesAwarded(List<String> value) {
      badgesAwarded = value;
      return this;
    }

    public Builder transitions(List<Step> value) {
      transitions = value;
      return this;
    }

    public Builder streak(Streak value) {
      streak = value;
      return this;
    }

    public Builder repeat(boolean value) {
      repeat = value;
      return this;
    }

    public Outcome build() {
      return new Outcome(eventId, PROCESSED, learnerId, xpGranted, totalXp, level, levelUp, badgesAwarded,
          transitions, streak, repeat);
    }
  }

  public Outcome withStatus(String newStatus) {
    return new Outcome(eventId, newStatus, learnerId, xpGranted, totalXp, level, levelUp, badgesAwarded,
        transitions, streak, repeat);
  }
}
