package io.learnquest.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.learnquest.store.StoreException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureTest {
  @Test
  void everyKindOfStoreFailureBecomesTheBusFailureOfThatKindWithItsCodeMessageAndField() {
    Map<StoreException.Kind, Failure> expected = Map.of(
        StoreException.Kind.NOT_FOUND, Failure.NOT_FOUND,
        StoreException.Kind.CONFLICT, Failure.CONFLICT,
        StoreException.Kind.REFUSED, Failure.STORE_REFUSED,
        StoreException.Kind.UNAVAILABLE, Failure.STORE_UNAVAILABLE,
        StoreException.Kind.FULL, Failure.STORE_FULL);
    Map<StoreException.Kind, String> codes = Map.of(
        StoreException.Kind.NOT_FOUND, "not_found",
        StoreException.Kind.CONFLICT, "conflict",
        StoreException.Kind.REFUSED, "store_refused",
        StoreException.Kind.UNAVAILABLE, "store_unavailable",
        StoreException.Kind.FULL, "store_full");
    assertEquals(StoreException.Kind.values().length, expected.size());
    for (StoreException.Kind kind : StoreException.Kind.values()) {
      StoreException cause = new StoreException(kind, "what happened to " + kind, "learnerId");
      Failure.EngineException e = Failure.from(cause);
      assertSame(expected.get(kind), e.failure(), kind.name());
      assertEquals(new JsonObject().put("error", codes.get(kind)).put("message", "what happened to " + kind)
          .put("field", "learnerId"), e.body());
    }
  }

  @Test
  void aStoreFailureWithoutAFieldSaysNoField() {
    Failure.EngineException e = Failure.of(new StoreException(StoreException.Kind.UNAVAILABLE, "down"));
    assertEquals(Failure.STORE_UNAVAILABLE, e.failure());
    assertEquals(null, e.body().getString("field"));
    assertEquals("down", e.getMessage());
  }
}
