package io.learnquest.domain.fairplay;

import java.time.Instant;

/**
 * A flag as the store keeps it: which rule held which event of which learner back, and why.
 *
 * @param flagId increasing in the order flags were recorded; the cursor of the flags list
 * @param at     when the flagged event happened
 */
public record FlagEntry(long flagId, String learnerId, String eventId, String rule, String detail, Instant at) {
}
