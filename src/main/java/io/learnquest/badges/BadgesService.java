package io.learnquest.badges;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.bus.Codecs;
import io.learnquest.bus.Tenancy;
import io.learnquest.domain.badge.BadgeDefinition;
import io.learnquest.domain.learner.BadgeAward;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The badges verticle as its callers see it: typed messages over the event bus. The web reads,
 * defines and retires the catalog and reads a learner's awards; the rules take a copy of the
 * catalog ({@link #catalog}) and take a fresh one after each {@link CatalogChanged}, which the
 * verticle publishes before it answers a change. One instance belongs to the verticle instance
 * that made it.
 */
public final class BadgesService {
  /**
   * A definition of the catalog, as {@code PUT /api/v1/badges/{badgeId}} takes it and
   * {@code GET /api/v1/badges} lists it: {@code rule} is the rule's JSON as written (maps, lists,
   * strings, numbers), which whoever evaluates it parses with its own event types.
   */
  public record Badge(String badgeId, String name, String description, String tier, String iconUrl,
                      Map<String, Object> rule) {
    public Badge {
      rule = rule == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(rule));
    }

    public static Badge of(BadgeDefinition definition) {
      return new Badge(definition.badgeId(), definition.name(), definition.description(), definition.tier(),
          definition.iconUrl(), definition.ruleJson());
    }

    /** The definition as {@link BadgeDefinition#parse} reads it. */
    public Map<String, Object> fields() {
      Map<String, Object> fields = new LinkedHashMap<>();
      fields.put("badgeId", badgeId);
      fields.put("name", name);
      fields.put("description", description);
      fields.put("tier", tier);
      fields.put("iconUrl", iconUrl);
      fields.put("rule", rule);
      return fields;
    }
  }

  public record CatalogQuery(String tenant) {
  }

  /** The tenant's definitions in force, in the order they were first defined. */
  public record Catalog(List<Badge> badges) {
    public Catalog {
      badges = List.copyOf(badges);
    }
  }

  /** Adds or replaces {@code badge} in the tenant's catalog; answered with the definition as stored. */
  public record Define(String tenant, Badge badge) {
  }

  public record Retire(String tenant, String badgeId) {
  }

  /**
   * Published before a change of the tenant's catalog is answered: {@code badgeId} the badge defined
   * or retired, null when the whole catalog went (the tenant was erased).
   */
  public record CatalogChanged(String tenant, String badgeId) {
  }

  public record AwardsQuery(String tenant, String learnerId) {
  }

  /** A learner's badges, as {@code GET /api/v1/learners/{id}/badges} answers them. */
  public record Awards(List<BadgeAward> badges) {
    public Awards {
      badges = List.copyOf(badges);
    }
  }

  private final Vertx vertx;

  public BadgesService(Vertx vertx) {
    registerCodecs(vertx);
    this.vertx = vertx;
  }

  public static void registerCodecs(Vertx vertx) {
    Codecs.register(vertx, Tenancy.Erase.class, CatalogQuery.class, Catalog.class, Define.class, Badge.class,
        Retire.class, CatalogChanged.class, AwardsQuery.class, Awards.class);
  }

  public Future<Catalog> catalog(String tenant) {
    return Bus.ask(vertx, Addresses.BADGES_CATALOG, new CatalogQuery(tenant));
  }

  /** Validated whole by the verticle (an invalid definition is refused with its code); answered as stored. */
  public Future<Badge> define(String tenant, Badge badge) {
    return Bus.ask(vertx, Addresses.BADGES_DEFINE, new Define(tenant, badge));
  }

  /** Answered with nothing once retired (again when retired already); {@code not_found} when never defined. */
  public Future<Void> retire(String tenant, String badgeId) {
    return Bus.ask(vertx, Addresses.BADGES_RETIRE, new Retire(tenant, badgeId));
  }

  /** The learner's awards; {@code not_found} for a learner the engine does not know. */
  public Future<Awards> awards(String tenant, String learnerId) {
    return Bus.ask(vertx, Addresses.BADGES_LEARNER, new AwardsQuery(tenant, learnerId));
  }

  /** Erases the tenant's catalog; the rules drop their copy of it. */
  public Future<Void> eraseTenant(String tenant) {
    return Bus.ask(vertx, Addresses.BADGES_TENANT_ERASE, new Tenancy.Erase(tenant));
  }

  /** Hears every change notice of every tenant, from whichever node made the change. */
  public Future<Void> onCatalogChanged(Handler<CatalogChanged> handler) {
    return vertx.eventBus().<CatalogChanged>consumer(Addresses.BADGES_CATALOG_CHANGED, m -> handler.handle(m.body()))
        .completion();
  }
}
