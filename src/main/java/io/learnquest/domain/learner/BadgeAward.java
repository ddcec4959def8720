package io.learnquest.domain.learner;

import java.time.Instant;

/** A badge awarded to a learner; name and tier are kept as they were at award time. */
public record BadgeAward(String badgeId, String name, String tier, Instant awardedAt, String eventId) {
}
