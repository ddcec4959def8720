package io.learnquest.push;

import static io.learnquest.push.Frames.lesson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.concurrency.Http;
import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * docs/rules.md, invariant 5, "a notification at most once per connection", where it is hardest: connections
 * that resume with {@code since=0} while the learner's events are being applied, so the replayed
 * history and the live frames overlap. Each connection must end with exactly the learner's history:
 * ids strictly increasing with no gap and no duplicate, as many frames as a fresh {@code since=0}
 * connection replays once everything has settled.
 */
class ReplayOverlapTest {
  static final int LESSONS = 50;
  /**
   * 50 lessons on one day: streak_updated, state_changed and badge_awarded once, 50 xp_granted,
   * level_up at 208, 416, 832 and 1612 XP (lessons 4, 8, 16, 31); then one marker lesson's xp_granted.
   */
  static final int EXPECTED_FRAMES = 3 + LESSONS + 4 + 1;

  TestEngine engine;
  Http http;
  final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() {
    engine = TestEngine.start();
    http = new Http(engine);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    http.close();
    engine.close();
  }

  /** A connection's received frames, whatever its kind. */
  private Supplier<List<JsonObject>> connect(boolean webSocket, String since) {
    if (webSocket) {
      WsClient ws = WsClient.connect(engine, "/ws?learnerId=cara&since=" + since);
      open.add(ws);
      return ws::frames;
    }
    SseClient sse = SseClient.open(engine, "/api/v1/learners/cara/notifications?since=" + since);
    open.add(sse);
    return sse::frames;
  }

  static List<JsonObject> awaitCount(Supplier<List<JsonObject>> frames, int n) {
    try {
      TestEngine.eventually(Duration.ofSeconds(20), () -> frames.get().size() >= n);
    } catch (AssertionError e) {
      throw new AssertionError("expected " + n + " frames, got " + frames.get().size(), e);
    }
    return frames.get();
  }

  /** The types the history must hold, in order. */
  static List<String> expectedTypes() {
    List<String> types = new ArrayList<>(List.of("streak_updated", "xp_granted", "state_changed", "badge_awarded"));
    for (int k = 2; k <= LESSONS + 1; k++) {
      types.add("xp_granted");
      if (k == 4 || k == 8 || k == 16 || k == 31) {
        types.add("level_up");
      }
    }
    return types;
  }

  @Test
  void connectionsResumingFromZeroDuringConcurrentApplicationGetEachNotificationOnceWithoutGaps() {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 1; i <= LESSONS; i++) {
      events.add(lesson("cara-" + i, "cara", "lesson-" + i));
    }
    List<Future<TestEngine.Response>> pending = http.fire(Collections.nCopies(LESSONS, "/api/v1/events?wait=true"),
        events);
    AtomicInteger applied = new AtomicInteger();
    pending.forEach(f -> f.onComplete(ar -> applied.incrementAndGet()));

    // Ten since=0 connections, WebSocket and SSE in turn, opened as the application goes on (after
    // 0, 5, 10, ... outcomes), plus one resuming in the middle of the first one's frames.
    List<Supplier<List<JsonObject>>> fromZero = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int threshold = 5 * i;
      TestEngine.eventually(Duration.ofSeconds(20), () -> applied.get() >= threshold);
      fromZero.add(connect(i % 2 == 0, "0"));
    }
    List<JsonObject> early = awaitCount(fromZero.get(0), 20);
    String middle = early.get(19).getString("id");
    Supplier<List<JsonObject>> fromMiddle = connect(true, URLEncoder.encode(middle, StandardCharsets.UTF_8));

    List<TestEngine.Response> answers = Http.awaitAll(pending);
    answers.forEach(r -> assertEquals(200, r.status(), r.body()));
    // A marker event after everything: its frame is the last each connection must get.
    http.apply(lesson("cara-marker", "cara", "lesson-marker"));

    List<JsonObject> history;
    try (WsClient fresh = WsClient.connect(engine, "/ws?learnerId=cara&since=0")) {
      history = awaitCount(fresh::frames, EXPECTED_FRAMES);
    }
    assertEquals(EXPECTED_FRAMES, history.size());
    Frames.assertConsecutiveFrom(Frames.seq(history.get(0)), history);
    assertEquals(expectedTypes(), history.stream().map(f -> f.getString("type")).toList());
    JsonObject last = history.get(history.size() - 1);
    assertEquals("cara-marker", last.getString("eventId"));
    assertEquals(2652, last.getJsonObject("data").getInteger("totalXp"));
    // The running totals in xp_granted go up by 52 each time: every event applied once, in turn.
    List<Integer> totals = history.stream().filter(f -> f.getString("type").equals("xp_granted"))
        .map(f -> f.getJsonObject("data").getInteger("totalXp")).toList();
    List<Integer> expectedTotals = new ArrayList<>();
    for (int k = 1; k <= LESSONS + 1; k++) {
      expectedTotals.add(52 * k);
    }
    assertEquals(expectedTotals, totals);

    for (int i = 0; i < fromZero.size(); i++) {
      List<JsonObject> got = awaitCount(fromZero.get(i), EXPECTED_FRAMES);
      Frames.assertConsecutiveFrom(Frames.seq(history.get(0)), got);
      assertEquals(history, got, "connection " + i);
    }
    int start = history.indexOf(early.get(19)) + 1;
    List<JsonObject> got = awaitCount(fromMiddle, EXPECTED_FRAMES - start);
    assertEquals(history.subList(start, EXPECTED_FRAMES), got);
  }
}
