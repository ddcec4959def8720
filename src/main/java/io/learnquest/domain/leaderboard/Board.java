package io.learnquest.domain.leaderboard;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A leaderboard: a scope ({@code global} or {@code course:<id>}) and a period ({@code all-time} or
 * an ISO week in UTC such as {@code 2026-W48}), docs/rules.md, "Leaderboards".
 */
public record Board(String scope, String period) {
  public static final String GLOBAL = "global";
  public static final String ALL_TIME = "all-time";
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

  public static Board global(String period) {
    return new Board(GLOBAL, period);
  }

  public static Board course(String courseId, String period) {
    return new Board("course:" + courseId, period);
  }

  /** The key a store files the board under; '/' never appears in a scope or period. */
  public String key() {
    return scope + "/" + period;
  }

  public static Board fromKey(String key) {
    int slash = key.lastIndexOf('/');
    return new Board(key.substring(0, slash), key.substring(slash + 1));
  }

  public boolean weekly() {
    return !ALL_TIME.equals(period);
  }

  /** The ISO week (UTC) of an instant, written {@code 2026-W48}. */
  public static String weekOf(Instant at) {
    ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
    int year = utc.get(IsoFields.WEEK_BASED_YEAR);
    int week = utc.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    if (year < 1000 || year > 9999) {
      return String.format("%04d-W%02d", year, week);
    }
    // what the format above writes, without parsing a format string for every event's boards
    return new StringBuilder(8).append(year).append("-W").append(week < 10 ? "0" : "").append(week).toString();
  }

  /** True for a well-formed ISO week id with a week number the year really has. */
  public static boolean isWeek(String text) {
    Matcher m = WEEK.matcher(text);
    if (!m.matches()) {
      return false;
    }
    int year = Integer.parseInt(m.group(1));
    int week = Integer.parseInt(m.group(2));
    long weeksInYear = java.time.LocalDate.of(year, 6, 1).range(IsoFields.WEEK_OF_WEEK_BASED_YEAR).getMaximum();
    return week >= 1 && week <= weeksInYear;
  }

  /**
   * When a weekly board may be dropped from the projection: {@code retentionWeeks} after its week
   * ends. All-time boards never expire (null).
   */
  public Instant expiresAt(int retentionWeeks) {
    if (!weekly()) {
      return null;
    }
    Matcher m = WEEK.matcher(period);
    if (!m.matches()) {
      throw new IllegalStateException("not a week: " + period);
    }
    java.time.LocalDate monday = java.time.LocalDate.of(Integer.parseInt(m.group(1)), 1, 4)
        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(m.group(2)))
        .with(java.time.DayOfWeek.MONDAY);
    return monday.plusWeeks(1L + retentionWeeks).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Every board an event's XP goes to: global and its course, all-time and its week. */
  public static List<Board> boardsFor(String courseId, Instant occurredAt) {
    String week = weekOf(occurredAt);
    if (courseId == null) {
      return List.of(global(ALL_TIME), global(week));
    }
    return List.of(global(ALL_TIME), global(week), course(courseId, ALL_TIME), course(courseId, week));
  }
}
