package io.learnquest.domain.fairplay;

import java.time.Instant;

/**
 * A fair-play rule that held an event's XP back, with a sentence saying why.
 *
 * @param rule   {@link FairPlay#SELF_HELP} or {@link FairPlay#VELOCITY}
 * @param detail what the rule saw, for the learner's teacher or an admin
 * @param at     when the flagged event happened
 */
public record Flag(String rule, String detail, Instant at) {
}
