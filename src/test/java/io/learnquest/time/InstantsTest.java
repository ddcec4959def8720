package io.learnquest.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast reading gives what the JDK's parsers give, and leaves them everything it does not know. */
class InstantsTest {

  @Test
  void everyInstantWrittenByToStringReadsBackTheSameAndTakesTheFastPath() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      long seconds = random.nextLong(-62_000_000_000L, 253_402_300_799L); // years 0005 to 9999
      int nanos = nanos(i, random);
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      String text = instant.toString();
      assertNotNull(Instants.fast(text), text);
      assertEquals(Instant.parse(text), Instants.parse(text), text);
    }
  }

  /** Fractions of each length Instant.toString writes: none, milliseconds, microseconds, nanoseconds. */
  private static int nanos(int i, Random random) {
    return switch (i % 4) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1_000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  @Test
  void textIsWhatToStringWritesForEveryYearAndFraction() {
    Random random = new Random(7);
    for (int i = 0; i < 200_000; i++) {
      long seconds = switch (i % 5) {
        case 0 -> random.nextLong(-62_167_219_200L - 1_000_000, -62_167_219_200L + 1_000_000); // around year 0
        case 1 -> random.nextLong(253_402_300_799L - 1_000_000, 253_402_300_799L + 1_000_000); // around 9999
        case 2 -> random.nextLong(-100_000_000_000L, 300_000_000_000L);
        default -> random.nextLong(-62_167_219_200L, 253_402_300_799L);
      };
      int nanos = nanos(i, random);
      Instant instant = Instant.ofEpochSecond(seconds, nanos);
      assertEquals(instant.toString(), Instants.text(instant));
    }
    for (Instant edge : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-1, 999_999_999),
        Instant.ofEpochSecond(-62_167_219_200L), Instant.ofEpochSecond(253_402_300_799L, 999_999_999),
        Instant.ofEpochSecond(253_402_300_800L), Instant.MIN, Instant.MAX}) {
      assertEquals(edge.toString(), Instants.text(edge));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-27T10:15:30.1Z", "2026-11-27T10:15:30.12Z", "2026-11-27T10:15:30.1234Z",
      "2026-11-27T10:15:30.12345678Z", "2024-02-29T23:59:59.999999999Z", "0000-01-01T00:00:00Z"})
  void fractionsOfAnyLengthReadAsTheJdkReadsThem(String text) {
    assertEquals(Instant.parse(text), Instants.parse(text));
  }

  /** Forms Instant#toString never writes, some of which the JDK still accepts (midnight as 24:00). */
  @ParameterizedTest
  @ValueSource(strings = {"2026-11-27T10:15:30+01:00", "2026-11-27T10:15:30z", "+12026-11-27T10:15:30Z",
      "2026-11-27T23:59:60Z", "2026-11-27T10:15Z", "2026-11-27 10:15:30Z", "2026-11-27T24:00:00Z",
      "2026-11-27T10:15:30.Z"})
  void otherFormsAreLeftToTheJdk(String text) {
    assertNull(Instants.fast(text));
    Instant jdk;
    try {
      jdk = Instant.parse(text);
    } catch (DateTimeException refused) {
      assertThrows(DateTimeException.class, () -> Instants.parse(text));
      return;
    }
    assertEquals(jdk, Instants.parse(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"2026-02-30T10:15:30Z", "2026-13-01T10:15:30Z",
      "2026-11-27T10:61:30Z", "2026-11-27T10:15:30.1234567890Z", "2026-1a-27T10:15:30Z",
      "not a time at all, really"})
  void whatTheJdkRefusesIsRefused(String text) {
    assertThrows(DateTimeException.class, () -> Instant.parse(text));
    assertThrows(DateTimeException.class, () -> Instants.parse(text));
  }

  @Test
  void datesReadAsTheJdkReadsThem() {
    for (LocalDate d = LocalDate.of(2023, 1, 1); d.isBefore(LocalDate.of(2029, 1, 1)); d = d.plusDays(1)) {
      assertEquals(d, Instants.parseDate(d.toString()));
    }
    assertThrows(DateTimeException.class, () -> Instants.parseDate("2026-02-30"));
    assertThrows(DateTimeException.class, () -> Instants.parseDate("2026-2-3"));
  }

  /** What an event's occurredAt may be: every offset form, read as OffsetDateTime reads it, or refused as it is. */
  @ParameterizedTest
  @ValueSource(strings = {"2026-11-27T10:15:30Z", "2026-11-27T10:15:30.123Z", "2026-11-27T10:15:30.123456789Z",
      "2026-11-27T10:15:30+09:00", "2026-11-27T10:15:30-08:00", "2026-11-27T10:15Z", "2026-11-27t10:15:30z",
      "2026-11-27T23:59:60Z", "2026-11-27T24:00:00Z", "2026-02-30T10:15:30Z", "2026-11-27T10:15:30",
      "2026-11-27T10:15:30.Z", "2026-11-27T10:15:30.1234567890Z", "+12026-11-27T10:15:30Z", "not a time"})
  void offsetDateTimesReadAsOffsetDateTimeReadsThem(String text) {
    Instant jdk;
    try {
      jdk = java.time.OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException refused) {
      assertThrows(java.time.format.DateTimeParseException.class, () -> Instants.parseWithOffset(text));
      return;
    }
    assertEquals(jdk, Instants.parseWithOffset(text), text);
  }
}
