package io.learnquest.domain.badge;

import io.learnquest.domain.learner.BadgeAward;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
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
    // a loop, as every event asks and most earn nothing; unmodifiable, as Stream.toList made it
    List<BadgeAward> earned = null;
    for (BadgeDefinition b : badges) {
      if (!owned.contains(b.badgeId()) && b.rule().matches(facts)) {
        if (earned == null) {
          earned = new ArrayList<>(2);
        }
        earned.add(new BadgeAward(b.badgeId(), b.name(), b.tier(), at, eventId));
      }
    }
    return earned == null ? Collections.emptyList() : Collections.unmodifiableList(earned);
  }
}
