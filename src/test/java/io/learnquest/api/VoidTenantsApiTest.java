package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A void is the tenant's own: the event is looked up within the caller's tenant, so another
 * tenant's eventId is 404 as if absent, and voiding an eventId two tenants both used changes only
 * the caller's learner and boards. Runs on both stores.
 */
class VoidTenantsApiTest {
  static final String OPERATOR_KEY = "lq_test-operator-key-for-void-tenants-0123456789";

  private final TestEngine engine = TestEngine.start(Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY));

  @AfterEach
  void close() {
    engine.close();
  }

  private JsonObject applyAs(String key, JsonObject event) {
    TestEngine.Response r = engine.requestAs(key, HttpMethod.POST, "/api/v1/events?wait=true", event);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private JsonObject getAs(String key, String uri) {
    return ok(engine.requestAs(key, HttpMethod.GET, uri, null));
  }

  @Test
  void aVoidFindsTheEventInTheCallersTenantOnly() {
    TestEngine.Response created = engine.requestAs(OPERATOR_KEY, HttpMethod.POST, "/api/v1/tenants",
        new JsonObject().put("tenantId", "school-b").put("name", "School B"));
    assertEquals(201, created.status(), created.body());
    String b = created.json().getString("key");
    String a = TestEngine.ADMIN_KEY;
    for (String key : new String[] {a, b}) {
      applyAs(key, lesson("t-1", "ana").put("courseId", "c-1").put("objectId", "l-1"));
      applyAs(key, quiz("t-2", "ana", 100).put("courseId", "c-1").put("objectId", "q-1"));
    }
    applyAs(b, lesson("t-3", "ana").put("courseId", "c-1").put("objectId", "l-2"));
    JsonObject profileB = getAs(b, "/api/v1/learners/ana");
    JsonObject boardB = getAs(b, "/api/v1/leaderboards/global");

    assertError(engine.requestAs(a, HttpMethod.POST, "/api/v1/events/t-3/void", new JsonObject().put("reason", "x")),
        404, "not_found", "eventId");
    long before = getAs(a, "/api/v1/learners/ana").getLong("xp");
    JsonObject voided = ok(engine.requestAs(a, HttpMethod.POST, "/api/v1/events/t-2/void",
        new JsonObject().put("reason", "tenant a")));
    assertEquals("ana", voided.getString("learnerId"));
    assertTrue(getAs(a, "/api/v1/learners/ana").getLong("xp") < before);
    assertEquals(profileB, getAs(b, "/api/v1/learners/ana"), "the other tenant's learner of the same id");
    assertEquals(boardB, getAs(b, "/api/v1/leaderboards/global"), "and its boards");

    JsonObject voidedB = ok(engine.requestAs(b, HttpMethod.POST, "/api/v1/events/t-2/void",
        new JsonObject().put("reason", "tenant b")));
    assertEquals("tenant b", voidedB.getString("reason"), "its own void, not the other tenant's answer");
    assertEquals(getAs(a, "/api/v1/learners/ana").getLong("xp") + 52, getAs(b, "/api/v1/learners/ana").getLong("xp"),
        "both voided alike, b's ana has the lesson t-3 (52 XP) on top");
  }
}
