package io.learnquest.push;

import static io.learnquest.push.Frames.anotherLesson;
import static io.learnquest.push.Frames.concat;
import static io.learnquest.push.Frames.firstLesson;
import static io.learnquest.push.Frames.lesson;
import static io.learnquest.push.Frames.perfectQuiz;
import static io.learnquest.push.Frames.perfectQuizAfterFirstLesson;
import static io.learnquest.push.Frames.withoutIds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.concurrency.Http;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/api.md, "Live push" over Server-Sent Events at {@code GET /api/v1/learners/{id}/notifications}. */
class SsePushTest {
  static final String ANA = "/api/v1/learners/ana/notifications";

  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  @RegisterExtension
  final Http http = new Http(engine);

  @Test
  void streamReceivesTheNotificationsOfAPostedEventEachWithItsIdLine() {
    try (SseClient sse = SseClient.open(engine, ANA)) {
      assertEquals(200, sse.status());
      assertTrue(sse.contentType().startsWith("text/event-stream"), sse.contentType());

      http.apply(lesson("ana-1", "ana", "lesson-1"));
      List<SseClient.Message> messages = sse.awaitMessages(4);
      for (SseClient.Message m : messages) {
        assertEquals(m.data().getString("id"), m.id(), m.toString());
      }
      List<JsonObject> frames = sse.frames();
      assertEquals(firstLesson("ana", "ana-1"), withoutIds(frames));
      Frames.assertIncreasing(frames);

      http.apply(perfectQuiz("ana-2", "ana", "quiz-1"));
      List<JsonObject> all = sse.awaitFrames(7);
      assertEquals(concat(firstLesson("ana", "ana-1"), perfectQuizAfterFirstLesson("ana", "ana-2")), withoutIds(all));
      Frames.assertIncreasing(all);
    }
  }

  /** Opens the stream resuming after {@code id}, through the header or the query parameter. */
  private void reconnectReplaysWhatWasMissedAndNothingTwice(BiFunction<String, String, SseClient> resume) {
    List<JsonObject> first;
    try (SseClient sse = SseClient.open(engine, ANA)) {
      http.apply(lesson("ana-1", "ana", "lesson-1"));
      first = sse.awaitFrames(4);
    }
    // Missed while disconnected.
    http.apply(perfectQuiz("ana-2", "ana", "quiz-1"));

    try (SseClient sse = resume.apply(ANA, first.get(3).getString("id"))) {
      assertEquals(200, sse.status(), sse.body());
      List<JsonObject> replayed = sse.awaitFrames(3);
      assertEquals(perfectQuizAfterFirstLesson("ana", "ana-2"), withoutIds(replayed));

      http.apply(lesson("ana-3", "ana", "lesson-2"));
      List<JsonObject> frames = sse.awaitFrames(4);
      assertEquals(concat(perfectQuizAfterFirstLesson("ana", "ana-2"), anotherLesson("ana", "ana-3", 314)),
          withoutIds(frames));
      Frames.assertIncreasing(concat(first, frames));
    }

    // Resuming after the 2nd frame: frames 3 and 4 of the first event exactly as sent the first time,
    // then what followed.
    try (SseClient sse = resume.apply(ANA, first.get(1).getString("id"))) {
      List<JsonObject> frames = sse.awaitFrames(6);
      assertEquals(first.subList(2, 4), frames.subList(0, 2));
      assertEquals(concat(firstLesson("ana", "ana-1").subList(2, 4), perfectQuizAfterFirstLesson("ana", "ana-2"),
          anotherLesson("ana", "ana-3", 314)), withoutIds(frames));
      Frames.assertIncreasing(frames);
      http.apply(lesson("ana-4", "ana", "lesson-3"));
      frames = sse.awaitFrames(7);
      assertEquals(7, frames.size(), frames.toString());
      assertEquals(anotherLesson("ana", "ana-4", 366), withoutIds(frames.subList(6, 7)));
      Frames.assertIncreasing(frames);
    }
  }

  @Test
  void reconnectWithLastEventIdReplaysWhatWasMissedAndNothingTwice() {
    reconnectReplaysWhatWasMissedAndNothingTwice((uri, id) -> SseClient.open(engine, uri, id));
  }

  @Test
  void reconnectWithTheSinceParameterReplaysWhatWasMissedAndNothingTwice() {
    reconnectReplaysWhatWasMissedAndNothingTwice((uri, id) ->
        SseClient.open(engine, uri + "?since=" + URLEncoder.encode(id, StandardCharsets.UTF_8)));
  }

  @Test
  void sinceZeroReplaysTheWholeHistory() {
    http.apply(lesson("ana-1", "ana", "lesson-1"));
    http.apply(perfectQuiz("ana-2", "ana", "quiz-1"));
    try (SseClient sse = SseClient.open(engine, ANA + "?since=0")) {
      List<JsonObject> frames = sse.awaitFrames(7);
      assertEquals(concat(firstLesson("ana", "ana-1"), perfectQuizAfterFirstLesson("ana", "ana-2")),
          withoutIds(frames));
      Frames.assertIncreasing(frames);
    }
  }

  @Test
  void badSinceOrLastEventIdOrLearnerIdIsA400WithTheJsonErrorBody() {
    assertBadParam(SseClient.open(engine, ANA + "?since=abc"), "since");
    assertBadParam(SseClient.open(engine, ANA, "abc"), "since");
    assertBadParam(SseClient.open(engine, ANA + "?since=-1"), "since");
    assertBadParam(SseClient.open(engine, "/api/v1/learners/bad%7Cid/notifications"), "learnerId");
  }

  private static void assertBadParam(SseClient sse, String field) {
    try (sse) {
      assertEquals(400, sse.status(), sse.body());
      TestEngine.eventually(SseClient.WAIT, () -> sse.body().endsWith("}"));
      JsonObject error = new JsonObject(sse.body());
      assertEquals("invalid_value", error.getString("error"), error.encode());
      assertEquals(field, error.getString("field"), error.encode());
      assertTrue(error.getString("message") != null && !error.getString("message").isEmpty(), error.encode());
    }
  }
}
