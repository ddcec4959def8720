package io.learnquest.store;

/**
 * One learner's durable XP on one board (key as {@code Board.key()}): a row of what the leaderboard
 * projection is rebuilt from, and the place a page of them ends.
 */
public record BoardTotal(String board, String learnerId, long xp) {
}
