package io.learnquest.store;

/**
 * One learner's durable XP on one board (key as {@code Board.key()}): an entry of what the
 * leaderboard projection is rebuilt from ({@link BoardTotalPage}).
 */
public record BoardTotal(String board, String learnerId, long xp) {
}
