package io.learnquest.domain.progression;

import java.time.Instant;

/**
 * One applied transition. {@code eventId} is null when the engine fired it (inactivity).
 *
 * @param event the FSM event name: an event type, {@code reactivated}, {@code inactive_7_days} or
 *              {@code inactive_14_days}
 */
public record Transition(ProgressionState from, ProgressionState to, String event, String eventId, Instant at) {
}
