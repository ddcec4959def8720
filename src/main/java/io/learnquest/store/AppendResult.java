package io.learnquest.store;

/**
 * The fate of one event offered to the log: accepted (new, and then {@code pending} is the event as
 * the log holds it, with its predecessor), or a duplicate of {@code existing}.
 */
public record AppendResult(String eventId, boolean accepted, StoredEvent existing, PendingEvent pending) {
  /** A duplicate of {@code existing} (or, when {@code accepted}, an event without its pending form). */
  public AppendResult(String eventId, boolean accepted, StoredEvent existing) {
    this(eventId, accepted, existing, null);
  }

  /** A new event, now pending as {@code pending} says. */
  public static AppendResult accepted(PendingEvent pending) {
    return new AppendResult(pending.stored().event().eventId(), true, null, pending);
  }
}
