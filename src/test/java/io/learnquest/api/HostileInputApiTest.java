package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJsonContent;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.learnquest.bus.Addresses;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * One regression test per finding of a hostile client's probes: each request answered normally
 * and then stopped the engine's work (in durable mode some for good, across restarts). Each test
 * shows the request is now refused with the JSON error body, changes nothing, and that the engine
 * goes on applying the next valid events, after a restart too when the store is durable.
 */
class HostileInputApiTest {
  static final List<String> DEFAULT_BADGES = List.of("first_lesson", "week_streak", "perfect_quiz", "mentor");

  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  private final ListAppender<ILoggingEvent> errors = new ListAppender<>();

  @BeforeEach
  void watchErrorLog() {
    errors.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(errors);
  }

  @AfterEach
  void stopWatching() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(errors);
  }

  /** Nothing a client sent was logged as an error (and so no stack trace of theirs). */
  private void assertNoErrorLogged() {
    List<String> logged = errors.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy()
            .getClassName())).toList();
    assertEquals(List.of(), logged, "errors logged for a client's mistake");
  }

  private List<String> catalogIds(TestEngine on) {
    JsonArray badges = ok(on.get("/api/v1/badges")).getJsonArray("badges");
    List<String> ids = new ArrayList<>();
    badges.forEach(b -> ids.add(((JsonObject) b).getString("badgeId")));
    return ids;
  }

  /**
   * With the durable stores: stops this engine, starts another on the same database, and runs
   * {@code check} against it; with the embedded default (nothing survives a restart) runs it here.
   */
  private void afterARestart(Consumer<TestEngine> check) {
    if (!TestEngine.DURABLE) {
      check.accept(engine);
      return;
    }
    engine.close();
    try (TestEngine restarted = TestEngine.startDurable(Map.of())) {
      check.accept(restarted);
    }
  }

  // Finding 1: a badge whose name holds NUL was stored, and PostgreSQL then refused every award.
  @Test
  void aBadgeNameHoldingNulIsRefusedAndTheNextEventsAreApplied() {
    JsonObject poisoned = new JsonObject().put("name", "a\u0000b").put("tier", "bronze")
        .put("rule", new JsonObject().put("metric", "xp").put("gte", 0));
    assertError(engine.put("/api/v1/badges/nul_name", poisoned), 400, "invalid_text", "name");
    assertError(engine.put("/api/v1/badges/nul_rule", poisoned.copy().put("name", "ok")
        .put("rule", new JsonObject().put("all", new JsonArray().add(new JsonObject()
            .put("event", "lesson_completed").put("courseId", "c\u0000"))))), 400, "invalid_text",
        "rule.all[0].courseId");
    assertError(engine.put("/api/v1/badges/ctl_desc", poisoned.copy().put("name", "ok")
        .put("description", "bell \u0007")), 400, "invalid_text", "description");
    // Escaped in the JSON text: a Java client would send a lone surrogate itself as '?'.
    assertError(engine.put("/api/v1/badges/surrogate", "{\"name\": \"half \\ud83d\", \"tier\": \"gold\","
        + " \"rule\": {\"metric\": \"xp\", \"gte\": 0}}"), 400, "invalid_text", "name");
    assertError(engine.put("/api/v1/badges/surrogate", "{\"name\": \"tail \\udc00 first\", \"tier\": \"gold\","
        + " \"rule\": {\"metric\": \"xp\", \"gte\": 0}}"), 400, "invalid_text", "name");
    assertEquals(DEFAULT_BADGES, catalogIds(engine));

    JsonObject first = engine.apply(lesson("nul-1", "nia"));
    assertEquals(52, first.getLong("totalXp"));
    assertEquals(List.of("first_lesson"), first.getJsonArray("badgesAwarded").getList());
    afterARestart(next -> {
      assertEquals(DEFAULT_BADGES, catalogIds(next));
      assertEquals(104, next.apply(lesson("nul-2", "nia")).getLong("totalXp"));
      assertEquals(52, next.apply(lesson("nul-3", "other")).getLong("totalXp"));
    });
    assertNoErrorLogged();
  }

  // Finding 2: occurredAt in year -5000 was accepted, and PostgreSQL refused it for ever.
  @Test
  void anOccurredAtBefore1970IsRefusedAndTheLearnersNextEventsAreApplied() {
    for (String at : List.of("-5000-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "-999999999-01-01T00:00:00+18:00")) {
      assertError(engine.post("/api/v1/events", lesson("old-1", "oda").put("occurredAt", at)), 400, "too_old",
          "occurredAt");
    }
    assertError(engine.post("/api/v1/events", lesson("old-1", "oda").put("occurredAt", "+10000-01-01T00:00:00Z")),
        400, "occurred_in_future", "occurredAt");
    JsonObject batch = ok(engine.post("/api/v1/events/batch", new JsonObject().put("events", new JsonArray()
        .add(lesson("old-2", "oda").put("occurredAt", "-5000-01-01T00:00:00Z"))
        .add(lesson("old-3", "oda")))));
    assertEquals("too_old", batch.getJsonArray("results").getJsonObject(0).getJsonObject("error").getString("error"));
    assertEquals("accepted", batch.getJsonArray("results").getJsonObject(1).getString("status"));
    TestEngine.eventually(ApiTestSupport.PATIENCE, () -> engine.get("/api/v1/learners/oda").status() == 200
        && engine.profile("oda").getLong("xp") == 52);
    afterARestart(next -> {
      assertEquals(104, next.apply(lesson("old-4", "oda").put("objectId", "l-4")).getLong("totalXp"));
      // The refused eventIds are not burnt.
      assertEquals(156, next.apply(lesson("old-1", "oda").put("objectId", "l-1")).getLong("totalXp"));
    });
    assertNoErrorLogged();
  }

  // Finding 3: a rule nested 1,000 deep was stored, and GET /api/v1/badges never answered again.
  @Test
  void aRuleNestedTooDeepOrTooLargeIsRefusedNamingWhere() {
    assertError(engine.put("/api/v1/badges/deep", badgeText(1_000)), 400, "too_deep",
        "rule" + ".not".repeat(99));
    assertError(engine.put("/api/v1/badges/deep", badge(nested(33))), 400, "too_deep", "rule" + ".not".repeat(32));
    assertEquals(200, engine.put("/api/v1/badges/deep", badge(nested(32))).status());
    JsonArray many = new JsonArray();
    for (int i = 0; i < 300; i++) {
      many.add(new JsonObject().put("metric", "xp").put("gte", i));
    }
    assertError(engine.put("/api/v1/badges/wide", badge(new JsonObject().put("any", many))), 400, "rule_too_large",
        "rule.any");
    JsonArray nearly = new JsonArray();
    for (int i = 0; i < 200; i++) {
      nearly.add(new JsonObject().put("all", new JsonArray().add(new JsonObject().put("metric", "xp").put("gte", i))));
    }
    assertError(engine.put("/api/v1/badges/wide", badge(new JsonObject().put("any", nearly))), 400, "rule_too_large",
        "rule.any[127].all[0]");
    List<String> expected = new ArrayList<>(DEFAULT_BADGES);
    expected.add("deep");
    assertEquals(expected, catalogIds(engine));
    assertEquals(52, engine.apply(lesson("deep-1", "dan")).getLong("totalXp"));
    assertNoErrorLogged();
  }

  /**
   * A rule as deep as the store takes, written before the limits existed: the catalog still answers
   * (without it), and the engine neither awards it nor stops.
   */
  @Test
  void aPathologicalRuleAlreadyStoredDoesNotStopTheCatalogNorTheEngine() {
    JsonObject legacy = new JsonObject(badgeText(999)).put("badgeId", "legacy");
    TestEngine.await(engine.engine.context().stores().badgeCatalog().put(io.learnquest.domain.Tenants.DEFAULT, legacy));
    engine.vertx.eventBus().publish(Addresses.BADGES_CATALOG_CHANGED,
        new io.learnquest.badges.BadgesService.CatalogChanged(io.learnquest.domain.Tenants.DEFAULT, "legacy"));
    assertEquals(DEFAULT_BADGES, catalogIds(engine));
    JsonObject outcome = engine.apply(lesson("legacy-1", "leo"));
    assertEquals(List.of("first_lesson"), outcome.getJsonArray("badgesAwarded").getList());
  }

  // Finding 5: malformed percent-encoding answered 500 "http_-1" and logged a stack trace.
  @Test
  void malformedPercentEncodingIsA400WithTheJsonBody() {
    assertError(engine.get("/api/v1/learners/a%zz"), 400, "invalid_encoding", "path");
    assertError(engine.get("/api/v1/learners/a%"), 400, "invalid_encoding", "path");
    assertError(engine.get("/api/v1/learners/ana/xp?limit=%zz"), 400, "invalid_encoding", "query");
    assertError(engine.get("/api/v1/leaderboards/global?period=%zz"), 400, "invalid_encoding", "query");
    assertError(engine.get("/api/v1/learners/ana/notifications?since=%zz"), 400, "invalid_encoding", "query");
    assertError(engine.request(HttpMethod.PUT, "/api/v1/badges/b%zz", badge(nested(1)).encode()), 400,
        "invalid_encoding", "path");
    assertError(engine.post("/api/v1/events?wait=%g0", lesson("enc-1", "eve")), 400, "invalid_encoding", "query");
    // Well-formed encoding of a bad value is the value's problem, as before.
    assertError(engine.get("/api/v1/learners/a%00b"), 400, "invalid_value", "learnerId");
    assertError(engine.get("/api/v1/learners/ana/notifications?since=%41"), 400, "invalid_value", "since");
    assertEquals(400, RawHttp.send(engine.port, "GET /ws?learnerId=ana&since=%zz HTTP/1.1\r\nHost: x\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n\r\n").status());
    assertEquals(52, engine.apply(lesson("enc-1", "eve")).getLong("totalXp"));
    assertNoErrorLogged();
  }

  // Finding 6: requests too big got bare, non-JSON 431 and 414 answers.
  @Test
  void requestsTooBigGetTheirStatusWithTheJsonBody() {
    RawHttp.Answer longUri = RawHttp.send(engine.port,
        "GET /api/v1/learners/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertEquals(414, longUri.status(), longUri.raw());
    assertError(longUri.asResponse(), 414, "uri_too_long", null);
    RawHttp.Answer bigHeaders = RawHttp.send(engine.port,
        "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n");
    assertError(bigHeaders.asResponse(), 431, "headers_too_large", null);
    RawHttp.Answer notHttp = RawHttp.send(engine.port, "HELLO\r\n\r\n");
    assertError(notHttp.asResponse(), 400, "invalid_request", null);
    assertError(engine.put("/api/v1/badges/big", badge(nested(1)).put("description", "d".repeat(70_000))), 413,
        "payload_too_large", null);
    assertError(engine.request(HttpMethod.PATCH, "/api/v1/badges", "{}"), 405, "method_not_allowed", null);
    assertEquals(52, engine.apply(lesson("big-1", "bo")).getLong("totalXp"));
    assertNoErrorLogged();
  }

  // Finding 7: duplicate keys were accepted (the last won); badge fields took HTML and javascript: URLs.
  @Test
  void duplicateKeysAreRefusedWhereverJsonArrives() {
    String event = "{\"eventId\": \"dup-1\", \"learnerId\": \"dia\", \"type\": \"lesson_completed\","
        + " \"learnerId\": \"mallory\"}";
    assertError(engine.post("/api/v1/events", event), 400, "duplicate_key", "learnerId");
    assertError(engine.post("/api/v1/events/batch", "{\"events\": [" + event + "]}"), 400, "duplicate_key",
        "events[0].learnerId");
    assertError(engine.put("/api/v1/badges/dup", "{\"name\": \"A\", \"tier\": \"gold\", \"rule\": "
        + "{\"metric\": \"xp\", \"gte\": 1, \"gte\": 0}}"), 400, "duplicate_key", "rule.gte");
    assertError(engine.get("/api/v1/learners/dia"), 404, "not_found", "learnerId");
    assertError(engine.get("/api/v1/learners/mallory"), 404, "not_found", "learnerId");
    assertEquals(DEFAULT_BADGES, catalogIds(engine));
    assertEquals(52, engine.apply(lesson("dup-1", "dia")).getLong("totalXp"));
    assertNoErrorLogged();
  }

  @Test
  void badgeNamesAreTextAndIconsAreWebUrls() {
    assertError(engine.put("/api/v1/badges/html", badge(nested(1)).put("name", "<img src=x onerror=alert(1)>")),
        400, "invalid_value", "name");
    assertError(engine.put("/api/v1/badges/html", badge(nested(1)).put("description", "a <b>bold</b> claim")),
        400, "invalid_value", "description");
    for (String url : List.of("javascript:alert(1)", "JavaScript:alert(1)", "data:image/svg+xml,<svg/>",
        "//evil.example/x.svg", "ftp://host/x.svg", "https:no-host", "icons/relative.svg")) {
      assertError(engine.put("/api/v1/badges/js", badge(nested(1)).put("iconUrl", url)), 400, "invalid_value",
          "iconUrl");
    }
    assertEquals(DEFAULT_BADGES, catalogIds(engine));
    for (String url : List.of("https://cdn.example/icons/a.svg", "http://cdn.example/a.png", "/icons/a.svg")) {
      assertEquals(200, engine.put("/api/v1/badges/icon", badge(nested(1)).put("iconUrl", url)).status(), url);
    }
    assertEquals(200, engine.put("/api/v1/badges/lines", badge(nested(1)).put("name", "Plain & simple")
        .put("description", "Line one.\nLine two.")).status());
  }

  // Finding 7: no badge could be deleted (405).
  @Test
  void aRetiredBadgeIsNoLongerListedNorAwardedAndItsAwardsStay() {
    JsonObject first = engine.apply(lesson("ret-1", "rue"));
    assertEquals(List.of("first_lesson"), first.getJsonArray("badgesAwarded").getList());
    TestEngine.Response deleted = engine.request(HttpMethod.DELETE, "/api/v1/badges/first_lesson", null);
    assertEquals(204, deleted.status(), deleted.body());
    assertEquals(204, engine.request(HttpMethod.DELETE, "/api/v1/badges/first_lesson", null).status());
    assertError(engine.request(HttpMethod.DELETE, "/api/v1/badges/never_defined", null), 404, "not_found",
        "badgeId");
    assertError(engine.request(HttpMethod.DELETE, "/api/v1/badges/bad%00id", null), 400, "invalid_value",
        "badgeId");
    assertEquals(List.of("week_streak", "perfect_quiz", "mentor"), catalogIds(engine));
    assertEquals(List.of(), engine.apply(lesson("ret-2", "sam")).getJsonArray("badgesAwarded").getList());
    afterARestart(next -> {
      assertEquals(List.of("week_streak", "perfect_quiz", "mentor"), catalogIds(next),
          "the seed from conf/badges.json does not bring a retired badge back");
      assertEquals(List.of(), next.apply(lesson("ret-3", "tom")).getJsonArray("badgesAwarded").getList());
      JsonArray kept = ok(next.get("/api/v1/learners/rue/badges")).getJsonArray("badges");
      assertEquals(1, kept.size());
      assertEquals("first_lesson", kept.getJsonObject(0).getString("badgeId"));
      assertEquals("first_lesson", next.profile("rue").getJsonArray("badges").getJsonObject(0).getString("badgeId"));
      // Defined again, it is in force again; who holds it already does not get it twice.
      assertEquals(200, next.put("/api/v1/badges/first_lesson", badge(new JsonObject()
          .put("event", "lesson_completed").put("count", 1))).status());
      assertEquals(List.of("first_lesson"),
          next.apply(lesson("ret-4", "uma")).getJsonArray("badgesAwarded").getList());
      assertEquals(List.of(), next.apply(lesson("ret-5", "rue").put("objectId", "l-5"))
          .getJsonArray("badgesAwarded").getList());
    });
  }

  // Finding 9: events without objectId were never repeats (20 course completions earned 10,500 XP).
  @Test
  void aCourseCompletedAgainIsARepeatOfItsCourseAndAPeerHelpNamesThePeer() {
    JsonObject firstTime = engine.apply(course("cc-0", "cora", 90).put("courseId", "java-101"));
    long xp = firstTime.getLong("totalXp");
    assertEquals(525, xp);
    for (int i = 1; i < 20; i++) {
      JsonObject again = engine.apply(course("cc-" + i, "cora", 90).put("courseId", "java-101"));
      assertTrue(again.getBoolean("repeat"), again::encode);
      assertEquals(xp, again.getLong("totalXp"));
    }
    assertEquals(1, engine.profile("cora").getJsonObject("counters").getInteger("coursesCompleted"));
    assertFalse(engine.apply(course("cc-other", "cora", 90).put("courseId", "java-102")).getBoolean("repeat"));
    // An objectId, when given, stays what repeats are judged by.
    assertFalse(engine.apply(course("cc-obj", "cora", 90).put("courseId", "java-101").put("objectId", "java-101-v2"))
        .getBoolean("repeat"));

    for (int i = 0; i < 12; i++) {
      assertError(engine.post("/api/v1/events", helped("ph-" + i, "pete")), 400, "missing_field", "objectId");
    }
    assertError(engine.get("/api/v1/learners/pete"), 404, "not_found", "learnerId");
    assertEquals(157, engine.apply(helped("ph-0", "pete").put("objectId", "peer-1")).getLong("totalXp"));
    assertTrue(engine.apply(helped("ph-1", "pete").put("objectId", "peer-1")).getBoolean("repeat"));
  }

  /** A badge definition (no badgeId: the path names it) with the given rule. */
  static JsonObject badge(JsonObject rule) {
    return new JsonObject().put("name", "Test badge").put("tier", "bronze").put("rule", rule);
  }

  /** A rule {@code levels} rules deep: {"not": {"not": ... {"metric": "xp", "lt": 0}}}, true for everyone. */
  static JsonObject nested(int levels) {
    JsonObject rule = new JsonObject().put("metric", "xp").put("lt", 0);
    for (int i = 1; i < levels; i++) {
      rule = new JsonObject().put("not", rule);
    }
    return rule;
  }

  /**
   * {@link #badge} of {@link #nested} as text: a thousand JsonObjects nested in each other take more
   * stack to encode than a test thread has.
   */
  static String badgeText(int levels) {
    return "{\"name\": \"Test badge\", \"tier\": \"bronze\", \"rule\": " + "{\"not\": ".repeat(levels - 1)
        + "{\"metric\": \"xp\", \"lt\": 0}" + "}".repeat(levels - 1) + "}";
  }

  /** Raw HTTP/1.1 over a socket: for requests an HTTP client would refuse to send, or would fix up. */
  static final class RawHttp {
    record Answer(int status, String contentType, String body, String raw) {
      TestEngine.Response asResponse() {
        return new TestEngine.Response(status, contentType, body);
      }
    }

    static Answer send(int port, String request) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) > 0) {
          read.write(chunk, 0, n);
          if (complete(read.toString(StandardCharsets.UTF_8))) {
            break;
          }
        }
        String raw = read.toString(StandardCharsets.UTF_8);
        int headEnd = raw.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? raw : raw.substring(0, headEnd);
        String body = headEnd < 0 ? "" : raw.substring(headEnd + 4);
        int status = Integer.parseInt(head.split(" ", 3)[1]);
        String contentType = null;
        for (String line : head.split("\r\n")) {
          if (line.toLowerCase().startsWith("content-type:")) {
            contentType = line.substring(line.indexOf(':') + 1).trim();
          }
        }
        return new Answer(status, contentType, body, raw);
      } catch (IOException e) {
        throw new AssertionError("raw request failed: " + e, e);
      }
    }

    /** Whether a whole answer with a content-length (or none) is in {@code raw}. */
    private static boolean complete(String raw) {
      int headEnd = raw.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        return false;
      }
      for (String line : raw.substring(0, headEnd).split("\r\n")) {
        if (line.toLowerCase().startsWith("content-length:")) {
          int length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
          return raw.getBytes(StandardCharsets.UTF_8).length - headEnd - 4 >= length;
        }
      }
      return false;
    }
  }
}
