package io.learnquest.domain.badge;

import static io.learnquest.domain.badge.BadgeRuleParserTest.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What an event earns from the catalog: the matching badges not owned yet, in catalog order. */
class BadgeCatalogTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");
  private static final BadgeCatalog CATALOG = new BadgeCatalog(1, List.of(
      badge("xp-10", "{\"metric\": \"xp\", \"gte\": 10}"),
      badge("any-lesson", "{\"event\": \"lesson_completed\"}"),
      badge("xp-1000", "{\"metric\": \"xp\", \"gte\": 1000}"),
      badge("lessons-2", "{\"metric\": \"lessons_completed\", \"gte\": 2}")));

  private static BadgeDefinition badge(String id, String rule) {
    return new BadgeDefinition(id, id, "", "bronze", null, Map.of(), parse(rule));
  }

  private static LearnerFacts lesson(long xp, long lessons) {
    Counters counters = Counters.of(Map.of(Counter.LESSONS_COMPLETED, lessons), Map.of("lesson_completed", lessons));
    return new LearnerFacts("lesson_completed", null, null, LearnerFacts.metricsOf(xp, 1, 1, 1, counters), counters);
  }

  @Test
  void theMatchingBadgesNotOwnedInCatalogOrder() {
    List<BadgeAward> earned = CATALOG.newlyEarned(lesson(50, 2), Set.of("any-lesson"), T, "e-1");
    assertEquals(List.of(new BadgeAward("xp-10", "xp-10", "bronze", T, "e-1"),
        new BadgeAward("lessons-2", "lessons-2", "bronze", T, "e-1")), earned);
    assertThrows(UnsupportedOperationException.class, () -> earned.add(earned.get(0)));
    assertFalse(earned.contains(null));
  }

  @Test
  void nothingEarnedIsAnEmptyUnmodifiableList() {
    List<BadgeAward> earned = CATALOG.newlyEarned(lesson(5, 1), Set.of("any-lesson"), T, "e-1");
    assertEquals(List.of(), earned);
    assertThrows(UnsupportedOperationException.class, () -> earned.add(null));
    assertFalse(earned.contains(null));
  }
}
