package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.Replay;
import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Void against replay, as a property: random histories of several learners (a random mix of the
 * built-in event types, repeats of an object, quizzes passed, failed and perfect, courses, peers
 * helped and self-help, study days in several zones, the velocity rule on), one random event of
 * each learner voided; the engine must then equal an engine that got the same events without the
 * voided ones: every learner's profile (XP, level, counters, streak, state, badges), fair-play
 * flags, invariant 4, and every board
 * (global and per course, all-time and weekly), also after a leaderboard rebuild. Fixed seed, a
 * modest number of cases. Runs on the embedded default and, with {@code -Dtest.store=postgres}, on
 * the durable stores.
 */
class VoidPropertyTest {
  static final long SEED = 20261204L;
  static final int LEARNERS = 8;
  static final String[] ZONES = {"Europe/Paris", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"};
  static final String[] TYPES = {"lesson_completed", "lesson_completed", "quiz_completed", "quiz_completed",
      "course_completed", "peer_helped", "daily_login"};

  /** The velocity rule on (the test default turns it off): at most 1 XP-earning event of a type a minute. */
  static final Map<String, String> ENV = Map.of("FAIR_PLAY_VELOCITY_MAX_PER_MINUTE", "1");

  private final TestEngine engine = TestEngine.start(ENV);

  @AfterEach
  void close() {
    engine.close();
  }

  /**
   * One random event of {@code learner}, at most five days before the engine's clock, in one of
   * twenty six-hour slots, so that events of a type often share a minute (the velocity rule).
   */
  static JsonObject randomEvent(Random random, String learner, int n) {
    String type = TYPES[random.nextInt(TYPES.length)];
    Instant at = TestEngine.START.minus(Duration.ofMinutes(10 + 6 * 60 * random.nextInt(20)));
    JsonObject event = TestEngine.event(learner + "-e" + n, learner, type)
        .put("occurredAt", at.toString())
        .put("timezone", ZONES[random.nextInt(ZONES.length)])
        .put("difficulty", 1 + random.nextInt(5))
        .put("timeBonus", random.nextInt(4) == 0);
    if (random.nextBoolean()) {
      event.put("courseId", "course-" + random.nextInt(3));
    }
    switch (type) {
      case "quiz_completed", "course_completed" -> event.put("score", List.of(30, 60, 85, 95, 100)
          .get(random.nextInt(5))).put("objectId", type.substring(0, 4) + "-" + random.nextInt(3));
      case "peer_helped" -> event.put("objectId", random.nextInt(5) == 0 ? learner : "peer-" + random.nextInt(9));
      case "lesson_completed" -> event.put("objectId", "lesson-" + random.nextInt(4));
      default -> {
      }
    }
    return event;
  }

  @Test
  void aVoidedEventLeavesEveryLearnerAndBoardAsIfItHadNeverBeenSent() {
    Random random = new Random(SEED);
    List<JsonObject> sent = new ArrayList<>();
    List<String> voided = new ArrayList<>();
    List<String> learners = new ArrayList<>();
    Set<String> weeks = new TreeSet<>();
    for (int l = 0; l < LEARNERS; l++) {
      String learner = "prop-" + l;
      learners.add(learner);
      int n = 2 + random.nextInt(11);
      List<JsonObject> history = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        JsonObject e = randomEvent(random, learner, i);
        history.add(e);
        var week = Instant.parse(e.getString("occurredAt")).atZone(ZoneOffset.UTC);
        weeks.add(String.format("%d-W%02d", week.get(IsoFields.WEEK_BASED_YEAR), week.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
      }
      sent.addAll(history);
      voided.add(history.get(random.nextInt(n)).getString("eventId"));
    }
    // Learners interleaved, each learner's events in their own order.
    List<JsonObject> order = new ArrayList<>(sent);
    java.util.Collections.shuffle(order, random);
    order.sort(java.util.Comparator.comparing((JsonObject e) -> e.getString("learnerId")).thenComparing(
        e -> Integer.parseInt(e.getString("eventId").substring(e.getString("eventId").lastIndexOf('e') + 1))));

    try (TestEngine reference = TestEngine.startMemoryAt(TestEngine.START, ENV)) {
      for (JsonObject e : order) {
        engine.apply(e);
        if (!voided.contains(e.getString("eventId"))) {
          reference.apply(e);
        }
      }
      for (String eventId : voided) {
        JsonObject answer = ok(engine.post("/api/v1/events/" + eventId + "/void",
            new JsonObject().put("reason", "property")));
        assertEquals("voided", answer.getString("status"), answer::encode);
      }
      List<String> boards = new ArrayList<>(List.of("/api/v1/leaderboards/global"));
      for (String week : weeks) {
        boards.add("/api/v1/leaderboards/global?period=weekly&week=" + week);
        for (int c = 0; c < 3; c++) {
          boards.add("/api/v1/leaderboards/courses/course-" + c + "?period=weekly&week=" + week);
        }
      }
      for (int c = 0; c < 3; c++) {
        boards.add("/api/v1/leaderboards/courses/course-" + c);
      }
      assertSame(reference, learners, boards, voided);
      ok(engine.post("/api/v1/admin/leaderboards/rebuild", new JsonObject()));
      for (String board : boards) {
        assertEquals(Replay.board(reference, board), Replay.board(engine, board), board + " after a rebuild");
      }
    }
  }

  /** The learner's fair-play flags as eventId/rule/detail, sorted (their ids and order are the store's). */
  static List<String> flags(TestEngine engine, String learner) {
    return ok(engine.get("/api/v1/learners/" + learner + "/flags?limit=100")).getJsonArray("flags").stream()
        .map(JsonObject.class::cast)
        .map(f -> f.getString("eventId") + "/" + f.getString("rule") + "/" + f.getString("detail")).sorted().toList();
  }

  private void assertSame(TestEngine reference, List<String> learners, List<String> boards, List<String> voided) {
    for (int l = 0; l < learners.size(); l++) {
      String learner = learners.get(l);
      String why = learner + " with " + voided.get(l) + " voided";
      JsonObject want = Replay.comparable(reference.profile(learner));
      JsonObject got = Replay.comparable(engine.profile(learner));
      assertEquals(want, got, why);
      assertEquals(flags(reference, learner), flags(engine, learner), why + ": flags");
    }
    Map<String, Long> xp = Replay.assertXpConsistent(engine, learners);
    for (String learner : learners) {
      assertEquals(reference.profile(learner).getLong("xp"), xp.get(learner), learner);
    }
    for (String board : boards) {
      assertEquals(Replay.board(reference, board), Replay.board(engine, board), board);
    }
  }
}
