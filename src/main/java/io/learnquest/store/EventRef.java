package io.learnquest.store;

/**
 * An event as the stores key it: an {@code eventId} is unique within its tenant, so the same one in
 * two tenants is two events.
 */
public record EventRef(String tenant, String eventId) {
  // Written out, as in LearnerRef: a record's generated hashCode and equals go through a method
  // handle on every call, and events are looked up by this key several times per event.
  @Override
  public int hashCode() {
    return 31 * tenant.hashCode() + eventId.hashCode();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventRef ref && tenant.equals(ref.tenant) && eventId.equals(ref.eventId);
  }
}
