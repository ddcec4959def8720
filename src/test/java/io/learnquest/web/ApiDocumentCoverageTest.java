package io.learnquest.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * openapi.json is the one description of every route: every route the web verticle registers is in
 * it, and it lists no route the engine does not serve. A route added without its entry fails here.
 */
class ApiDocumentCoverageTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.startMemoryAt(Instant.parse("2026-11-27T12:00:00Z"), Map.of());

  @Test
  void everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() {
    Router router = engine.engine.httpRouter();
    assertNotNull(router);
    Set<String> served = served(router);
    assertTrue(served.contains("POST /api/v1/events"), served::toString);
    assertEquals(served, documented(ApiDocument.json()),
        "routes of the web verticle (left) and of openapi.json (right) differ; add the route to "
            + "src/main/resources/openapi.json (docs/api.md says how)");
  }

  @Test
  void aServedRouteMissingFromTheDocumentIsNoticed() {
    JsonObject document = ApiDocument.json();
    document.getJsonObject("paths").remove("/health");
    Set<String> served = served(engine.engine.httpRouter());
    Set<String> missing = new TreeSet<>(served);
    missing.removeAll(documented(document));
    assertEquals(Set.of("GET /health"), missing);
  }

  @Test
  void aDocumentedRouteThatIsNotServedIsNoticed() {
    JsonObject document = ApiDocument.json();
    document.getJsonObject("paths").getJsonObject("/api/v1/badges/{badgeId}")
        .put("patch", new JsonObject().put("operationId", "patchBadge"));
    Set<String> extra = new TreeSet<>(documented(document));
    extra.removeAll(served(engine.engine.httpRouter()));
    assertEquals(Set.of("PATCH /api/v1/badges/{badgeId}"), extra);
  }

  @Test
  void theDocumentIsAValidOpenApi31Document() throws Exception {
    OpenAPIContract contract = ApiDocument.contract(engine.vertx).await(30, TimeUnit.SECONDS);
    assertEquals(OpenAPIVersion.V3_1, contract.getVersion());
    assertEquals("3.1.0", ApiDocument.json().getString("openapi"));
  }

  /**
   * {@code METHOD /path/{param}} of every route the router holds (router-wide handlers, which have no
   * path, excluded), plus the WebSocket upgrade, which the HTTP server answers before the router.
   */
  static Set<String> served(Router router) {
    Set<String> routes = new TreeSet<>();
    for (Route route : router.getRoutes()) {
      String path = route.getPath();
      if (path == null) {
        continue;
      }
      String template = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      Set<HttpMethod> methods = route.methods();
      if (methods == null || methods.isEmpty()) {
        routes.add("ANY " + template);
      } else {
        methods.forEach(m -> routes.add(m.name() + " " + template));
      }
    }
    routes.add("GET " + WebVerticle.WS_PATH);
    return routes;
  }

  /** {@code METHOD /path/{param}} of every operation the document lists. */
  static Set<String> documented(JsonObject document) {
    Set<String> operations = new TreeSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String key : paths.getJsonObject(path).fieldNames()) {
        if (Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace").contains(key)) {
          operations.add(key.toUpperCase() + " " + path);
        }
      }
    }
    return operations;
  }
}
