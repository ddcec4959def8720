package io.learnquest.store;

/**
 * An event the log has just accepted, as it now waits to be applied, with the acceptance sequence
 * number of the event that was pending before it for the same learner when it was appended
 * ({@code previousSeq}, 0 when none was). Following these links, whoever applies a learner's
 * events can tell that it holds all of them that were pending, in order, without reading the log
 * back (docs/architecture.md, "The path of one event").
 */
public record PendingEvent(StoredEvent stored, long previousSeq) {
}
