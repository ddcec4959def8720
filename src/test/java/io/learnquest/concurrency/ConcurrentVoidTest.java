package io.learnquest.concurrency;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A void runs in its learner's line: voids of several of a learner's events sent at once, while a
 * backlog of that learner's events waits to be applied and more arrive, never interleave with an
 * event's application or with each other. Afterwards the learner and the boards are those of an
 * engine that never got the voided events. Runs on both stores.
 */
class ConcurrentVoidTest {
  static final int BACKLOG = 30;

  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  static JsonObject day(JsonObject event, int hoursBefore) {
    return event.put("occurredAt", TestEngine.START.minus(Duration.ofHours(hoursBefore)).toString())
        .put("timezone", "Asia/Tokyo").put("courseId", "c-" + (hoursBefore % 2));
  }

  private List<JsonObject> history() {
    List<JsonObject> events = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      String type = i % 3 == 0 ? "quiz_completed" : "lesson_completed";
      JsonObject e = day(event("cv-" + i, "zoe", type), 120 - 4 * i).put("objectId", "o-" + (i % 7));
      if (type.equals("quiz_completed")) {
        e.put("score", i % 2 == 0 ? 100 : 70);
      }
      events.add(e);
    }
    return events;
  }

  /** Kept in flight while the test goes on; sent as every request of the tests is ({@link TestEngine#send}). */
  private Future<Integer> postAsync(String uri, JsonObject body) {
    return engine.send(HttpMethod.POST, uri, body.encode(), Map.of("authorization", "Bearer " + TestEngine.ADMIN_KEY))
        .map(ConcurrentVoidTest::statusOf);
  }

  private static int statusOf(TestEngine.Response response) {
    if (response.status() != 200 && response.status() != 202) {
      throw new AssertionError(response.status() + " " + response.body());
    }
    return response.status();
  }

  @Test
  void voidsSentWhileTheLearnersEventsFlowLeaveTheReplayWithoutThem() {
    List<JsonObject> events = history();
    List<String> voided = List.of("cv-0", "cv-3", "cv-10", "cv-21");
    // The first half waits in the log, two voids are sent at once, and the second half arrives while
    // they run.
    TestEngine.Response batch = engine.post("/api/v1/events/batch",
        new JsonObject().put("events", new JsonArray(new ArrayList<>(events.subList(0, BACKLOG / 2)))));
    assertEquals(200, batch.status(), batch.body());
    List<Future<Integer>> sent = new ArrayList<>();
    for (String eventId : voided.subList(0, 2)) {
      sent.add(postAsync("/api/v1/events/" + eventId + "/void", new JsonObject().put("reason", "concurrent")));
    }
    // One after the other, so their acceptance order is the list's (the reference applies that order).
    for (JsonObject e : events.subList(BACKLOG / 2, BACKLOG)) {
      TestEngine.Response r = engine.post("/api/v1/events", e);
      assertEquals(202, r.status(), r.body());
    }
    TestEngine.await(Future.all(sent));
    // Voided after the rest of the events were accepted (they are applied first).
    for (String eventId : voided.subList(2, voided.size())) {
      assertEquals("voided", engine.post("/api/v1/events/" + eventId + "/void",
          new JsonObject().put("reason", "concurrent")).json().getString("status"));
    }
    // In the learner's line after everything before it: when it is applied, all the rest is.
    JsonObject last = day(event("cv-last", "zoe", "lesson_completed"), 1).put("objectId", "o-last");
    engine.apply(last);

    try (TestEngine reference = TestEngine.startMemoryAt(TestEngine.START, Map.of())) {
      for (JsonObject e : events) {
        if (!voided.contains(e.getString("eventId"))) {
          reference.apply(e);
        }
      }
      reference.apply(last);
      assertEquals(Replay.comparable(reference.profile("zoe")), Replay.comparable(engine.profile("zoe")));
      Replay.assertXpConsistent(engine, List.of("zoe"));
      for (String board : List.of("/api/v1/leaderboards/global", "/api/v1/leaderboards/courses/c-0",
          "/api/v1/leaderboards/courses/c-1")) {
        assertEquals(Replay.board(reference, board), Replay.board(engine, board), board);
      }
    }
  }
}
