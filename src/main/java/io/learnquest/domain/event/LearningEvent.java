package io.learnquest.domain.event;

import java.time.Instant;
import java.util.Objects;

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

  /**
   * Whether {@code again}, sent later with this event's eventId, says the same thing: then it is a
   * retry (a duplicate), otherwise a conflict. An occurredAt the sender left out defaults to the
   * time of receipt, which differs between deliveries, so it is compared only when given.
   */
  public boolean sameAs(LearningEvent again, boolean occurredAtGiven) {
    return eventId.equals(again.eventId) && learnerId.equals(again.learnerId) && type.equals(again.type)
        && (!occurredAtGiven || occurredAt.equals(again.occurredAt))
        && Objects.equals(timezone, again.timezone) && Objects.equals(courseId, again.courseId)
        && Objects.equals(objectId, again.objectId) && Objects.equals(score, again.score)
        && difficulty == again.difficulty && timeBonus == again.timeBonus;
  }
}
