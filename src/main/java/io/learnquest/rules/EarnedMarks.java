package io.learnquest.rules;

import io.learnquest.domain.learner.EventApplication.EarnedObject;
import java.util.Arrays;
import java.util.Collection;

/**
 * What a cached learner has earned activity XP for, all of it, as 64-bit marks (8 bytes an object,
 * sorted): an object without a mark was certainly not earned, so applying a first completion needs
 * no read of the store. A mark can be shared by two objects, so an object with a mark may still be
 * new: the store answers for those (a repeat, the rarer case). Immutable; a learner with more than
 * {@link #MAX} objects gets no marks, and the store answers for every object of theirs, as before.
 */
final class EarnedMarks {
  /** At most this many objects a learner: 2 KB of marks, however many learners are cached. */
  static final int MAX = 256;
  static final EarnedMarks NONE = new EarnedMarks(new long[0]);
  private final long[] marks;

  private EarnedMarks(long[] sortedMarks) {
    this.marks = sortedMarks;
  }

  /** The marks of all of {@code earned}; null when they are more than {@link #MAX}. */
  static EarnedMarks of(Collection<EarnedObject> earned) {
    if (earned.size() > MAX) {
      return null;
    }
    if (earned.isEmpty()) {
      return NONE; // every new learner's
    }
    long[] marks = new long[earned.size()];
    int i = 0;
    for (EarnedObject object : earned) {
      marks[i++] = mark(object);
    }
    Arrays.sort(marks);
    return new EarnedMarks(marks);
  }

  /** False when the object was certainly not earned; true when it may have been. */
  boolean mayHave(EarnedObject object) {
    return Arrays.binarySearch(marks, mark(object)) >= 0;
  }

  /** These marks and the object's; null when that makes more than {@link #MAX}. */
  EarnedMarks with(EarnedObject object) {
    long mark = mark(object);
    int at = Arrays.binarySearch(marks, mark);
    if (at >= 0) {
      return this;
    }
    if (marks.length >= MAX) {
      return null;
    }
    int insert = -at - 1;
    long[] more = new long[marks.length + 1];
    System.arraycopy(marks, 0, more, 0, insert);
    more[insert] = mark;
    System.arraycopy(marks, insert, more, insert + 1, marks.length - insert);
    return new EarnedMarks(more);
  }

  int size() {
    return marks.length;
  }

  /**
   * FNV-1a over the type's characters, a zero and the objectId's, then mixed (MurmurHash3's
   * finalizer). Marks live only in a node's memory, so their values may change between versions.
   */
  static long mark(EarnedObject object) {
    long h = fnv(0xcbf29ce484222325L, object.type());
    h = (h ^ 0) * 0x100000001b3L;
    h = fnv(h, object.objectId());
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /** Over the string's UTF-16 characters as they are: no bytes to allocate on the event path. */
  private static long fnv(long h, String text) {
    for (int i = 0; i < text.length(); i++) {
      h = (h ^ text.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }
}
