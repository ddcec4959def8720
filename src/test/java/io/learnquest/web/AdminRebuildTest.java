package io.learnquest.web;

import static io.learnquest.support.TestEngine.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.bus.Addresses;
import io.learnquest.bus.Bus;
import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code POST /api/v1/admin/leaderboards/rebuild} on the embedded default: the totals are read in
 * pages (of two here), and the answer waits for the whole rebuild, however long it takes.
 */
class AdminRebuildTest {
  static final List<String> BOARDS = List.of(
      "/api/v1/leaderboards/global",
      "/api/v1/leaderboards/global?week=2026-W48",
      "/api/v1/leaderboards/courses/java-101",
      "/api/v1/leaderboards/courses/java-101?week=2026-W48");

  @RegisterExtension
  final TestEngine engine = TestEngine.start(Map.of("LEADERBOARDS_REBUILD_PAGE_SIZE", "2"));

  /** ana, ben and cleo with 1, 2 and 3 lessons of one course: 4 boards of 3 learners each. */
  private Map<String, List<String>> threeLearnersOnFourBoards() {
    List<String> learners = List.of("ana", "ben", "cleo");
    for (int i = 0; i < learners.size(); i++) {
      for (int k = 0; k <= i; k++) {
        engine.apply(event("r-" + i + "-" + k, learners.get(i), "lesson_completed").put("courseId", "java-101")
            .put("objectId", "lesson-" + k));
      }
    }
    Map<String, List<String>> boards = new HashMap<>();
    BOARDS.forEach(path -> boards.put(path, Replay.board(engine, path)));
    boards.values().forEach(rows -> assertEquals(3, rows.size(), boards.toString()));
    return boards;
  }

  @Test
  void aRebuildReadInPagesGivesBackTheSameBoards() {
    Map<String, List<String>> before = threeLearnersOnFourBoards();
    TestEngine.Response rebuilt = engine.post("/api/v1/admin/leaderboards/rebuild", new JsonObject());
    assertEquals(200, rebuilt.status(), rebuilt.body());
    // 12 totals in 6 pages of 2, the boards counted once although each runs across pages
    JsonObject answer = rebuilt.json();
    org.junit.jupiter.api.Assertions.assertNotNull(answer.remove("generation"), "the rebuild names its generation");
    org.junit.jupiter.api.Assertions.assertNotNull(answer.remove("jobId"), "and its job");
    assertEquals(new JsonObject().put("boards", 4).put("entries", 12), answer);
    Map<String, List<String>> after = new HashMap<>();
    BOARDS.forEach(path -> after.put(path, Replay.board(engine, path)));
    assertEquals(before, after);
  }

  @Test
  void aRebuildLongerThanAReadsTimeoutIsStillAnswered() {
    Map<String, List<String>> before = threeLearnersOnFourBoards();
    // the leaderboards verticle takes the request only after a read's whole timeout has passed
    engine.vertx.eventBus().addInboundInterceptor(delivery -> {
      if (Addresses.LEADERBOARDS_REBUILD.equals(delivery.message().address())) {
        engine.vertx.setTimer(Bus.DEFAULT_TIMEOUT_MS + 500, id -> delivery.next());
      } else {
        delivery.next();
      }
    });
    TestEngine.Response rebuilt = engine.post("/api/v1/admin/leaderboards/rebuild", new JsonObject());
    assertEquals(200, rebuilt.status(), rebuilt.body());
    assertEquals(12, rebuilt.json().getInteger("entries"));
    assertEquals(before.get(BOARDS.get(0)), Replay.board(engine, BOARDS.get(0)));
  }
}
