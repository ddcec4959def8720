package io.learnquest.domain.xp;

import java.util.List;

/**
 * The XP part of applying one event.
 *
 * @param repeat         the event repeats an object already rewarded (0 XP, counters unmoved)
 * @param earnedActivity the event earned activity XP for its objectId, so later ones are repeats
 */
public record XpDecision(List<XpGrant> grants, boolean repeat, boolean earnedActivity, long totalXp, int level,
                         boolean levelUp) {
  public long xpGranted() {
    return XpGrant.sum(grants);
  }
}
