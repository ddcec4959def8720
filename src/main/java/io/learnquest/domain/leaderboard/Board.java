package io.learnquest.domain.leaderboard;

import java.time.Instant;
import java.time.LocalDate;
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
  private static final String GLOBAL_ALL_TIME_KEY = GLOBAL + "/" + ALL_TIME;
  private static final long SECONDS_PER_DAY = 86_400;
  /** Days whose week-based year is surely of four digits, so is worked out by {@link #week}'s arithmetic. */
  private static final long FAST_FROM_EPOCH_DAY = LocalDate.of(1001, 1, 1).toEpochDay();
  private static final long FAST_TO_EPOCH_DAY = LocalDate.of(9998, 12, 31).toEpochDay();
  /** Recently asked weeks, by week index modulo the length (a power of two). */
  private static final Week[] WEEKS = new Week[16];

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
    return week(at).name;
  }

  /**
   * The week of {@code at}, from a small cache: every event asks for the week of a time close to
   * the last one asked for, and working it out (and writing it) is most of what its boards cost.
   * Entries are immutable and a slot is overwritten without a lock: a thread that reads a stale or
   * missing entry only works the week out again.
   */
  private static Week week(Instant at) {
    long epochDay = Math.floorDiv(at.getEpochSecond(), SECONDS_PER_DAY);
    if (epochDay < FAST_FROM_EPOCH_DAY || epochDay > FAST_TO_EPOCH_DAY) {
      return new Week(Long.MIN_VALUE, formattedWeekOf(at));
    }
    // 1970-01-01 was a Thursday: weeks since the Monday before it, and that week's Thursday
    long index = Math.floorDiv(epochDay + 3, 7);
    int slot = (int) (index & (WEEKS.length - 1));
    Week cached = WEEKS[slot];
    if (cached != null && cached.index == index) {
      return cached;
    }
    // The ISO week-based year is the year of the week's Thursday, the week its ordinal in it.
    LocalDate thursday = LocalDate.ofEpochDay(7 * index);
    int year = thursday.getYear();
    int week = (thursday.getDayOfYear() - 1) / 7 + 1;
    String name = new StringBuilder(8).append(year).append("-W").append(week < 10 ? "0" : "").append(week)
        .toString();
    Week computed = new Week(index, name);
    WEEKS[slot] = computed;
    return computed;
  }

  /**
   * The ISO week by the calendar fields, for the days {@link #week}'s arithmetic leaves out (years
   * not of four digits among them).
   */
  private static String formattedWeekOf(Instant at) {
    ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
    return String.format("%04d-W%02d", utc.get(IsoFields.WEEK_BASED_YEAR), utc.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** A week: its index (weeks since 1969-12-29) and its id, with its global weekly board's key. */
  private static final class Week {
    final long index;
    final String name;
    final String globalKey;

    Week(long index, String name) {
      this.index = index;
      this.name = name;
      this.globalKey = GLOBAL + "/" + name;
    }
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

  /**
   * The {@link #key keys} of every board an event's XP goes to, without making the boards: global
   * and its course, all-time and its week, in that order.
   */
  public static List<String> keysFor(String courseId, Instant occurredAt) {
    Week week = week(occurredAt);
    if (courseId == null) {
      return List.of(GLOBAL_ALL_TIME_KEY, week.globalKey);
    }
    String course = "course:" + courseId + "/";
    return List.of(GLOBAL_ALL_TIME_KEY, week.globalKey, course + ALL_TIME, course + week.name);
  }
}
