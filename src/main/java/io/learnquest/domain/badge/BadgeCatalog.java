package io.learnquest.domain.badge;

import io.learnquest.domain.learner.BadgeAward;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The badges in force, parsed, as one immutable snapshot: what an event is evaluated against
 * (docs/rules.md, "Badges"). {@code version} tells snapshots apart, so a holder can tell that the
 * catalog changed since it took this one.
 */
public record BadgeCatalog(long version, List<BadgeDefinition> badges) {
  public static final BadgeCatalog EMPTY = new BadgeCatalog(0, List.of());

  public BadgeCatalog {
    badges = List.copyOf(badges);
  }

  /**
   * The badges of this catalog the learner does not own yet and whose rule {@code facts} now
   * satisfy, in catalog order, awarded at {@code at} by {@code eventId}.
   */
  public List<BadgeAward> newlyEarned(LearnerFacts facts, Set<String> owned, Instant at, String eventId) {
    return badges.stream()
        .filter(b -> !owned.contains(b.badgeId()) && b.rule().matches(facts))
        .map(b -> new BadgeAward(b.badgeId(), b.name(), b.tier(), at, eventId))
        .toList();
  }
}
