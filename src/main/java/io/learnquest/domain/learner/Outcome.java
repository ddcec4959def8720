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

  public Outcome withStatus(String newStatus) {
    return new Outcome(eventId, newStatus, learnerId, xpGranted, totalXp, level, levelUp, badgesAwarded,
        transitions, streak, repeat);
  }
}
