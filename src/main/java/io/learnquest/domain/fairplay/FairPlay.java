package io.learnquest.domain.fairplay;

import io.learnquest.domain.event.LearningEvent;

/**
 * The fair-play rules of one tenant. An event they catch is still accepted and kept, but earns no
 * XP and moves nothing (counters, streak, progression, badges); it is flagged with the reason, so
 * nothing is held back silently. Too-old events are refused before acceptance, by validation.
 *
 * @param selfHelp             a {@code peer_helped} event whose peer is the learner is caught
 * @param velocityMaxPerMinute more XP-earning events of one type than this within a minute of each
 *                             other are caught
 * @param maxEventAgeDays      events that happened longer ago than this are refused ({@code too_old})
 */
public record FairPlay(boolean selfHelp, int velocityMaxPerMinute, int maxEventAgeDays) {
  public static final String SELF_HELP = "self_help";
  public static final String VELOCITY = "velocity";
  public static final String PEER_HELPED = "peer_helped";
  public static final FairPlay DEFAULTS = new FairPlay(true, 20, 30);

  public FairPlay {
    if (velocityMaxPerMinute < 1) {
      throw new IllegalArgumentException("velocityMaxPerMinute must be at least 1");
    }
    if (maxEventAgeDays < 1) {
      throw new IllegalArgumentException("maxEventAgeDays must be at least 1");
    }
  }

  /**
   * The flag that holds {@code event}'s effects back, or null when it plays fair.
   *
   * @param earnsXp the event would earn XP if let through (velocity counts only those)
   */
  public Flag judge(LearningEvent event, Pace pace, boolean earnsXp) {
    if (selfHelp && PEER_HELPED.equals(event.type()) && event.learnerId().equals(event.objectId())) {
      return new Flag(SELF_HELP, "peer_helped names the learner as the peer they helped",
          event.occurredAt());
    }
    if (earnsXp) {
      int seen = pace.within(event.type(), event.occurredAt());
      if (seen >= velocityMaxPerMinute) {
        return new Flag(VELOCITY, seen + " earlier " + event.type() + " events within a minute of this one; at most "
            + velocityMaxPerMinute + " earn XP", event.occurredAt());
      }
    }
    return null;
  }
}
