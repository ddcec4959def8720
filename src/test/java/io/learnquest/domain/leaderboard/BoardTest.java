package io.learnquest.domain.leaderboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "Leaderboards": boards, ISO weeks in UTC, and rank order. */
class BoardTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2026-11-27T12:00:00Z,      2026-W48",
      "2026-11-23T00:00:00Z,      2026-W48",  // Monday 00:00 UTC starts the week
      "2026-11-22T23:59:59Z,      2026-W47",
      "2026-11-29T23:59:59Z,      2026-W48",  // Sunday ends it
      "2026-11-30T00:00:00Z,      2026-W49",
      // year boundaries: 2026 has 53 ISO weeks, and the first days of 2027 belong to its week 53
      "2026-12-31T12:00:00Z,      2026-W53",
      "2027-01-01T00:00:00Z,      2026-W53",
      "2027-01-03T23:59:59Z,      2026-W53",
      "2027-01-04T00:00:00Z,      2027-W01",
      // and the last days of 2025 belong to week 1 of 2026
      "2025-12-28T23:59:59Z,      2025-W52",
      "2025-12-29T00:00:00Z,      2026-W01",
      "2026-01-01T00:00:00Z,      2026-W01",
      "2020-12-31T00:00:00Z,      2020-W53",
      "2021-01-03T12:00:00Z,      2020-W53",
      "2021-01-04T12:00:00Z,      2021-W01",
      "2026-02-02T00:00:00Z,      2026-W06",  // zero-padded
      // the week is decided in UTC, whatever offset the event was written with
      "2026-11-30T05:00:00+09:00, 2026-W48",  // Monday in Tokyo, still Sunday 20:00 in UTC
      "2026-11-29T20:00:00-08:00, 2026-W49",  // Sunday in Los Angeles, already Monday 04:00 in UTC
      "2027-01-04T08:00:00+09:00, 2026-W53",  // Monday of 2027-W01 in Tokyo, Sunday in UTC
  })
  void weekOfIsTheUtcIsoWeek(String occurredAt, String week) {
    Instant at = OffsetDateTime.parse(occurredAt).toInstant();
    assertEquals(week, Board.weekOf(at));
    assertTrue(Board.isWeek(week));
  }

  @Test
  void theSameInstantIsADifferentWeekInUtcThanInTokyo() {
    Instant at = Instant.parse("2026-11-29T20:00:00Z");
    // Tokyo: Monday 2026-11-30 05:00, which is 2026-W49; the board still files it under UTC's week.
    assertEquals("2026-W49", String.format("%d-W%02d",
        at.atZone(java.time.ZoneId.of("Asia/Tokyo")).get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
        at.atZone(java.time.ZoneId.of("Asia/Tokyo")).get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
    assertEquals("2026-W48", Board.weekOf(at));
  }

  @ParameterizedTest(name = "isWeek({0}) = {1}")
  @CsvSource(delimiter = '|', textBlock = """
      2026-W53   | true
      2027-W53   | false
      2020-W53   | true
      2021-W53   | false
      2015-W53   | true
      2026-W52   | true
      2027-W52   | true
      2026-W01   | true
      2026-W48   | true
      2026-W00   | false
      2026-W54   | false
      2026-W99   | false
      2026-W1    | false
      2026-W048  | false
      2026W48    | false
      2026-w48   | false
      26-W48     | false
      2026-W48x  | false
      all-time   | false
      """)
  void isWeek(String text, boolean expected) {
    assertEquals(expected, Board.isWeek(text));
  }

  @ParameterizedTest(name = "isWeek(''{0}'') = false")
  @CsvSource(value = {"' 2026-W48'", "'2026-W48 '", "''"}, emptyValue = "")
  void isWeekRefusesSurroundingSpace(String text) {
    assertFalse(Board.isWeek(text));
  }

  @Test
  void boardsAndKeys() {
    assertEquals(new Board("global", "all-time"), Board.global(Board.ALL_TIME));
    assertEquals(new Board("course:algebra-1", "2026-W48"), Board.course("algebra-1", "2026-W48"));
    assertEquals("global/all-time", Board.global("all-time").key());
    assertEquals("course:algebra-1/2026-W48", Board.course("algebra-1", "2026-W48").key());
    assertFalse(Board.global("all-time").weekly());
    assertTrue(Board.global("2026-W48").weekly());
  }

  @ParameterizedTest(name = "fromKey(key of {0} / {1})")
  @CsvSource({"global, all-time", "global, 2026-W53", "course:algebra-1, all-time", "course:math:a@b.c, 2026-W01"})
  void fromKeyRoundTrips(String scope, String period) {
    Board board = new Board(scope, period);
    assertEquals(board, Board.fromKey(board.key()));
  }

  @Test
  void boardsForAnEventWithoutCourse() {
    assertEquals(List.of(new Board("global", "all-time").key(), new Board("global", "2026-W53").key()),
        Board.keysFor(null, Instant.parse("2027-01-02T10:00:00Z")));
  }

  @Test
  void boardsForAnEventWithCourse() {
    assertEquals(List.of(new Board("global", "all-time").key(), new Board("global", "2026-W48").key(),
            new Board("course:algebra-1", "all-time").key(), new Board("course:algebra-1", "2026-W48").key()),
        Board.keysFor("algebra-1", Instant.parse("2026-11-27T12:00:00Z")));
  }

  // ---- rank order ---------------------------------------------------------------------------

  @Test
  void rankOrderIsScoreDescendingThenLearnerIdAscending() {
    List<Standing> standings = new ArrayList<>(List.of(
        new Standing("dave", 50), new Standing("bob", 100), new Standing("erin", 200),
        new Standing("alice", 100), new Standing("carol", 200), new Standing("zed", 100)));
    standings.sort(Standing.RANK_ORDER);
    assertEquals(List.of(
        new Standing("carol", 200), new Standing("erin", 200),
        new Standing("alice", 100), new Standing("bob", 100), new Standing("zed", 100),
        new Standing("dave", 50)), standings);
  }

  @ParameterizedTest(name = "{0}/{1} vs {2}/{3} -> {4}")
  @CsvSource({
      "alice, 100, bob,   100, -1",  // tie: learnerId ascending
      "bob,   100, alice, 100, 1",
      "zed,   101, alice, 100, -1",  // higher score first whatever the id
      "alice, 99,  zed,   100, 1",
      "alice, 100, alice, 100, 0",
      "a,     9223372036854775807, b, 0, -1",
      "b,     0, a, 9223372036854775807, 1",
  })
  void rankOrderCompare(String id1, long xp1, String id2, long xp2, int sign) {
    assertEquals(sign, Integer.signum(Standing.RANK_ORDER.compare(new Standing(id1, xp1), new Standing(id2, xp2))));
  }

  /** The week id is written as {@code %04d-W%02d} would write it, for every week of several years. */
  @Test
  void weekIdsAreFourDigitYearsAndTwoDigitWeeks() {
    for (Instant at = Instant.parse("2019-12-20T00:00:00Z"); at.isBefore(Instant.parse("2028-01-10T00:00:00Z"));
         at = at.plus(java.time.Duration.ofHours(13))) {
      java.time.ZonedDateTime utc = at.atZone(java.time.ZoneOffset.UTC);
      assertEquals(String.format(java.util.Locale.ROOT, "%04d-W%02d", utc.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
          utc.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR)), Board.weekOf(at), at.toString());
    }
    assertTrue(Board.weekOf(Instant.parse("0999-06-05T00:00:00Z")).matches("0999-W[0-9]{2}"));
  }

  /**
   * weekOf works the week out by arithmetic and keeps recent ones: the same id as the calendar
   * fields give, at random instants of the years it does so for, around their ends, beyond them,
   * and for weeks asked alternately that share a slot of its cache.
   */
  @Test
  void weekOfIsTheCalendarsIsoWeekAnywhereAndWhateverWasAskedBefore() {
    java.util.Random random = new java.util.Random(7);
    List<Instant> instants = new ArrayList<>();
    long from = Instant.parse("0900-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("+10100-01-01T00:00:00Z").getEpochSecond();
    for (int i = 0; i < 200_000; i++) {
      instants.add(Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)), random.nextInt(1_000_000_000)));
    }
    for (String edge : List.of("1000-12-25T00:00:00Z", "1001-01-01T00:00:00Z", "0999-12-31T23:59:59Z",
        "9998-12-31T23:59:59.999999999Z", "9999-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "+10000-01-03T00:00:00Z",
        "1969-12-28T23:59:59Z", "1969-12-29T00:00:00Z", "1970-01-01T00:00:00Z", "-0001-06-01T00:00:00Z")) {
      Instant at = Instant.parse(edge);
      for (int day = -10; day <= 10; day++) {
        instants.add(at.plus(java.time.Duration.ofDays(day)));
      }
    }
    Instant base = Instant.parse("2026-11-27T12:00:00Z");
    for (int i = 0; i < 100; i++) {
      instants.add(base.plus(java.time.Duration.ofDays(7L * 16 * (i % 3))));
    }
    for (Instant at : instants) {
      java.time.ZonedDateTime utc = at.atZone(java.time.ZoneOffset.UTC);
      assertEquals(String.format("%04d-W%02d", utc.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
          utc.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR)), Board.weekOf(at), at.toString());
    }
  }

  /**
   * The rules instances of a node share weekOf's cache, each on its own thread, without a lock:
   * threads asking at once for weeks that share its slots (16 weeks apart) still each get their
   * own instant's week.
   */
  @Test
  void weekOfGivesEachThreadItsOwnWeekWhileTheyOverwriteTheSameSlots() throws Exception {
    Instant base = Instant.parse("2026-01-05T00:00:00Z");
    int threads = 4;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      List<java.util.concurrent.Future<Integer>> checked = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        checked.add(pool.submit(() -> {
          java.util.Random random = new java.util.Random(seed);
          start.await();
          int count = 0;
          for (int i = 0; i < 50_000; i++) {
            // one of three weeks 16 weeks apart, so every thread overwrites the slot the others read
            Instant at = base.plus(java.time.Duration.ofDays(7L * 16 * random.nextInt(3) + random.nextInt(7)));
            java.time.ZonedDateTime utc = at.atZone(java.time.ZoneOffset.UTC);
            String expected = String.format("%04d-W%02d", utc.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
                utc.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            assertEquals(expected, Board.weekOf(at), at.toString());
            assertEquals(Board.global(expected).key(), Board.keysFor(null, at).get(1), at.toString());
            count++;
          }
          return count;
        }));
      }
      for (java.util.concurrent.Future<Integer> done : checked) {
        assertEquals(50_000, done.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysForAreTheKeysOfAnEventsBoardsInTheirOrder() {
    for (String courseId : java.util.Arrays.asList(null, "algebra-1", "math:a@b.c")) {
      for (String at : List.of("2026-11-27T12:00:00Z", "2027-01-02T10:00:00Z", "2026-11-23T00:00:00Z")) {
        Instant instant = Instant.parse(at);
        String week = Board.weekOf(instant);
        List<Board> boards = courseId == null ? List.of(Board.global(Board.ALL_TIME), Board.global(week))
            : List.of(Board.global(Board.ALL_TIME), Board.global(week), Board.course(courseId, Board.ALL_TIME),
                Board.course(courseId, week));
        assertEquals(boards.stream().map(Board::key).toList(), Board.keysFor(courseId, instant));
      }
    }
  }
}
