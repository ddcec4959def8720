package io.learnquest.domain.learner;

import java.time.Instant;

/** One XP ledger row: why XP was (or, for a repeat, was not) granted. {@code at} is the event's occurredAt. */
public record LedgerEntry(String eventId, String activity, long baseXp, int multiplierPct, long xp, String reason,
                          Instant at) {
}
