package io.learnquest.domain.notification;

import java.time.Instant;
import java.util.Map;

/**
 * A live notification (docs/api.md, "Live push"). {@code seq} increases per learner; its decimal form is
 * the opaque {@code id} clients use as a resume token.
 */
public record Notification(long seq, String type, String learnerId, String eventId, Instant at,
                           Map<String, Object> data) {
  public static final String XP_GRANTED = "xp_granted";
  public static final String LEVEL_UP = "level_up";
  public static final String BADGE_AWARDED = "badge_awarded";
  public static final String STATE_CHANGED = "state_changed";
  public static final String STREAK_UPDATED = "streak_updated";
  /** A badge taken back because the event that earned it was voided. */
  public static final String BADGE_REVOKED = "badge_revoked";

  /** Badges (awarded or revoked), level-ups and state changes: what analytics downstream cares about, beyond XP and streaks. */
  public boolean achievement() {
    return type.equals(LEVEL_UP) || type.equals(BADGE_AWARDED) || type.equals(STATE_CHANGED)
        || type.equals(BADGE_REVOKED);
  }

  public String id() {
    return Long.toString(seq);
  }
}
