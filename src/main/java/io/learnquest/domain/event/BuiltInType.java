package io.learnquest.domain.event;

import static io.learnquest.domain.progression.ProgressionState.ACTIVE;
import static io.learnquest.domain.progression.ProgressionState.MASTERY;
import static io.learnquest.domain.progression.ProgressionState.MENTOR;
import static io.learnquest.domain.progression.ProgressionState.ONBOARDING;

import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of built-in event types (docs/rules.md): one entry per type, carrying everything the
 * rules know about it, so that a built-in type is added here and nowhere else in the rules:
 * <ul>
 *   <li>validation: whether {@code score} and {@code objectId} are required;</li>
 *   <li>streaks: whether it counts as study;</li>
 *   <li>XP: the activities it may earn, by name, with their default base XP (what an
 *       {@code xp.baseXp} entry of {@code conf/engine.json} overrides; an activity it does not
 *       name earns its default), which one an event earns, and what a repeat is judged by;</li>
 *   <li>progression: the {@link Counter}s a non-repeat event moves, and the state change it
 *       fires.</li>
 * </ul>
 * Custom types ({@code eventTypes.custom}) are configured instead: study, score required, and a
 * base XP of their own, moving no counter and firing no transition.
 */
public enum BuiltInType {
  LESSON_COMPLETED("lesson_completed", true, false, null, Map.of("lesson", 50L)) {
    @Override
    public Set<Counter> counters(LearningEvent event, int passMark) {
      return ONLY_LESSONS;
    }

    @Override
    public ProgressionState progression(ProgressionState current, LearningEvent event, Counters after) {
      return current == ONBOARDING ? ACTIVE : current;
    }
  },
  QUIZ_COMPLETED("quiz_completed", true, true, null, ordered("quiz_pass", 100L, "quiz_perfect", 200L)) {
    @Override
    public Optional<String> activity(LearningEvent event, int passMark) {
      return event.score() == 100 ? Optional.of("quiz_perfect")
          : event.score() >= passMark ? Optional.of("quiz_pass") : Optional.empty();
    }

    @Override
    public Set<Counter> counters(LearningEvent event, int passMark) {
      boolean passed = event.score() >= passMark;
      boolean perfect = event.score() == 100;
      // a perfect quiz is also a passed quiz
      return passed && perfect ? PASSED_AND_PERFECT : passed ? ONLY_PASSED : perfect ? ONLY_PERFECT : Set.of();
    }
  },
  COURSE_COMPLETED("course_completed", true, true, null, Map.of("course", 500L)) {
    @Override
    public Set<Counter> counters(LearningEvent event, int passMark) {
      return ONLY_COURSES;
    }

    @Override
    public ProgressionState progression(ProgressionState current, LearningEvent event, Counters after) {
      return current == ACTIVE && event.score() >= MASTERY_SCORE ? MASTERY : current;
    }

    /** A course completed is the course itself: without an objectId, its courseId names it. */
    @Override
    public String repeatObject(LearningEvent event) {
      return event.objectId() != null ? event.objectId() : event.courseId();
    }
  },
  PEER_HELPED("peer_helped", true, false, "the peer helped", Map.of("help_peer", 150L)) {
    @Override
    public Set<Counter> counters(LearningEvent event, int passMark) {
      return ONLY_PEERS;
    }

    @Override
    public ProgressionState progression(ProgressionState current, LearningEvent event, Counters after) {
      return current == MASTERY && after.get(Counter.PEERS_HELPED) >= MENTOR_PEERS ? MENTOR : current;
    }
  },
  DAILY_LOGIN("daily_login", false, false, null, Map.of());

  /** A {@code course_completed} with at least this score takes an ACTIVE learner to MASTERY. */
  public static final int MASTERY_SCORE = 90;
  /** Peers helped that take a MASTERY learner to MENTOR. */
  public static final long MENTOR_PEERS = 5;
  private static final Set<Counter> ONLY_LESSONS = Set.of(Counter.LESSONS_COMPLETED);
  private static final Set<Counter> ONLY_PASSED = Set.of(Counter.QUIZZES_PASSED);
  private static final Set<Counter> ONLY_PERFECT = Set.of(Counter.PERFECT_QUIZZES);
  private static final Set<Counter> PASSED_AND_PERFECT = Set.of(Counter.QUIZZES_PASSED, Counter.PERFECT_QUIZZES);
  private static final Set<Counter> ONLY_COURSES = Set.of(Counter.COURSES_COMPLETED);
  private static final Set<Counter> ONLY_PEERS = Set.of(Counter.PEERS_HELPED);
  private static final Map<String, BuiltInType> BY_NAME = Arrays.stream(values())
      .collect(Collectors.toUnmodifiableMap(BuiltInType::typeName, Function.identity()));

  private final String typeName;
  private final boolean study;
  private final boolean scoreRequired;
  private final String objectRequired;
  private final Map<String, Long> activities;
  /** The activity of a type that has exactly one, which its events earn unless the entry says otherwise. */
  private final Optional<String> soleActivity;

  BuiltInType(String typeName, boolean study, boolean scoreRequired, String objectRequired,
              Map<String, Long> activities) {
    this.typeName = typeName;
    this.study = study;
    this.scoreRequired = scoreRequired;
    this.objectRequired = objectRequired;
    this.activities = activities;
    this.soleActivity = activities.size() == 1 ? Optional.of(activities.keySet().iterator().next()) : Optional.empty();
  }

  public static Optional<BuiltInType> find(String typeName) {
    return Optional.ofNullable(BY_NAME.get(typeName));
  }

  /** The {@code type} value senders use. */
  public String typeName() {
    return typeName;
  }

  /** Whether it counts as study for streaks (docs/rules.md, "Streaks"). */
  public boolean study() {
    return study;
  }

  /** Whether {@code score} must be present. */
  public boolean scoreRequired() {
    return scoreRequired;
  }

  /**
   * What {@code objectId} names when the type requires one, or null when it may be left out
   * ({@code peer_helped} without its peer would make every help new: twelve events a mentor).
   */
  public String objectRequired() {
    return objectRequired;
  }

  /** The activities an event of this type may earn, each with its default base XP, in order. */
  public Map<String, Long> activities() {
    return activities;
  }

  /**
   * The activity an event earns XP for, or empty when it earns none (a failed quiz, a login): by
   * default the type's one activity when it has exactly one; an entry with more says which.
   */
  public Optional<String> activity(LearningEvent event, int passMark) {
    return soleActivity;
  }

  /** The counters a non-repeat event of this type moves by one. */
  public Set<Counter> counters(LearningEvent event, int passMark) {
    return Set.of();
  }

  /** The state the event's own transition leads to from {@code current} ({@code after}: counters after it). */
  public ProgressionState progression(ProgressionState current, LearningEvent event, Counters after) {
    return current;
  }

  /** What a repeat of the event is judged by (its objectId by default); null when nothing names it. */
  public String repeatObject(LearningEvent event) {
    return event.objectId();
  }

  private static Map<String, Long> ordered(String first, long firstXp, String second, long secondXp) {
    Map<String, Long> map = new LinkedHashMap<>();
    map.put(first, firstXp);
    map.put(second, secondXp);
    return java.util.Collections.unmodifiableMap(map);
  }
}
