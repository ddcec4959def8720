package io.learnquest.domain.event;

import java.time.Instant;

/**
 * A validated learning event (docs/api.md, "Events"). Optional fields are null when absent;
 * {@code occurredAt} and {@code difficulty} already carry their defaults.
 */
public record LearningEvent(
    String eventId,
    String learnerId,
    String type,
    Instant occurredAt,
    String timezone,
    String courseId,
    String objectId,
    Integer score,
    int difficulty,
    boolean timeBonus) {
}
