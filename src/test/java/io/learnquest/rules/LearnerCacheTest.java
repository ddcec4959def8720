package io.learnquest.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.learnquest.domain.learner.EventApplication.EarnedObject;
import io.learnquest.domain.learner.Learner;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnerCacheTest {
  private static final String T = "tenant-a";
  private static final EarnedMarks MARKS = EarnedMarks.of(List.of(new EarnedObject("lesson_completed", "l1")));

  private static Learner ana(long version) {
    return new Learner.Builder("ana").version(version).build();
  }

  @Test
  void aLearnerIsCachedWithTheirMarksOrWithout() {
    LearnerCache cache = new LearnerCache(10);
    cache.put(T, ana(1), MARKS);
    assertSame(MARKS, cache.get(T, "ana").earned());
    cache.put(T, ana(2));
    assertNull(cache.get(T, "ana").earned(), "a change that may have moved what they earned (a void)");
    assertNull(cache.get("tenant-b", "ana"), "another tenant's learner");
  }

  @Test
  void aChangeThatEarnsNothingKeepsTheMarksOfTheLearnerItChanged() {
    LearnerCache cache = new LearnerCache(10);
    cache.put(T, ana(3), MARKS);
    cache.putEarningNothing(T, 3, ana(4));
    assertEquals(4, cache.get(T, "ana").learner().version());
    assertSame(MARKS, cache.get(T, "ana").earned());

    cache.putEarningNothing(T, 7, ana(8));
    assertNull(cache.get(T, "ana").earned(), "changed from a version the cache did not hold: not known");
    cache.evict(T, "ana");
    cache.putEarningNothing(T, 8, ana(9));
    assertNull(cache.get(T, "ana").earned(), "not cached before: not known");
  }

  @Test
  void theLeastRecentlyUsedGoFirst() {
    LearnerCache cache = new LearnerCache(2);
    cache.put(T, ana(1), MARKS);
    cache.put(T, new Learner.Builder("ben").build(), MARKS);
    cache.get(T, "ana");
    cache.put(T, new Learner.Builder("cy").build(), MARKS);
    assertNull(cache.get(T, "ben"));
    assertEquals(1, cache.get(T, "ana").learner().version());
  }
}
