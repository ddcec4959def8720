package io.learnquest.domain.xp;

/**
 * Levels of docs/rules.md, "XP and levels": level 1 below {@code base}; otherwise {@code min(k + 1, max)} for
 * the largest k with {@code base * factor^k <= xp}. Overflow-safe: thresholds past Long.MAX_VALUE
 * are simply never reached.
 */
public record LevelCurve(long baseXp, long factor, int maxLevel) {
  public static LevelCurve defaults() {
    return new LevelCurve(100, 2, 100);
  }

  public LevelCurve {
    if (baseXp < 1 || factor < 2 || maxLevel < 1) {
      throw new IllegalArgumentException("level curve needs baseXp >= 1, factor >= 2, maxLevel >= 1");
    }
  }

  public int levelFor(long xp) {
    if (xp < baseXp) {
      return 1;
    }
    int k = 0;
    long threshold = baseXp;
    while (true) {
      long next = multiplyOrOverflow(threshold, factor);
      if (next == OVERFLOW || next > xp) {
        break;
      }
      threshold = next;
      k++;
    }
    return Math.min(k + 1, maxLevel);
  }

  /** XP at which the level after {@code level} starts, or null at the top (or past 64-bit XP). */
  public Long nextLevelXp(int level) {
    if (level >= maxLevel) {
      return null;
    }
    long threshold = baseXp;
    for (int i = 0; i < level; i++) {
      threshold = multiplyOrOverflow(threshold, factor);
      if (threshold == OVERFLOW) {
        return null;
      }
    }
    return threshold;
  }

  /** Marks a product past Long.MAX_VALUE; a threshold equal to Long.MAX_VALUE itself is reachable. */
  private static final long OVERFLOW = -1;

  private static long multiplyOrOverflow(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return (hi != 0 || lo < 0) ? OVERFLOW : lo;
  }
}
