package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A request's id: the caller's when it is sane, else a fresh random UUID. */
class RequestIdsTest {
  @Test
  void aSaneIdIsKeptAndAnyOtherIsReplacedByAFreshOne() {
    assertEquals("req-42.a_b:c", RequestIds.choose("req-42.a_b:c"));
    for (String unsafe : new String[] {null, "", "two words", "line\nbreak", "é", "x".repeat(129)}) {
      String chosen = RequestIds.choose(unsafe);
      assertNotEquals(unsafe, chosen);
      assertEquals(4, UUID.fromString(chosen).version(), chosen);
    }
  }

  @Test
  void freshIdsAreRandomVersionFourUuidsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      String id = RequestIds.freshId();
      UUID parsed = UUID.fromString(id);
      assertEquals(4, parsed.version(), id);
      assertEquals(2, parsed.variant(), id);
      assertEquals(id, parsed.toString(), "the canonical form, 36 characters of 0-9a-f and hyphens");
      seen.add(id);
    }
    assertEquals(100_000, seen.size(), "an id came twice");
  }
}
