package io.learnquest.domain.leaderboard;

/**
 * A learner's durable total on one board moved from {@code from} to {@code to} by a correction (a
 * voided event), which may lower it; 0 means no entry.
 */
public record ScoreChange(long from, long to) {
}
