package io.learnquest.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.learner.EventApplication.EarnedObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EarnedMarksTest {
  private static EarnedObject lesson(int n) {
    return new EarnedObject("lesson_completed", "lesson-" + n);
  }

  @Test
  void anObjectWithoutAMarkWasNotEarned() {
    EarnedMarks marks = EarnedMarks.of(List.of(lesson(1), lesson(2)));
    assertTrue(marks.mayHave(lesson(1)));
    assertTrue(marks.mayHave(lesson(2)));
    assertFalse(marks.mayHave(lesson(3)));
    assertFalse(marks.mayHave(new EarnedObject("quiz_completed", "lesson-1")), "the type is part of the object");
    assertFalse(EarnedMarks.NONE.mayHave(lesson(1)));
    assertSame(EarnedMarks.NONE, EarnedMarks.of(List.of()), "a new learner's marks");
  }

  @Test
  void addingKeepsWhatWasThereAndChangesNothingInPlace() {
    EarnedMarks before = EarnedMarks.of(List.of(lesson(5), lesson(1)));
    EarnedMarks after = before.with(lesson(3));
    assertFalse(before.mayHave(lesson(3)), "immutable");
    for (int n : new int[] {1, 3, 5}) {
      assertTrue(after.mayHave(lesson(n)));
    }
    assertSame(after, after.with(lesson(3)), "an object marked already");
    assertEquals(3, after.size());
  }

  @Test
  void moreThanTheBoundIsNotKept() {
    List<EarnedObject> atBound = IntStream.range(0, EarnedMarks.MAX).mapToObj(EarnedMarksTest::lesson).toList();
    EarnedMarks full = EarnedMarks.of(atBound);
    assertNotNull(full);
    assertNull(full.with(lesson(EarnedMarks.MAX)), "one more: the store answers from then on");
    List<EarnedObject> over = new ArrayList<>(atBound);
    over.add(lesson(EarnedMarks.MAX));
    assertNull(EarnedMarks.of(over));
  }

  @Test
  void marksDoNotRunTogetherAcrossTheTypeAndTheObject() {
    assertNotEquals(EarnedMarks.mark(new EarnedObject("ab", "c")), EarnedMarks.mark(new EarnedObject("a", "bc")));
    Set<Long> seen = new HashSet<>();
    IntStream.range(0, 100_000).forEach(n -> seen.add(EarnedMarks.mark(lesson(n))));
    assertEquals(100_000, seen.size(), "no two of these share a mark");
  }
}
