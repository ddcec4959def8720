package io.learnquest.push;

import static io.learnquest.push.Frames.anotherLesson;
import static io.learnquest.push.Frames.concat;
import static io.learnquest.push.Frames.firstLesson;
import static io.learnquest.push.Frames.lesson;
import static io.learnquest.push.Frames.perfectQuiz;
import static io.learnquest.push.Frames.perfectQuizAfterFirstLesson;
import static io.learnquest.push.Frames.withoutIds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.concurrency.Http;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/api.md, "Live push" over the raw WebSocket at {@code /ws?learnerId=...&since=...}. */
class WebSocketPushTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  @RegisterExtension
  final Http http = new Http(engine);

  static String since(JsonObject frame) {
    return URLEncoder.encode(frame.getString("id"), StandardCharsets.UTF_8);
  }

  @Test
  void clientConnectedBeforeTheLearnersFirstEventReceivesItsNotificationsInOrder() {
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana")) {
      http.apply(lesson("ana-1", "ana", "lesson-1"));

      List<JsonObject> frames = ws.awaitFrames(4);
      assertEquals(firstLesson("ana", "ana-1"), withoutIds(frames));
      Frames.assertIncreasing(frames);

      // The next event's frames follow, numbered after these; none of the first is sent again.
      http.apply(perfectQuiz("ana-2", "ana", "quiz-1"));
      List<JsonObject> all = ws.awaitFrames(7);
      assertEquals(concat(firstLesson("ana", "ana-1"), perfectQuizAfterFirstLesson("ana", "ana-2")), withoutIds(all));
      Frames.assertIncreasing(all);
    }
  }

  @Test
  void reconnectWithSinceReceivesExactlyTheFramesAfterItThenLiveOnes() {
    List<JsonObject> first;
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana")) {
      http.apply(lesson("ana-1", "ana", "lesson-1"));
      first = ws.awaitFrames(4);
    }
    assertEquals(4, first.size());

    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana&since=" + since(first.get(1)))) {
      // Replay: exactly frames 3 and 4, as they were sent the first time.
      List<JsonObject> replayed = ws.awaitFrames(2);
      assertEquals(first.subList(2, 4), replayed);

      // Then live: the next event's frames, after the replayed ones, nothing twice.
      http.apply(perfectQuiz("ana-2", "ana", "quiz-1"));
      List<JsonObject> frames = ws.awaitFrames(5);
      assertEquals(first.subList(2, 4), frames.subList(0, 2));
      assertEquals(perfectQuizAfterFirstLesson("ana", "ana-2"), withoutIds(frames.subList(2, 5)));
      Frames.assertIncreasing(frames);

      http.apply(lesson("ana-3", "ana", "lesson-2"));
      frames = ws.awaitFrames(6);
      assertEquals(6, frames.size(), frames.toString());
      assertEquals(anotherLesson("ana", "ana-3", 314), withoutIds(frames.subList(5, 6)));
      Frames.assertIncreasing(frames);
    }
  }

  @Test
  void reconnectWithTheLastIdReplaysNothingAndGetsTheMissedEventsAndLiveOnes() {
    List<JsonObject> first;
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana")) {
      http.apply(lesson("ana-1", "ana", "lesson-1"));
      first = ws.awaitFrames(4);
    }
    // Missed while disconnected.
    http.apply(perfectQuiz("ana-2", "ana", "quiz-1"));

    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana&since=" + since(first.get(3)))) {
      List<JsonObject> replayed = ws.awaitFrames(3);
      assertEquals(perfectQuizAfterFirstLesson("ana", "ana-2"), withoutIds(replayed));
      http.apply(lesson("ana-3", "ana", "lesson-2"));
      List<JsonObject> frames = ws.awaitFrames(4);
      assertEquals(concat(perfectQuizAfterFirstLesson("ana", "ana-2"), anotherLesson("ana", "ana-3", 314)),
          withoutIds(frames));
      Frames.assertIncreasing(concat(first, frames));
    }

    // since=0 replays the whole retained history, identical to what was sent live.
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana&since=0")) {
      List<JsonObject> all = ws.awaitFrames(8);
      assertEquals(first, all.subList(0, 4));
      assertEquals(concat(firstLesson("ana", "ana-1"), perfectQuizAfterFirstLesson("ana", "ana-2"),
          anotherLesson("ana", "ana-3", 314)), withoutIds(all));
      Frames.assertIncreasing(all);
    }
  }

  @Test
  void framesOfOtherLearnersAreNotSent() {
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=ana")) {
      http.apply(lesson("bob-1", "bob", "lesson-1"));
      http.apply(lesson("ana-1", "ana", "lesson-1"));
      List<JsonObject> frames = ws.awaitFrames(4);
      assertEquals(firstLesson("ana", "ana-1"), withoutIds(frames));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/ws",
      "/ws?learnerId=",
      "/ws?learnerId=bad%7Cid",
      "/ws?learnerId=has%20space",
      "/ws?since=0",
      "/ws?learnerId=ana&since=abc",
      "/ws?learnerId=ana&since=-1",
      "/ws?learnerId=ana&since=1.5"})
  void badLearnerIdOrSinceIsRejectedAtTheHandshake(String uri) {
    assertEquals(400, WsClient.rejectionStatus(engine, uri));
  }

  @Test
  void aLearnerIdOf129CharactersIsRejectedAndOf128Accepted() {
    assertEquals(400, WsClient.rejectionStatus(engine, "/ws?learnerId=" + "a".repeat(129)));
    try (WsClient ws = WsClient.connect(engine, "/ws?learnerId=" + "a".repeat(128) + "&since=0")) {
      assertEquals(List.of(), ws.frames());
    }
  }
}
