package io.learnquest.domain.leaderboard;

import java.util.Comparator;

/** A learner's score in one board. Order: score descending, then learnerId ascending (docs/api.md, "Leaderboards"). */
public record Standing(String learnerId, long xp) {
  public static final Comparator<Standing> RANK_ORDER =
      Comparator.comparingLong(Standing::xp).reversed().thenComparing(Standing::learnerId);
}
