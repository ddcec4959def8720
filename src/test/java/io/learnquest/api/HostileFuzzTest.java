package io.learnquest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzzes the event and badge endpoints with structured hostile input: deep nesting, huge numbers,
 * wrong types, control characters, lone surrogates, duplicate keys, odd byte encodings, long
 * strings, odd dates, broken percent-encoding. Fixed seed, fixed time budget; in the normal suite
 * (so in scripts/test, on both stores) for a few seconds, longer by hand:
 * <pre>mvn test -Dtest=HostileFuzzTest -Dfuzz.seconds=600 [-Dfuzz.seed=7] [-Dtest.store=postgres]</pre>
 * Invariants, for every input: no 5xx; an answer within {@link #ANSWER_WITHIN} (no hang); a
 * refusal has the JSON error body and changes nothing (catalog, the fuzzed learners' profiles, the
 * global board); and the engine applies the next valid event of any learner it accepted one for.
 */
class HostileFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 0x1EA4_0013L);
  static final long BUDGET_MS = (long) (Double.parseDouble(System.getProperty("fuzz.seconds", "4")) * 1000);
  static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);
  static final List<String> LEARNERS = List.of("fz-ana", "fz-ben", "fz-cy");
  static final Set<String> ERROR_KEYS = Set.of("error", "message", "field");

  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private final Random random = new Random(SEED);
  /**
   * The hostile inputs' own client, one connection per input (no keep-alive): a refused input may
   * leave its connection for the server to close (an unread body, a request line too long), and the
   * state checks in between must not race that close on a shared, kept-alive connection. They go on
   * the engine's usual client.
   */
  private HttpClient hostile;
  private final Map<Integer, Integer> statuses = new TreeMap<>();
  private int sentinel;

  /** One request: method, URI and raw body bytes (null for none). */
  record Input(String kind, HttpMethod method, String uri, byte[] body) {
    String describe() {
      String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
      return method + " " + (uri.length() > 200 ? uri.substring(0, 200) + "..." : uri) + " "
          + (text.length() > 300 ? text.substring(0, 300) + "...(" + body.length + " bytes)" : text);
    }
  }

  record Answer(int status, String contentType, String body) {
  }

  @AfterEach
  void closeHostileClient() {
    if (hostile != null) {
      TestEngine.await(hostile.close());
    }
  }

  @Test
  void noInputGetsA5xxHangsOrChangesStateWhenRefused() {
    hostile = engine.vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(engine.port).setKeepAlive(false));
    String previous = "none yet";
    long deadline = System.nanoTime() + BUDGET_MS * 1_000_000;
    int tried = 0;
    int refused = 0;
    while (System.nanoTime() < deadline || tried < 20) {
      Input input = next(tried);
      String before = snapshot(previous);
      Answer answer = send(input);
      tried++;
      statuses.merge(answer.status(), 1, Integer::sum);
      String what = "input #" + tried + " (seed " + SEED + ", " + input.kind() + "): " + input.describe()
          + " -> " + answer.status() + " " + answer.body();
      previous = what;
      assertTrue(answer.status() < 500, what);
      if (answer.status() >= 400) {
        refused++;
        assertTrue(answer.contentType() != null && answer.contentType().startsWith("application/json"), what);
        JsonObject error = new JsonObject(answer.body());
        assertEquals(ERROR_KEYS, error.fieldNames(), what);
        assertEquals(before, snapshot(what), "a refusal changed the state: " + what);
      } else if (answer.status() == 200 && input.kind().equals("batch") && allRefused(answer)) {
        assertEquals(before, snapshot(what), "a batch of refusals changed the state: " + what);
      }
      if (answer.status() < 300 || tried % 25 == 0) {
        // Whatever was accepted, each learner's next valid event is applied: nothing is stuck.
        for (String learner : LEARNERS) {
          JsonObject outcome = applyValid(learner);
          assertEquals("processed", outcome.getString("status"), "after " + what + ": " + outcome.encode());
        }
      }
    }
    for (String learner : LEARNERS) {
      assertEquals("processed", applyValid(learner).getString("status"), "after the last input");
    }
    // Printed, not logged: tests log errors only, and these figures go to docs/fuzzing.md.
    System.out.printf("HostileFuzzTest (%s): %d inputs in %d ms (seed %d), %d refused, 0 hangs, 0 5xx; statuses %s%n",
        TestEngine.DURABLE ? "postgres" : "memory", tried, BUDGET_MS, SEED, refused, statuses);
    assertTrue(refused > tried / 2, "most hostile inputs are refused: " + statuses);
  }

  private static boolean allRefused(Answer answer) {
    JsonArray results = new JsonObject(answer.body()).getJsonArray("results");
    return results.stream().allMatch(r -> ((JsonObject) r).containsKey("error"));
  }

  private JsonObject applyValid(String learner) {
    TestEngine.Response r = engine.post("/api/v1/events?wait=true", TestEngine.event("fz-sentinel-" + sentinel++,
        learner, "lesson_completed").put("objectId", "fz-lesson-" + sentinel));
    return r.status() == 200 ? r.json() : new JsonObject().put("status", r.status()).put("body", r.body());
  }

  /** What a refusal must leave as it was; {@code after} names the input before, should a read fail. */
  private String snapshot(String after) {
    try {
      return snapshot();
    } catch (AssertionError e) {
      throw new AssertionError("reading the state after " + after + ": " + e.getMessage(), e);
    }
  }

  private String snapshot() {
    StringBuilder state = new StringBuilder(engine.get("/api/v1/badges").body());
    for (String learner : LEARNERS) {
      TestEngine.Response profile = engine.get("/api/v1/learners/" + learner);
      state.append('\n').append(profile.status()).append(profile.body());
    }
    return state.append('\n').append(engine.get("/api/v1/leaderboards/global?size=100").body()).toString();
  }

  private Answer send(Input input) {
    Promise<Answer> answer = Promise.promise();
    engine.clientContext.runOnContext(v -> hostile.request(new RequestOptions().setMethod(input.method())
            .setURI(input.uri()).setIdleTimeout(ANSWER_WITHIN.toMillis()))
        .compose(req -> {
          // with the engine's admin key: the inputs must reach the validators, not stop at 401
          req.putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + TestEngine.ADMIN_KEY);
          return input.body() == null ? req.send() : req.send(Buffer.buffer(input.body()));
        })
        .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), resp.getHeader("content-type"),
            b.toString(StandardCharsets.UTF_8))))
        .onComplete(answer));
    try {
      return answer.future().await(ANSWER_WITHIN.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within " + ANSWER_WITHIN + " (a hang): " + input.describe(), e);
    } catch (RuntimeException e) {
      throw new AssertionError("request failed: " + input.describe() + ": " + e, e);
    }
  }

  // ----- the generator -----

  private Input next(int n) {
    return switch (random.nextInt(10)) {
      case 0, 1, 2, 3 -> new Input("event", HttpMethod.POST, "/api/v1/events", bytes(event(n)));
      case 4, 5 -> new Input("batch", HttpMethod.POST, "/api/v1/events/batch", bytes(batch(n)));
      case 6, 7 -> new Input("badge", HttpMethod.PUT, "/api/v1/badges/" + badgeIdSegment(), bytes(badge()));
      case 8 -> new Input("delete", HttpMethod.DELETE, "/api/v1/badges/" + hostileSegment(), null);
      default -> new Input("read", HttpMethod.GET, hostileRead(), null);
    };
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** Ordered fields as raw JSON text, so duplicates and raw escapes can be written as they are. */
  private record Fields(List<String[]> pairs) {
    Fields() {
      this(new ArrayList<>());
    }

    Fields put(String key, String rawValue) {
      pairs.removeIf(p -> p[0].equals(key));
      pairs.add(new String[] {key, rawValue});
      return this;
    }

    String render() {
      StringBuilder sb = new StringBuilder("{");
      for (String[] p : pairs) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append('"').append(p[0]).append("\": ").append(p[1]);
      }
      return sb.append('}').toString();
    }
  }

  private static String quoted(String s) {
    return '"' + s + '"';
  }

  private String event(int n) {
    String type = pick(List.of("lesson_completed", "quiz_completed", "course_completed", "peer_helped",
        "daily_login"));
    Fields f = new Fields().put("eventId", quoted("fz-" + n + "-" + random.nextInt(1_000)))
        .put("learnerId", quoted(pick(LEARNERS))).put("type", quoted(type));
    if (random.nextBoolean()) {
      f.put("objectId", quoted("obj-" + random.nextInt(5)));
    }
    if (random.nextBoolean()) {
      f.put("courseId", quoted("course-" + random.nextInt(3)));
    }
    if (type.equals("quiz_completed") || type.equals("course_completed") || random.nextInt(4) == 0) {
      f.put("score", Integer.toString(random.nextInt(101)));
    }
    int spoils = 1 + random.nextInt(3);
    for (int i = 0; i < spoils; i++) {
      String field = pick(List.of("eventId", "learnerId", "type", "occurredAt", "occurredAt", "timezone",
          "courseId", "objectId", "score", "difficulty", "timeBonus", "extra"));
      f.put(field, field.equals("occurredAt") && random.nextBoolean() ? quoted(pick(ODD_DATES)) : hostileValue());
    }
    return structural(f.render());
  }

  private String batch(int n) {
    StringBuilder items = new StringBuilder();
    int count = 1 + random.nextInt(4);
    for (int i = 0; i < count; i++) {
      items.append(i > 0 ? ", " : "").append(random.nextInt(4) == 0 ? hostileValue() : event(n * 10 + i));
    }
    return structural(random.nextInt(8) == 0 ? "{\"events\": " + hostileValue() + "}"
        : "{\"events\": [" + items + "]}");
  }

  private String badge() {
    Fields f = new Fields().put("name", quoted("Fuzz")).put("tier", quoted("bronze"))
        .put("rule", "{\"metric\": \"xp\", \"gte\": 1000000000}");
    int spoils = 1 + random.nextInt(3);
    for (int i = 0; i < spoils; i++) {
      String field = pick(List.of("name", "description", "tier", "iconUrl", "iconUrl", "rule", "rule", "rule",
          "badgeId"));
      String value = switch (field) {
        case "iconUrl" -> random.nextBoolean() ? quoted(pick(ODD_URLS)) : hostileValue();
        case "rule" -> random.nextBoolean() ? hostileRule(0) : hostileValue();
        default -> hostileValue();
      };
      f.put(field, value);
    }
    return structural(f.render());
  }

  /** A rule that is wrong somewhere: too deep, too wide, hostile leaves or keys. */
  private String hostileRule(int depth) {
    return switch (random.nextInt(depth > 3 ? 4 : 7)) {
      case 0 -> "{\"metric\": " + pick(List.of("\"xp\"", hostileValue())) + ", \"gte\": " + hostileValue() + "}";
      case 1 -> "{\"event\": " + hostileValue() + ", \"courseId\": " + hostileValue() + "}";
      case 2 -> "{\"event\": \"lesson_completed\", \"count\": " + pick(HUGE_NUMBERS) + "}";
      case 3 -> {
        int levels = random.nextInt(60);
        yield "{\"not\": ".repeat(levels) + "{\"metric\": \"xp\", \"lt\": 0}" + "}".repeat(levels);
      }
      case 4 -> "{\"all\": [" + hostileRule(depth + 1) + ", " + hostileRule(depth + 1) + "]}";
      case 5 -> {
        int width = pick(List.of(1, 255, 256, 257, 2_000));
        StringBuilder sb = new StringBuilder("{\"any\": [");
        for (int i = 0; i < width; i++) {
          sb.append(i > 0 ? "," : "").append("{\"metric\":\"xp\",\"gte\":").append(i).append('}');
        }
        yield sb.append("]}").toString();
      }
      default -> "{\"metric\": \"xp\", \"gte\": 1, \"gte\": 2}";
    };
  }

  private String hostileValue() {
    return switch (random.nextInt(9)) {
      case 0 -> deepValue();
      case 1 -> pick(HUGE_NUMBERS);
      case 2 -> pick(List.of("true", "false", "null", "[]", "{}", "42", "-1", "0.5", "[\"a\"]", "{\"a\": 1}"));
      case 3 -> quoted(pick(HOSTILE_TEXT));
      case 4 -> quoted("x".repeat(pick(List.of(128, 129, 1_000, 70_000))));
      case 5 -> quoted(pick(ODD_DATES));
      case 6 -> quoted(pick(ODD_URLS));
      case 7 -> quoted(pick(List.of("lesson_completed", "fz-ana", "UTC", "Asia/Tokyo", "gold", "ok-id")));
      default -> "{\"k\": 1, \"k\": 2}";
    };
  }

  private String deepValue() {
    int depth = pick(List.of(2, 50, 99, 100, 101, 500, 5_000, 50_000));
    return random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
        : "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth);
  }

  /** Whole-document damage, sometimes: duplicates, truncation, stray bytes are added in bytes(). */
  private String structural(String json) {
    return switch (random.nextInt(12)) {
      case 0 -> json.length() > 2 ? json.substring(0, 1 + random.nextInt(json.length() - 1)) : json;
      case 1 -> json.startsWith("{") ? "{\"eventId\": \"dup\", " + json.substring(1) : json;
      case 2 -> json + pick(List.of(" {}", " x", ",", "\u0000"));
      case 3 -> pick(List.of("", " ", "null", "[]", "\"s\"", "1e999", "{", "}", "{\"a\"}", "{\"a\":}"));
      default -> json;
    };
  }

  /** The text as bytes, sometimes in a broken or foreign encoding. */
  private byte[] bytes(String json) {
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    return switch (random.nextInt(14)) {
      case 0 -> json.getBytes(StandardCharsets.UTF_16);
      case 1 -> json.getBytes(StandardCharsets.ISO_8859_1);
      case 2 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8);
      case 3 -> insert(utf8, pick(List.of(new byte[] {(byte) 0xC0, (byte) 0x80}, new byte[] {(byte) 0xED,
          (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
          new byte[] {(byte) 0xE2, (byte) 0x82})));
      case 4 -> {
        byte[] flipped = utf8.clone();
        if (flipped.length > 0) {
          flipped[random.nextInt(flipped.length)] = (byte) random.nextInt(256);
        }
        yield flipped;
      }
      default -> utf8;
    };
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private byte[] insert(byte[] into, byte[] what) {
    int at = into.length == 0 ? 0 : random.nextInt(into.length);
    byte[] out = new byte[into.length + what.length];
    System.arraycopy(into, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(into, at, out, at + what.length, into.length - at);
    return out;
  }

  /** A badge id path segment: mostly hostile, sometimes a fresh valid one (then the PUT may be accepted). */
  private String badgeIdSegment() {
    return random.nextInt(3) == 0 ? "fz-badge-" + random.nextInt(5) : hostileSegment();
  }

  private String hostileSegment() {
    return pick(List.of("%zz", "a%", "%00", "%ff%fe", "%c0%80", "%ed%a0%80", "a%2Fb", "..%2F..", "x".repeat(129),
        "y".repeat(3_000), "%E2%80%AE", "never-defined", "%20", "a;b", "%25zz", "~", "%u0041"));
  }

  private String hostileRead() {
    String value = pick(List.of("%zz", "-1", "0", "99999999999999999999", "1e3", "%00", "", "%", "abc",
        "2026-W99", "all-time%00", "x".repeat(5_000)));
    return pick(List.of("/api/v1/learners/" + hostileSegment(), "/api/v1/learners/fz-ana/xp?limit=" + value,
        "/api/v1/learners/fz-ana/xp?cursor=" + value, "/api/v1/leaderboards/global?page=" + value,
        "/api/v1/leaderboards/global?size=" + value + "&period=" + value, "/api/v1/leaderboards/global?week=" + value,
        "/api/v1/leaderboards/courses/" + hostileSegment() + "?period=weekly",
        "/api/v1/leaderboards/global/around/fz-ana?window=" + value,
        "/api/v1/learners/fz-ana/notifications?since=%zz", "/api/v1/badges?%zz", "/api/v1/" + hostileSegment()));
  }

  static final List<String> HUGE_NUMBERS = List.of("1e309", "-1e309", "1e-400", "-0", "0.0", "100.0",
      "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999999", "1" + "0".repeat(999),
      "1" + "0".repeat(1_500), "2147483648", "4.9e-324", "1.7976931348623157e308", "0x10", "1_000", "01", "+1",
      ".5", "NaN", "Infinity");

  static final List<String> HOSTILE_TEXT = List.of("a\\u0000b", "\\u0000", "tab\\there", "line\\nbreak",
      "\\u001f", "del\\u007f", "c1\\u0085", "\\ud800", "\\udc00", "x\\ud83d", "\\ud83d\\ude00", "\\ufeffbom",
      "rtl\\u202e", "\\u2028", "<script>alert(1)</script>", "<img src=x>", "a > b", "javascript:alert(1)",
      "' OR 1=1 --", "../../etc/passwd", "%zz", "\\\\", "\\\"", "é", "日本語", "😀", "\\u00e9", "\\uFFFF",
      "\\uFFFE", "   ", "");

  static final List<String> ODD_DATES = List.of("-5000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
      "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "+275760-09-13T00:00:00Z", "9999-12-31T23:59:59Z",
      "+10000-01-01T00:00:00Z", "-999999999-01-01T00:00:00+18:00", "+999999999-12-31T23:59:59-18:00",
      "2026-02-30T00:00:00Z", "2026-11-27T12:00:00+25:00", "2026-11-27T12:00:00.0000000001Z",
      "2026-11-27T11:00:00-00:00", "2026-11-27T24:00:00Z", "2026-11-27T11:59:60Z", "2026-11-27T11:00:00",
      "2026-11-27T11:00:00z", "2026-W48", "1764244740", "2026-11-27T11:00:00+09:00[Asia/Tokyo]");

  static final List<String> ODD_URLS = List.of("javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:x",
      "java\\u0000script:x", "data:text/html,<script>", "vbscript:x", "//evil.example/x", "https://",
      "https:///x", "http://[::1", "https://a b", "file:///etc/passwd", "/icons/ok.svg", "https://cdn.example/ok.svg",
      "HTTPS://CDN.EXAMPLE/OK.SVG", "https://\\u0000.example/", "mailto:a@b.c", "x".repeat(3_000));
}
