package io.learnquest.api;

import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

/** Blocking HTTP calls to a {@link TestEngine}, as the API tests write them. Not a test class. */
final class ApiClient {
  final TestEngine engine;

  ApiClient(TestEngine engine) {
    this.engine = engine;
  }

  TestEngine.Response request(HttpMethod method, String uri, String body) {
    return engine.request(method, uri, body);
  }

  TestEngine.Response get(String uri) {
    return request(HttpMethod.GET, uri, null);
  }

  TestEngine.Response post(String uri, Object body) {
    return request(HttpMethod.POST, uri, body instanceof String s ? s : Json.encode(body));
  }

  TestEngine.Response put(String uri, Object body) {
    return request(HttpMethod.PUT, uri, body instanceof String s ? s : Json.encode(body));
  }

  /** Posts with {@code ?wait=true} and returns the outcome; fails the test unless it is 200. */
  JsonObject apply(JsonObject event) {
    TestEngine.Response r = post("/api/v1/events?wait=true", event);
    if (r.status() != 200) {
      throw new AssertionError("expected 200 outcome, got " + r.status() + " " + r.body());
    }
    return r.json();
  }

  JsonObject profile(String learnerId) {
    TestEngine.Response r = get("/api/v1/learners/" + learnerId);
    if (r.status() != 200) {
      throw new AssertionError("expected profile, got " + r.status() + " " + r.body());
    }
    return r.json();
  }
}
