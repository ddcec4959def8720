package io.learnquest.badges;

import io.learnquest.EngineContext;
import io.learnquest.badges.BadgesService.Awards;
import io.learnquest.badges.BadgesService.AwardsQuery;
import io.learnquest.badges.BadgesService.Badge;
import io.learnquest.badges.BadgesService.Catalog;
import io.learnquest.badges.BadgesService.CatalogChanged;
import io.learnquest.badges.BadgesService.CatalogQuery;
import io.learnquest.badges.BadgesService.Define;
import io.learnquest.badges.BadgesService.Retire;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Tenancy;
import io.learnquest.bus.Failure;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.json.JsonMapping;
import io.learnquest.json.StrictJson;
import io.learnquest.store.BadgeCatalogStore;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the badge catalog (rules as data, docs/rules.md, "Badges"): reading it, adding or replacing
 * definitions, and retiring them; and serves each learner's awards. Every change is published on
 * {@code badges.catalog.changed} before it is answered: the rules, which evaluate each event against
 * a copy of the catalog, take a fresh copy before their next event. Each tenant has a catalog of its
 * own: every request and every notice names its {@code tenant}.
 */
public final class BadgesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BadgesVerticle.class);
  /** Warnings already logged, so a reload or a catalog read does not repeat them. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final BadgeCatalogStore catalogStore;
  private final LearnerStore learners;
  private final BadgeRuleParser parser;

  public BadgesVerticle(EngineContext context) {
    this.catalogStore = context.stores().badgeCatalog();
    this.learners = context.stores().learners();
    this.parser = new BadgeRuleParser(name -> context.config().eventTypes().find(name).isPresent());
  }

  @Override
  public Future<?> start() {
    BadgesService.registerCodecs(vertx);
    return Future.all(List.of(
        Bus.answer(vertx, Addresses.BADGES_CATALOG, this::catalog),
        Bus.answer(vertx, Addresses.BADGES_DEFINE, this::define),
        Bus.answer(vertx, Addresses.BADGES_RETIRE, this::retire),
        Bus.answer(vertx, Addresses.BADGES_LEARNER, this::learnerBadges),
        Bus.answer(vertx, Addresses.BADGES_TENANT_ERASE, this::eraseTenant)));
  }

  private void changed(String tenant, String badgeId) {
    vertx.eventBus().publish(Addresses.BADGES_CATALOG_CHANGED, new CatalogChanged(tenant, badgeId));
  }

  /**
   * The stored definitions that pass today's rules. One stored before a limit existed (a
   * rule nested a thousand deep, a NUL in its name) is left out of the catalog (so of evaluation),
   * with a warning naming it, rather than stop the engine or every read of the catalog: a PUT of a
   * valid definition, or a DELETE, settles it.
   */
  private List<Badge> inForce(List<JsonObject> definitions) {
    List<Badge> valid = new ArrayList<>(definitions.size());
    for (JsonObject stored : definitions) {
      try {
        if (StrictJson.nestsDeeperThan(stored, InputLimits.MAX_JSON_DEPTH)) {
          throw new InvalidInputException(ErrorCodes.TOO_DEEP, "it nests deeper than "
              + InputLimits.MAX_JSON_DEPTH + " levels", "rule");
        }
        valid.add(Badge.of(BadgeDefinition.parse(JsonMapping.plainMap(stored), parser, "")));
      } catch (InvalidInputException e) {
        String warning = stored.getString("badgeId") + ": " + e.getMessage();
        if (warned.add(warning)) {
          LOG.warn("Stored badge {} no longer passes validation ({}); it is neither listed nor awarded",
              stored.getValue("badgeId"), e.getMessage());
        }
      }
    }
    return valid;
  }

  /** The tenant's definitions in force. */
  private Future<Catalog> catalog(CatalogQuery request) {
    return catalogStore.all(request.tenant()).map(defs -> new Catalog(inForce(defs)));
  }

  /** Retires the badge everywhere (see {@link BadgeCatalogStore#retire}); not found when never defined. */
  private Future<Void> retire(Retire request) {
    String tenant = request.tenant();
    String badgeId = request.badgeId();
    return catalogStore.retire(tenant, badgeId).compose(known -> {
      if (!known) {
        return Future.failedFuture(Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND,
            "no badge " + badgeId + " in the catalog", "badgeId"));
      }
      changed(tenant, badgeId);
      return Future.succeededFuture();
    });
  }

  /** Validates a definition whole, stores it, and tells every rules instance on every node. */
  private Future<Badge> define(Define request) {
    String tenant = request.tenant();
    BadgeDefinition parsed = BadgeDefinition.parse(request.badge().fields(), parser, "");
    JsonObject clean = new JsonObject()
        .put("badgeId", parsed.badgeId())
        .put("name", parsed.name())
        .put("description", parsed.description())
        .put("tier", parsed.tier())
        .put("iconUrl", parsed.iconUrl())
        .put("rule", new JsonObject(parsed.ruleJson()));
    return catalogStore.put(tenant, clean).map(v -> {
      changed(tenant, parsed.badgeId());
      return Badge.of(parsed);
    });
  }

  /** The tenant's catalog goes; the rules drop their copy of it. */
  private Future<Void> eraseTenant(Tenancy.Erase request) {
    String tenant = request.tenant();
    return catalogStore.eraseTenant(tenant).map(v -> {
      changed(tenant, null);
      return null;
    });
  }

  /** The learner's awards; not found for an unknown learner. */
  private Future<Awards> learnerBadges(AwardsQuery request) {
    String tenant = request.tenant();
    String learnerId = request.learnerId();
    return learners.known(tenant, learnerId)
        .compose(learner -> learners.badges(tenant, learnerId))
        .map(Awards::new);
  }
}
