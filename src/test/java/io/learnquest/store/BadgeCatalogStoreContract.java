package io.learnquest.store;

import static io.learnquest.support.TestEngine.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every adapter of {@link BadgeCatalogStore} must do. A subclass supplies a fresh store seeded
 * with {@link #SEED}, as the engine seeds it from {@code conf/badges.json}.
 */
public abstract class BadgeCatalogStoreContract {
  static final List<JsonObject> SEED = List.of(definition("first_lesson", "First Steps"),
      definition("mentor", "Mentor"));

  /** The tenant the contract's catalog belongs to. */
  static final String T = io.learnquest.domain.Tenants.DEFAULT;

  protected abstract BadgeCatalogStore catalog();

  /** The same store's data as a node restarting would see it: seeded again from the same file. */
  protected abstract BadgeCatalogStore restarted();

  /** Whether {@link #restarted()} keeps what was written (false for the in-memory store). */
  protected abstract boolean durable();

  static JsonObject definition(String badgeId, String name) {
    return new JsonObject().put("badgeId", badgeId).put("name", name).put("description", "").put("tier", "bronze")
        .putNull("iconUrl").put("rule", new JsonObject().put("event", "lesson_completed").put("count", 1));
  }

  private static List<String> ids(List<JsonObject> definitions) {
    return definitions.stream().map(d -> d.getString("badgeId")).toList();
  }

  @Test
  void allListsTheDefinitionsInTheOrderFirstDefined() {
    assertEquals(List.of("first_lesson", "mentor"), ids(await(catalog().all(T))));
    await(catalog().put(T, definition("centurion", "Centurion")));
    await(catalog().put(T, definition("first_lesson", "First Steps Again")));
    List<JsonObject> all = await(catalog().all(T));
    assertEquals(List.of("first_lesson", "mentor", "centurion"), ids(all));
    assertEquals(definition("first_lesson", "First Steps Again"), all.get(0));
  }

  @Test
  void aRetiredBadgeLeavesTheCatalogAndAPutBringsItBack() {
    assertTrue(await(catalog().retire(T, "first_lesson")));
    assertEquals(List.of("mentor"), ids(await(catalog().all(T))));
    assertTrue(await(catalog().retire(T, "first_lesson")), "retiring twice is not an error");
    assertFalse(await(catalog().retire(T, "never_defined")));
    assertEquals(List.of("mentor"), ids(await(catalog().all(T))));
    if (durable()) {
      assertEquals(List.of("mentor"), ids(await(restarted().all(T))),
          "seeding from conf/badges.json again does not bring a retired badge back");
    }
    await(catalog().put(T, definition("first_lesson", "Back")));
    List<JsonObject> all = await(catalog().all(T));
    assertEquals(List.of("first_lesson", "mentor"), ids(all));
    assertEquals("Back", all.get(0).getString("name"));
  }

  /**
   * Each tenant has a catalog of its own, started from the seed: a badge of one tenant redefined,
   * added or retired changes nothing of another's, and an erased catalog starts from the seed again.
   */
  @Test
  void eachTenantHasItsOwnCatalogStartedFromTheSeed() {
    String other = "tenant-b";
    await(catalog().put(T, definition("mentor", "Mentor of A")));
    await(catalog().put(T, definition("centurion", "Centurion")));
    assertTrue(await(catalog().retire(T, "first_lesson")));
    assertEquals(List.of("first_lesson", "mentor"), ids(await(catalog().all(other))), "a new tenant starts from the seed");
    assertEquals("Mentor", await(catalog().all(other)).get(1).getString("name"));
    assertFalse(await(catalog().retire(other, "centurion")), "the other tenant has no centurion");
    await(catalog().put(other, definition("mentor", "Mentor of B")));
    assertEquals(List.of("mentor", "centurion"), ids(await(catalog().all(T))));
    assertEquals("Mentor of A", await(catalog().all(T)).get(0).getString("name"));
    assertEquals("Mentor of B", await(catalog().all(other)).get(1).getString("name"));

    await(catalog().eraseTenant(other));
    assertEquals(List.of("first_lesson", "mentor"), ids(await(catalog().all(other))), "erased: the seed again");
    assertEquals("Mentor", await(catalog().all(other)).get(1).getString("name"));
    assertEquals(List.of("mentor", "centurion"), ids(await(catalog().all(T))), "the first tenant is whole");
  }
}
