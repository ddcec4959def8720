package io.learnquest.store;

/**
 * The fate of one event offered to the log: accepted (new), or a duplicate of {@code existing}.
 */
public record AppendResult(String eventId, boolean accepted, StoredEvent existing) {
}
