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
    assertEquals(List.of("first_lesson", "mentor"), ids(await(catalog().all())));
    await(catalog().put(definition("centurion", "Centurion")));
    await(catalog().put(definition("first_lesson", "First Steps Again")));
    List<JsonObject> all = await(catalog().all());
    assertEquals(List.of("first_lesson", "mentor", "centurion"), ids(all));
    assertEquals(definition("first_lesson", "First Steps Again"), all.get(0));
  }

  @Test
  void aRetiredBadgeLeavesTheCatalogAndAPutBringsItBack() {
    assertTrue(await(catalog().retire("first_lesson")));
    assertEquals(List.of("mentor"), ids(await(catalog().all())));
    assertTrue(await(catalog().retire("first_lesson")), "retiring twice is not an error");
    assertFalse(await(catalog().retire("never_defined")));
    assertEquals(List.of("mentor"), ids(await(catalog().all())));
    if (durable()) {
      assertEquals(List.of("mentor"), ids(await(restarted().all())),
          "seeding from conf/badges.json again does not bring a retired badge back");
    }
    await(catalog().put(definition("first_lesson", "Back")));
    List<JsonObject> all = await(catalog().all());
    assertEquals(List.of("first_lesson", "mentor"), ids(all));
    assertEquals("Back", all.get(0).getString("name"));
  }
}
