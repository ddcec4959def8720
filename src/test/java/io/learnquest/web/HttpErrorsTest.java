package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.bus.Failure;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpErrorsTest {
  @Test
  void everyBusFailureHasTheStatusDocsApiNames() {
    Map<Failure, Integer> statuses = new EnumMap<>(Failure.class);
    statuses.put(Failure.INVALID_INPUT, 400);
    statuses.put(Failure.NOT_FOUND, 404);
    statuses.put(Failure.CONFLICT, 409);
    statuses.put(Failure.PAYLOAD_TOO_LARGE, 413);
    statuses.put(Failure.STORE_UNAVAILABLE, 503);
    statuses.put(Failure.INTERNAL, 500);
    statuses.put(Failure.STORE_REFUSED, 400);
    statuses.put(Failure.STORE_FULL, 503);
    statuses.put(Failure.OVERLOADED, 503);
    assertEquals(Failure.values().length, statuses.size(), "a failure without an expected status");
    statuses.forEach((failure, status) -> assertEquals(status, HttpErrors.status(failure), failure.name()));
  }
}
