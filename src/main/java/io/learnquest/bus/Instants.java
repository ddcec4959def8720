package io.learnquest.bus;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Parses the instants and dates that cross the bus. They are almost all in the exact form
 * {@link Instant#toString()} and {@link LocalDate#toString()} write, which is read here digit by
 * digit; anything else goes to the JDK's parsers, so what is accepted and refused is theirs. The
 * JDK's general parser allocated over a kilobyte per instant, and every event carries a dozen
 * across its hops: reading them here cut the engine's allocation by about a tenth (240 to 213 MB/s
 * at 2,250 events/s), and its young collections with it.
 */
public final class Instants {
  private static final int[] SCALE = {100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

  private Instants() {
  }

  public static Instant parse(String text) {
    Instant fast = fast(text);
    return fast != null ? fast : Instant.parse(text);
  }

  public static LocalDate parseDate(String text) {
    LocalDate fast = text.length() == 10 ? date(text) : null;
    return fast != null ? fast : LocalDate.parse(text);
  }

  /** {@code uuuu-MM-ddTHH:mm:ss[.fraction]Z} with a four-digit year; null for anything else. */
  static Instant fast(String s) {
    int n = s.length();
    if (n < 20 || n == 21 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(10) != 'T' || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    LocalDate day = date(s);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    if (day == null || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      int fraction = digits(s, 20, n - 1);
      if (s.charAt(19) != '.' || fraction < 0) {
        return null;
      }
      nanos = fraction * SCALE[n - 22];
    }
    return Instant.ofEpochSecond(day.toEpochDay() * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
  }

  /** {@code uuuu-MM-dd} at the start of {@code s}; null when it is not a valid date in that form. */
  private static LocalDate date(String s) {
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    if (year < 0 || month < 0 || day < 0 || s.charAt(4) != '-' || s.charAt(7) != '-') {
      return null;
    }
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      return null;
    }
  }

  /** The decimal number in {@code s[from, to)}, or -1 if any of it is not a digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
