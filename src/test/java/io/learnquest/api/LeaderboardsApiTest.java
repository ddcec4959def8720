package io.learnquest.api;

import static io.learnquest.api.ApiTestSupport.assertError;
import static io.learnquest.api.ApiTestSupport.assertJson;
import static io.learnquest.api.ApiTestSupport.board;
import static io.learnquest.api.ApiTestSupport.course;
import static io.learnquest.api.ApiTestSupport.helped;
import static io.learnquest.api.ApiTestSupport.lesson;
import static io.learnquest.api.ApiTestSupport.login;
import static io.learnquest.api.ApiTestSupport.ok;
import static io.learnquest.api.ApiTestSupport.quiz;
import static io.learnquest.api.ApiTestSupport.rank;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Leaderboards", and docs/api.md: global and course boards, all-time and weekly, pages and the around view. */
class LeaderboardsApiTest {
  @RegisterExtension
  final TestEngine engine = TestEngine.start();

  private JsonObject get(String uri) {
    return ok(engine.get(uri));
  }

  /** Learners p1..p7 with 7..1 lessons: 364, 312, 260, 208, 156, 104, 52 XP. */
  private void sevenRankedLearners() {
    for (int p = 1; p <= 7; p++) {
      for (int n = 0; n < 8 - p; n++) {
        engine.apply(lesson("p" + p + "-" + n, "p" + p));
      }
    }
  }

  @Test
  void ranksAreByScoreDescendingWithTiesByLearnerIdAscending() {
    engine.apply(lesson("t-1", "carol"));
    engine.apply(lesson("t-2", "bob"));
    engine.apply(quiz("t-3", "alice", 80));
    engine.apply(login("t-4", "dave"));
    assertJson(board("global", "all-time", 3, rank(1, "alice", 105), rank(2, "bob", 52), rank(3, "carol", 52)),
        get("/api/v1/leaderboards/global"));
    assertJson(board("global", "all-time", 3, rank(1, "alice", 105), rank(2, "bob", 52), rank(3, "carol", 52)),
        get("/api/v1/leaderboards/global?period=all-time&page=1&size=10"));
  }

  @Test
  void pagesFollowPageAndSizeWithTheTotal() {
    engine.apply(course("u-1", "u1", 70));
    engine.apply(quiz("u-2", "u2", 100));
    engine.apply(helped("u-3", "u3").put("objectId", "peer-1"));
    engine.apply(quiz("u-4", "u4", 70));
    engine.apply(lesson("u-5", "u5"));
    assertJson(board("global", "all-time", 5, rank(1, "u1", 525), rank(2, "u2", 210)),
        get("/api/v1/leaderboards/global?page=1&size=2"));
    assertJson(board("global", "all-time", 5, rank(3, "u3", 157), rank(4, "u4", 105)),
        get("/api/v1/leaderboards/global?page=2&size=2"));
    assertJson(board("global", "all-time", 5, rank(5, "u5", 52)), get("/api/v1/leaderboards/global?page=3&size=2"));
    assertJson(board("global", "all-time", 5), get("/api/v1/leaderboards/global?page=4&size=2"));
    assertJson(board("global", "all-time", 5, rank(4, "u4", 105)), get("/api/v1/leaderboards/global?page=4&size=1"));
    assertJson(board("global", "all-time", 5, rank(1, "u1", 525), rank(2, "u2", 210), rank(3, "u3", 157),
        rank(4, "u4", 105), rank(5, "u5", 52)), get("/api/v1/leaderboards/global?size=100"));
  }

  @Test
  void weeklyBoardsFollowTheUtcIsoWeekOfOccurredAt() {
    engine.apply(lesson("w-1", "now"));
    engine.apply(lesson("w-2", "past").put("occurredAt", "2026-11-20T10:00:00Z"));
    engine.apply(lesson("w-3", "both").put("occurredAt", "2026-11-20T10:00:00Z"));
    // the 23rd (Monday of W48): two missed days use both freezes, streak 2: 55 + 27
    engine.apply(lesson("w-4", "both").put("occurredAt", "2026-11-23T10:00:00Z"));
    // 01:00 on Monday the 23rd in Tokyo is still Sunday the 22nd (W47) in UTC
    engine.apply(lesson("w-5", "tokyo").put("occurredAt", "2026-11-23T01:00:00+09:00").put("timezone", "Asia/Tokyo"));

    assertJson(board("global", "2026-W48", 2, rank(1, "both", 82), rank(2, "now", 52)),
        get("/api/v1/leaderboards/global?period=weekly"));
    assertJson(board("global", "2026-W47", 3, rank(1, "both", 52), rank(2, "past", 52), rank(3, "tokyo", 52)),
        get("/api/v1/leaderboards/global?period=weekly&week=2026-W47"));
    assertJson(board("global", "2026-W48", 2, rank(1, "both", 82), rank(2, "now", 52)),
        get("/api/v1/leaderboards/global?period=weekly&week=2026-W48"));
    assertJson(board("global", "all-time", 4, rank(1, "both", 134), rank(2, "now", 52), rank(3, "past", 52),
        rank(4, "tokyo", 52)), get("/api/v1/leaderboards/global?period=all-time"));

    // a new week begins: the current weekly board is empty
    engine.clock.set(Instant.parse("2026-11-30T00:00:00Z"));
    assertJson(board("global", "2026-W49", 0), get("/api/v1/leaderboards/global?period=weekly"));
    assertJson(board("global", "2026-W48", 2, rank(1, "both", 82), rank(2, "now", 52)),
        get("/api/v1/leaderboards/global?period=weekly&week=2026-W48"));
  }

  @Test
  void courseBoardsHoldTheXpOfTheirCourseIncludingTheStreakBonus() {
    engine.apply(lesson("c-1", "a").put("courseId", "algebra").put("occurredAt", "2026-11-26T10:00:00Z"));
    engine.apply(lesson("c-2", "a").put("courseId", "algebra").put("occurredAt", "2026-11-27T10:00:00Z"));
    engine.apply(lesson("c-3", "b").put("courseId", "geometry").put("occurredAt", "2026-11-27T09:00:00Z"));
    engine.apply(quiz("c-4", "b", 80).put("courseId", "algebra").put("occurredAt", "2026-11-27T10:00:00Z"));
    engine.apply(lesson("c-5", "c"));

    assertJson(board("course:algebra", "all-time", 2, rank(1, "a", 134), rank(2, "b", 105)),
        get("/api/v1/leaderboards/courses/algebra"));
    assertJson(board("course:geometry", "all-time", 1, rank(1, "b", 52)),
        get("/api/v1/leaderboards/courses/geometry?period=all-time&page=1&size=10"));
    assertJson(board("course:algebra", "2026-W48", 2, rank(1, "a", 134), rank(2, "b", 105)),
        get("/api/v1/leaderboards/courses/algebra?period=weekly"));
    assertJson(board("global", "all-time", 3, rank(1, "b", 157), rank(2, "a", 134), rank(3, "c", 52)),
        get("/api/v1/leaderboards/global"));
    assertJson(board("course:history", "all-time", 0), get("/api/v1/leaderboards/courses/history"));
  }

  @Test
  void aroundShowsTheWindowClippedAtTheTopAndBottom() {
    sevenRankedLearners();
    assertJson(board("global", "all-time", 7, rank(1, "p1", 364, false), rank(2, "p2", 312, true),
        rank(3, "p3", 260, false), rank(4, "p4", 208, false)),
        get("/api/v1/leaderboards/global/around/p2?window=2"));
    assertJson(board("global", "all-time", 7, rank(4, "p4", 208, false), rank(5, "p5", 156, true),
        rank(6, "p6", 104, false)), get("/api/v1/leaderboards/global/around/p5?window=1"));
    assertJson(board("global", "all-time", 7, rank(5, "p5", 156, false), rank(6, "p6", 104, false),
        rank(7, "p7", 52, true)), get("/api/v1/leaderboards/global/around/p7?window=2"));
    assertJson(board("global", "all-time", 7, rank(1, "p1", 364, true)),
        get("/api/v1/leaderboards/global/around/p1?window=0"));
    // the default window (25) holds everyone
    assertJson(board("global", "all-time", 7, rank(1, "p1", 364, false), rank(2, "p2", 312, false),
        rank(3, "p3", 260, false), rank(4, "p4", 208, true), rank(5, "p5", 156, false), rank(6, "p6", 104, false),
        rank(7, "p7", 52, false)), get("/api/v1/leaderboards/global/around/p4"));
  }

  @Test
  void aroundWorksOnCourseAndWeeklyBoards() {
    engine.apply(lesson("ca-1", "x").put("courseId", "algebra"));
    engine.apply(quiz("ca-2", "y", 70).put("courseId", "algebra"));
    engine.apply(course("ca-3", "z", 70).put("courseId", "algebra"));
    assertJson(board("course:algebra", "all-time", 3, rank(1, "z", 525, false), rank(2, "y", 105, true),
        rank(3, "x", 52, false)), get("/api/v1/leaderboards/courses/algebra/around/y?window=1"));
    assertJson(board("course:algebra", "2026-W48", 3, rank(2, "y", 105, false), rank(3, "x", 52, true)),
        get("/api/v1/leaderboards/courses/algebra/around/x?period=weekly&window=1"));
    assertJson(board("global", "2026-W48", 3, rank(1, "z", 525, true), rank(2, "y", 105, false)),
        get("/api/v1/leaderboards/global/around/z?period=weekly&window=1"));
  }

  @Test
  void aroundIs404ForALearnerWithoutAScoreThere() {
    engine.apply(login("n-1", "idle"));
    engine.apply(lesson("n-2", "busy"));
    assertError(engine.get("/api/v1/leaderboards/global/around/idle"), 404, "not_found", "learnerId");
    assertError(engine.get("/api/v1/leaderboards/global/around/nobody"), 404, "not_found", "learnerId");
    assertError(engine.get("/api/v1/leaderboards/courses/algebra/around/busy"), 404, "not_found", "learnerId");
    assertError(engine.get("/api/v1/leaderboards/global/around/busy?period=weekly&week=2026-W47"), 404,
        "not_found", "learnerId");
  }

  @ParameterizedTest
  @CsvSource({
      "/api/v1/leaderboards/global?size=0, size",
      "/api/v1/leaderboards/global?size=101, size",
      "/api/v1/leaderboards/global?size=ten, size",
      "/api/v1/leaderboards/global?page=0, page",
      "/api/v1/leaderboards/global?period=monthly, period",
      "/api/v1/leaderboards/global?period=weekly&week=2026-W99, week",
      "/api/v1/leaderboards/courses/algebra?size=101, size",
      "/api/v1/leaderboards/courses/algebra?period=monthly, period",
      "/api/v1/leaderboards/global/around/p1?period=monthly, period",
      "/api/v1/leaderboards/global/around/p1?window=-1, window",
  })
  void badParametersAre400(String uri, String field) {
    engine.apply(lesson("b-1", "p1").put("courseId", "algebra"));
    assertError(engine.get(uri), 400, "invalid_value", field);
  }

  @Test
  void sizeBoundsOneAndHundredAreAccepted() {
    engine.apply(lesson("s-1", "solo"));
    assertJson(board("global", "all-time", 1, rank(1, "solo", 52)), get("/api/v1/leaderboards/global?size=1"));
    assertJson(board("global", "all-time", 1, rank(1, "solo", 52)), get("/api/v1/leaderboards/global?size=100"));
    assertEquals(0, get("/api/v1/leaderboards/global?page=2&size=1").getJsonArray("entries").size());
  }

  @Test
  void theDefaultPageSizeIs10AndLearnersWithoutXpHaveNoEntry() {
    for (int i = 1; i <= 12; i++) {
      for (int n = 0; n < i; n++) {
        engine.apply(lesson("d" + i + "-" + n, String.format("l%02d", i)));
      }
    }
    engine.apply(quiz("f-1", "failer", 30));
    engine.apply(login("f-2", "visitor"));
    JsonObject page = get("/api/v1/leaderboards/global");
    assertEquals(12, page.getLong("total"));
    assertEquals(10, page.getJsonArray("entries").size());
    assertJson(rank(1, "l12", 624), page.getJsonArray("entries").getJsonObject(0));
    assertJson(rank(10, "l03", 156), page.getJsonArray("entries").getJsonObject(9));
    assertJson(board("global", "all-time", 12, rank(11, "l02", 104), rank(12, "l01", 52)),
        get("/api/v1/leaderboards/global?page=2"));
    assertError(engine.get("/api/v1/leaderboards/global/around/failer"), 404, "not_found", "learnerId");
  }

  @Test
  void aCourseBoardForAPastWeek() {
    engine.apply(lesson("cw-1", "a").put("courseId", "algebra").put("occurredAt", "2026-11-20T10:00:00Z"));
    engine.apply(quiz("cw-2", "b", 100).put("courseId", "algebra").put("occurredAt", "2026-11-21T10:00:00Z"));
    engine.apply(lesson("cw-3", "a").put("courseId", "algebra"));
    assertJson(board("course:algebra", "2026-W47", 2, rank(1, "b", 210), rank(2, "a", 52)),
        get("/api/v1/leaderboards/courses/algebra?period=weekly&week=2026-W47"));
    assertJson(board("course:algebra", "2026-W48", 1, rank(1, "a", 52)),
        get("/api/v1/leaderboards/courses/algebra?period=weekly"));
    assertJson(board("course:algebra", "all-time", 2, rank(1, "b", 210), rank(2, "a", 104)),
        get("/api/v1/leaderboards/courses/algebra"));
  }
}
