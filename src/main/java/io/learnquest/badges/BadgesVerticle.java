package io.learnquest.badges;

import io.learnquest.EngineContext;
import io.learnquest.bus.Addresses;
import io.learnquest.bus.BatchedRequests;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Instants;
import io.learnquest.bus.Failure;
import io.learnquest.bus.JsonMapping;
import io.learnquest.bus.StrictJson;
import io.learnquest.domain.ErrorCodes;
import io.learnquest.domain.InputLimits;
import io.learnquest.domain.InvalidInputException;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.badge.BadgeRuleParser;
import io.learnquest.domain.badge.LearnerFacts;
import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.store.BadgeCatalogStore;
import io.learnquest.store.LearnerStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the badge catalog (rules as data, docs/rules.md, "Badges") against a learner's facts after
 * an event, and owns the catalog: reading it, adding or replacing definitions, and retiring them.
 */
public final class BadgesVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(BadgesVerticle.class);
  /** Warnings already logged, so a reload or a catalog read does not repeat them. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final BadgeCatalogStore catalogStore;
  private final LearnerStore learners;
  private final BadgeRuleParser parser;
  private volatile List<BadgeDefinition> catalog = List.of();

  public BadgesVerticle(EngineContext context) {
    this.catalogStore = context.stores().badgeCatalog();
    this.learners = context.stores().learners();
    this.parser = new BadgeRuleParser(name -> context.config().eventTypes().find(name).isPresent());
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().<JsonObject>consumer(Addresses.BADGES_CATALOG_CHANGED, m -> reload());
    // The catalog is loaded before this instance offers to evaluate: in a cluster the other nodes
    // send it work the moment its handler is registered, and an empty catalog would award nothing.
    return reload().compose(v -> Future.all(List.of(
        BatchedRequests.serve(vertx, Addresses.BADGES_EVALUATE, this::evaluate),
        Bus.serve(vertx, Addresses.BADGES_CATALOG, this::catalog),
        Bus.serve(vertx, Addresses.BADGES_DEFINE, this::define),
        Bus.serve(vertx, Addresses.BADGES_RETIRE, this::retire),
        Bus.serve(vertx, Addresses.BADGES_LEARNER, this::learnerBadges))));
  }

  private Future<Void> reload() {
    return catalogStore.all().map(definitions -> {
      catalog = inForce(definitions).stream().map(InForce::parsed).toList();
      return null;
    });
  }

  private record InForce(JsonObject stored, BadgeDefinition parsed) {
  }

  /**
   * The stored definitions that pass today's rules, parsed. One stored before a limit existed (a
   * rule nested a thousand deep, a NUL in its name) is left out of evaluation and of the catalog,
   * with a warning naming it, rather than stop the engine or every read of the catalog: a PUT of a
   * valid definition, or a DELETE, settles it.
   */
  private List<InForce> inForce(List<JsonObject> definitions) {
    List<InForce> valid = new ArrayList<>(definitions.size());
    for (JsonObject stored : definitions) {
      try {
        if (StrictJson.nestsDeeperThan(stored, InputLimits.MAX_JSON_DEPTH)) {
          throw new InvalidInputException(ErrorCodes.TOO_DEEP, "it nests deeper than "
              + InputLimits.MAX_JSON_DEPTH + " levels", "rule");
        }
        valid.add(new InForce(stored, BadgeDefinition.parse(JsonMapping.plainMap(stored), parser, "")));
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

  /** {@code {learnerId, eventId, at, facts, owned}} to {@code {awards}}: badges newly earned. */
  private Future<JsonObject> evaluate(JsonObject request) {
    LearnerFacts facts = JsonMapping.fromJson(request.getJsonObject("facts"), LearnerFacts.class);
    Set<String> owned = new HashSet<>(request.getJsonArray("owned").getList());
    Instant at = Instants.parse(request.getString("at"));
    String eventId = request.getString("eventId");
    List<BadgeAward> awards = catalog.stream()
        .filter(b -> !owned.contains(b.badgeId()) && b.rule().matches(facts))
        .map(b -> new BadgeAward(b.badgeId(), b.name(), b.tier(), at, eventId))
        .toList();
    return Future.succeededFuture(new JsonObject().put("awards", JsonMapping.toJsonArray(awards)));
  }

  private Future<JsonObject> catalog(JsonObject request) {
    return catalogStore.all().map(defs -> new JsonObject().put("badges",
        new JsonArray(inForce(defs).stream().map(d -> (Object) d.stored()).toList())));
  }

  /** {@code {badgeId}}: retires it everywhere (see {@link BadgeCatalogStore#retire}); 404 when never defined. */
  private Future<JsonObject> retire(JsonObject request) {
    String badgeId = request.getString("badgeId");
    return catalogStore.retire(badgeId).compose(known -> {
      if (!known) {
        return Future.failedFuture(Failure.NOT_FOUND.exception(ErrorCodes.NOT_FOUND,
            "no badge " + badgeId + " in the catalog", "badgeId"));
      }
      return reload().map(v -> {
        vertx.eventBus().publish(Addresses.BADGES_CATALOG_CHANGED, new JsonObject().put("badgeId", badgeId));
        return new JsonObject().put("badgeId", badgeId).put("retired", true);
      });
    });
  }

  /** Validates a definition whole, stores it, and tells every instance on every node to reload. */
  private Future<JsonObject> define(JsonObject definition) {
    BadgeDefinition parsed = BadgeDefinition.parse(JsonMapping.plainMap(definition), parser, "");
    JsonObject clean = new JsonObject()
        .put("badgeId", parsed.badgeId())
        .put("name", parsed.name())
        .put("description", parsed.description())
        .put("tier", parsed.tier())
        .put("iconUrl", parsed.iconUrl())
        .put("rule", new JsonObject(parsed.ruleJson()));
    return catalogStore.put(clean).compose(v -> reload()).map(v -> {
      vertx.eventBus().publish(Addresses.BADGES_CATALOG_CHANGED, new JsonObject().put("badgeId", parsed.badgeId()));
      return clean;
    });
  }

  private Future<JsonObject> learnerBadges(JsonObject request) {
    String learnerId = request.getString("learnerId");
    return learners.known(learnerId)
        .compose(learner -> learners.badges(learnerId))
        .map(list -> new JsonObject().put("badges", JsonMapping.toJsonArray(list)));
  }
}
