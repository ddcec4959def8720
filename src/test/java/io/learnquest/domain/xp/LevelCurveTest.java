package io.learnquest.domain.xp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** docs/rules.md, "XP and levels", levels: 1 below 100, else min(k + 1, 100) for the largest k with 100 * 2^k <= xp. */
class LevelCurveTest {
  private static final LevelCurve DEFAULTS = LevelCurve.defaults();

  @Test
  void defaultsAreTheContractCurve() {
    assertEquals(new LevelCurve(100, 2, 100), DEFAULTS);
  }

  @ParameterizedTest(name = "{0} XP -> level {1}")
  @CsvSource({
      "0,      1",
      "1,      1",
      "99,     1",
      "100,    1",
      "199,    1",
      "200,    2",
      "399,    2",
      "400,    3",
      "799,    3",
      "800,    4",
      "1599,   4",
      "1600,   5",
      "102399, 10",
      "102400, 11",
      "-5,     1",
      // 100 * 2^56 <= Long.MAX_VALUE < 100 * 2^57
      "7205759403792793599, 56",
      "7205759403792793600, 57",
      "9223372036854775807, 57",
  })
  void levelFor(long xp, int level) {
    assertEquals(level, DEFAULTS.levelFor(xp));
  }

  @ParameterizedTest(name = "level {0} -> next level at {1}")
  @CsvSource({
      "1,  200",
      "2,  400",
      "3,  800",
      "4,  1600",
      "10, 102400",
      "56, 7205759403792793600",
  })
  void nextLevelXpIsBaseTimesTwoToTheLevel(int level, long next) {
    assertEquals(next, DEFAULTS.nextLevelXp(level));
  }

  @ParameterizedTest(name = "level {0} -> no next level")
  @CsvSource({
      "57",   // 100 * 2^57 is past 64-bit XP: never reachable
      "99",
      "100",  // the maximum level
      "150",
  })
  void nextLevelXpIsNullWhenUnreachableOrAtTheTop(int level) {
    assertNull(DEFAULTS.nextLevelXp(level));
  }

  @Test
  void everyThresholdStartsTheNextLevel() {
    for (int level = 1; level <= 56; level++) {
      long next = DEFAULTS.nextLevelXp(level);
      assertEquals(level + 1, DEFAULTS.levelFor(next), "at " + next);
      assertEquals(level, DEFAULTS.levelFor(next - 1), "at " + (next - 1));
    }
  }

  @ParameterizedTest(name = "max level 5: {0} XP -> level {1}")
  @CsvSource({
      "799,     3",
      "800,     4",
      "1599,    4",
      "1600,    5",
      "3200,    5",
      "1000000, 5",
      "9223372036854775807, 5",
  })
  void maxLevelCapsTheLevel(long xp, int level) {
    assertEquals(level, new LevelCurve(100, 2, 5).levelFor(xp));
  }

  @Test
  void nextLevelXpAtTheConfiguredMaxIsNull() {
    LevelCurve curve = new LevelCurve(100, 2, 5);
    assertEquals(1600L, curve.nextLevelXp(4));
    assertNull(curve.nextLevelXp(5));
    LevelCurve single = new LevelCurve(100, 2, 1);
    assertEquals(1, single.levelFor(Long.MAX_VALUE));
    assertNull(single.nextLevelXp(1));
  }

  @ParameterizedTest(name = "base 1000, factor 3: {0} XP -> level {1}")
  @CsvSource({"999, 1", "1000, 1", "2999, 1", "3000, 2", "8999, 2", "9000, 3", "27000, 4"})
  void baseAndFactorAreConfigurable(long xp, int level) {
    LevelCurve curve = new LevelCurve(1000, 3, 100);
    assertEquals(level, curve.levelFor(xp));
    assertEquals(3000L, curve.nextLevelXp(1));
    assertEquals(9000L, curve.nextLevelXp(2));
  }

  @Test
  void thresholdExactlyAtLongMaxValueIsReachable() {
    // Long.MAX_VALUE = 7 * (Long.MAX_VALUE / 7): the level-2 threshold is exactly the largest long.
    LevelCurve curve = new LevelCurve(Long.MAX_VALUE / 7, 7, 100);
    assertEquals(1, curve.levelFor(Long.MAX_VALUE - 1));
    assertEquals(2, curve.levelFor(Long.MAX_VALUE));
    assertEquals(Long.MAX_VALUE, curve.nextLevelXp(1));
    assertNull(curve.nextLevelXp(2));
  }

  @ParameterizedTest(name = "base {0}, factor {1}, max {2} refused")
  @CsvSource({"0, 2, 100", "-1, 2, 100", "100, 1, 100", "100, 0, 100", "100, 2, 0"})
  void invalidCurvesAreRefused(long base, long factor, int max) {
    assertThrows(IllegalArgumentException.class, () -> new LevelCurve(base, factor, max));
  }
}
