package io.learnquest.store;

/**
 * The fate of one event offered to the log: accepted (new, and then {@code pending} is the event as
 * the log holds it, with its predecessor), or a duplicate of {@code existing}.
 */
public record AppendResult(String eventId, StoredEvent existing, PendingEvent pending) {
  /** A new event, now pending as {@code pending} says. */
  public static AppendResult accepted(PendingEvent pending) {
    return new AppendResult(pending.stored().event().eventId(), null, pending);
  }

  /** An eventId the log holds already, for {@code existing}. */
  public static AppendResult duplicate(String eventId, StoredEvent existing) {
    return new AppendResult(eventId, existing, null);
  }

  public boolean accepted() {
    return pending != null;
  }
}
