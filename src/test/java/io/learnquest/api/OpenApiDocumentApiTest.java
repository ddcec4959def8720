package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.learnquest.web.ApiDocument;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /openapi.json} serves the API document, and requests are validated against it: one
 * that breaks it gets 400 with the JSON error body naming the parameter, and changes nothing.
 */
class OpenApiDocumentApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  @Test
  void theDocumentIsServedWithoutCredentials() {
    JsonObject served = ok(engine.get("/openapi.json"));
    assertEquals("3.1.0", served.getString("openapi"));
    assertEquals(ApiDocument.json(), served);
  }

  @ParameterizedTest
  @CsvSource({
      "/api/v1/events?wait=maybe, wait",
      "/api/v1/events?wait=, wait",
  })
  void anEventRequestThatBreaksTheDocumentIsRefusedAndChangesNothing(String uri, String field) {
    assertError(engine.post(uri, lesson("doc-1", "ada")), 400, "invalid_value", field);
    assertError(engine.get("/api/v1/learners/ada"), 404, "not_found", "learnerId");
    // the same event, within the document, is accepted: the refusal did not burn its eventId
    assertEquals(200, engine.post("/api/v1/events?wait=true", lesson("doc-1", "ada")).status());
  }

  @Test
  void aBadParameterOfAReadIsRefusedNamingIt() {
    assertError(engine.get("/api/v1/leaderboards/global?page=1.5"), 400, "invalid_value", "page");
    assertError(engine.get("/api/v1/leaderboards/courses/a%20b"), 400, "invalid_value", "courseId");
  }

  @Test
  void credentialsAreCheckedBeforeTheDocument() {
    // Broken parameters and no credentials: 401 (who is asking comes first), not 400.
    assertError(engine.requestAs(null, io.vertx.core.http.HttpMethod.GET, "/api/v1/leaderboards/global?page=1.5", null),
        401, "unauthorized", null);
    assertError(engine.requestAs(null, io.vertx.core.http.HttpMethod.POST, "/api/v1/events?wait=maybe",
        lesson("doc-2", "ada")), 401, "unauthorized", null);
    // With them, the same requests break the document.
    assertError(engine.get("/api/v1/leaderboards/global?page=1.5"), 400, "invalid_value", "page");
    assertError(engine.post("/api/v1/events?wait=maybe", lesson("doc-2", "ada")), 400, "invalid_value", "wait");
  }
}
