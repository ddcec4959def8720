package io.learnquest.store;

/** The storage a node runs on, one adapter per interface, chosen by configuration. */
public record Stores(EventLog events, LearnerStore learners, LeaderboardStore leaderboards,
                     BadgeCatalogStore badgeCatalog) {
}
