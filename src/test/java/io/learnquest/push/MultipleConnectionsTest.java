package io.learnquest.push;

import static io.learnquest.push.Frames.lesson;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.concurrency.Http;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** docs/api.md, "Live push": every connection of a learner gets every notification, once. */
class MultipleConnectionsTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();
  @RegisterExtension
  final Http http = new Http(engine);

  @Test
  void twoWebSocketsAndAnSseStreamOfOneLearnerEachGetEveryNotificationOnce() {
    try (WsClient ws1 = WsClient.connect(engine, "/ws?learnerId=ana");
         WsClient ws2 = WsClient.connect(engine, "/ws?learnerId=ana");
         SseClient sse = SseClient.open(engine, "/api/v1/learners/ana/notifications");
         WsClient bob = WsClient.connect(engine, "/ws?learnerId=bob")) {
      // Ten lessons at once: streak, state and badge once, ten xp_granted, level_up at lessons 4 and 8.
      List<JsonObject> events = new ArrayList<>();
      for (int i = 1; i <= 10; i++) {
        events.add(lesson("ana-" + i, "ana", "lesson-" + i));
      }
      http.postAll("/api/v1/events?wait=true", events).forEach(r -> assertEquals(200, r.status(), r.body()));

      List<JsonObject> first = ws1.awaitFrames(15);
      Frames.assertConsecutiveFrom(Frames.seq(first.get(0)), first);
      assertEquals(first, ws2.awaitFrames(15));
      assertEquals(first, sse.awaitFrames(15));
      assertEquals(List.of("streak_updated", "xp_granted", "state_changed", "badge_awarded", "xp_granted",
          "xp_granted", "xp_granted", "level_up", "xp_granted", "xp_granted", "xp_granted", "xp_granted",
          "level_up", "xp_granted", "xp_granted"), first.stream().map(f -> f.getString("type")).toList());

      // One more each: exactly one more frame on each connection (so nothing earlier came twice).
      http.apply(lesson("ana-11", "ana", "lesson-11"));
      List<JsonObject> all = ws1.awaitFrames(16);
      assertEquals(16, all.size(), all.toString());
      assertEquals(all, ws2.awaitFrames(16));
      assertEquals(all, sse.awaitFrames(16));
      Frames.assertConsecutiveFrom(Frames.seq(all.get(0)), all);
      assertEquals(572, all.get(15).getJsonObject("data").getInteger("totalXp"));

      // Another learner's connection saw none of it, and gets its own.
      http.apply(lesson("bob-1", "bob", "lesson-1"));
      assertEquals(Frames.firstLesson("bob", "bob-1"), Frames.withoutIds(bob.awaitFrames(4)));

      // Closing one connection leaves the others served.
      ws1.close();
      http.apply(lesson("ana-12", "ana", "lesson-12"));
      List<JsonObject> after = ws2.awaitFrames(17);
      assertEquals(17, after.size());
      assertEquals(after, sse.awaitFrames(17));
      assertEquals(Frames.anotherLesson("ana", "ana-12", 624), Frames.withoutIds(after.subList(16, 17)));
    }
  }
}
