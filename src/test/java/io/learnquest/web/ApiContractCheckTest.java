package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.ApiContractCheck;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hook every end-to-end answer goes through: it passes what openapi.json describes and fails a
 * test on an answer it does not (wrong body, undocumented status, a non-JSON error).
 */
class ApiContractCheckTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void answersTheDocumentDescribesPass() {
    ApiContractCheck.check(vertx, HttpMethod.GET, "/health", 200, "application/json",
        "{\"status\":\"UP\",\"inactivitySweeper\":true}");
    ApiContractCheck.check(vertx, HttpMethod.GET, "/api/v1/learners/ana?x=1", 404, "application/json",
        "{\"error\":\"not_found\",\"message\":\"unknown learner ana\",\"field\":\"learnerId\"}");
    ApiContractCheck.check(vertx, HttpMethod.DELETE, "/api/v1/nothing", 404, "application/json",
        "{\"error\":\"not_found\",\"message\":\"no such resource\",\"field\":null}");
  }

  @Test
  void aBodyThatBreaksItsSchemaFails() {
    AssertionError e = assertThrows(AssertionError.class, () -> ApiContractCheck.check(vertx, HttpMethod.GET,
        "/health", 200, "application/json", "{\"status\":\"DOWN\",\"inactivitySweeper\":true}"));
    assertTrue(e.getMessage().contains("breaks openapi.json"), e.getMessage());
    assertThrows(AssertionError.class, () -> ApiContractCheck.check(vertx, HttpMethod.POST, "/api/v1/events", 202,
        "application/json", "{\"eventId\":\"e-1\"}"));
  }

  @Test
  void aStatusTheOperationDoesNotDocumentFails() {
    assertThrows(AssertionError.class, () -> ApiContractCheck.check(vertx, HttpMethod.GET, "/api/v1/badges", 404,
        "application/json", "{\"error\":\"not_found\",\"message\":\"gone\",\"field\":null}"));
  }

  @Test
  void anErrorBodyWithExtraOrMissingKeysFails() {
    assertThrows(AssertionError.class, () -> ApiContractCheck.check(vertx, HttpMethod.GET, "/api/v1/learners/ana",
        404, "application/json", "{\"error\":\"not_found\",\"message\":\"unknown\"}"));
    assertThrows(AssertionError.class, () -> ApiContractCheck.check(vertx, HttpMethod.GET, "/nothing", 404,
        "text/html", "<html>not found</html>"));
  }
}
