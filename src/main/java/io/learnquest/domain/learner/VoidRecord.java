package io.learnquest.domain.learner;

import java.time.Instant;
import java.util.List;

/**
 * A voided event, as {@code POST /api/v1/events/{eventId}/void} answers it: kept with the void, so
 * voiding the same event again answers the same.
 *
 * @param xpChange      how the learner's XP moved (negative when the void took XP away; a later
 *                      event that earns again once the voided one is gone can make it positive)
 * @param badgesRevoked the badges the learner held only through the voided event
 */
public record VoidRecord(String eventId, String learnerId, String reason, Instant voidedAt, long xpChange,
                         List<String> badgesRevoked) {
  public VoidRecord {
    badgesRevoked = List.copyOf(badgesRevoked);
  }
}
