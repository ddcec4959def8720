package io.learnquest.store;

import java.time.Instant;

/**
 * An accepted event moved aside because it could not be applied after {@code attempts} tries:
 * {@code reason} says why. It waits there, out of its learner's way, until an admin retries or
 * discards it.
 */
public record QuarantinedEvent(long seq, String eventId, String learnerId, String reason, int attempts,
                               Instant at) {
}
