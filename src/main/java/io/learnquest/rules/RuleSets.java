package io.learnquest.rules;

import io.learnquest.badges.BadgesService;
import io.learnquest.domain.Tenants;
import io.learnquest.config.EngineConfig;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeCatalog;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.learner.RuleSet;
import io.learnquest.domain.streak.StreakRules;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rule set one rules instance applies events under: the configuration, and a copy of the badge
 * catalog taken from the badges verticle ({@code badges.catalog}). A change of the catalog is
 * published on {@code badges.catalog.changed} before the change is answered; the notice marks the
 * copy stale, and the next event waits for a fresh copy. As the notice reaches this instance before
 * any event sent after the change was answered, an event applied after a PUT or DELETE of a badge
 * answered sees it. Each tenant has its own catalog, so its own copy here, and its own notices (a
 * notice names its {@code tenant}). Kept per instance: every future here completes on this
 * instance's own context.
 */
final class RuleSets {
  private static final Logger LOG = LoggerFactory.getLogger(RuleSets.class);

  private final BadgesService badges;
  private final EngineConfig config;
  private final BadgeRuleParser parser;
  private final Map<String, RuleSet> configured = new ConcurrentHashMap<>();
  /** Change notices received per tenant; a copy is current when it was asked for after the last one. */
  private final Map<String, Long> notices = new HashMap<>();
  private final Map<String, Copy> catalogs = new HashMap<>();

  /** A tenant's copy of its catalog, asked for after {@code after} notices. */
  private record Copy(long after, Future<BadgeCatalog> catalog) {
  }

  RuleSets(Vertx vertx, EngineConfig config) {
    this.badges = new BadgesService(vertx);
    this.config = config;
    this.parser = new BadgeRuleParser(name -> config.eventTypes().find(name).isPresent());
  }

  /** Registers for the catalog's change notices and takes the first copy. */
  Future<Void> start() {
    return badges.onCatalogChanged(notice -> notices.merge(notice.tenant(), 1L, Long::sum))
        .compose(v -> catalog(Tenants.DEFAULT).<Void>mapEmpty().otherwise(e -> {
          // The badges verticle may run on a node not up yet: the first event asks again.
          LOG.warn("Badge catalog not loaded yet ({}); the next event loads it", e.toString());
          return null;
        }));
  }

  /** The rules of {@code tenantId} without the catalog: enough for the inactivity sweep. */
  RuleSet configured(String tenantId) {
    return configured.computeIfAbsent(tenantId, t -> new RuleSet(config.eventTypes(), config.rewards(),
        config.levelCurve(), new StreakRules(config.maxFreezes()), config.fairPlay().of(t), BadgeCatalog.EMPTY)
        .withWeeklyRetention(config.redis().weeklyRetentionWeeks()));
  }

  /** The whole rule set of {@code tenantId}, with the catalog as of the last change notice received. */
  Future<RuleSet> current(String tenantId) {
    RuleSet rules = configured(tenantId);
    return catalog(tenantId).map(rules::withBadges);
  }

  private Future<BadgeCatalog> catalog(String tenantId) {
    long version = notices.getOrDefault(tenantId, 0L);
    Copy copy = catalogs.get(tenantId);
    if (copy == null || copy.after() != version || copy.catalog().failed()) {
      copy = new Copy(version, badges.catalog(tenantId).map(reply -> parse(version, reply.badges())));
      catalogs.put(tenantId, copy);
    }
    return copy.catalog();
  }

  /**
   * The badges verticle lists only definitions that pass its validation, with the same event types,
   * so each parses; one that does not (a node configured with other event types) is left out, said.
   */
  private BadgeCatalog parse(long version, List<BadgesService.Badge> listed) {
    List<BadgeDefinition> definitions = new ArrayList<>(listed.size());
    for (BadgesService.Badge badge : listed) {
      try {
        definitions.add(BadgeDefinition.parse(badge.fields(), parser, ""));
      } catch (InvalidInputException e) {
        LOG.warn("Badge {} is not awarded by this node: {}", badge.badgeId(), e.getMessage());
      }
    }
    return new BadgeCatalog(version, definitions);
  }
}
