package io.learnquest.domain.learner;

import io.learnquest.domain.event.LearningEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A fold of {@link LearnerRules#apply} over a learner's events, in the order given (acceptance
 * order, for a replay of what the engine did): it carries the learner from one event to the next
 * and remembers which objects earned activity XP, so a later event for the same object is judged a
 * repeat exactly as the engine judged it from its store. What voiding, rescoring and previewing
 * build on.
 */
public final class Replay {
  private final RuleSet rules;
  private final Set<EventApplication.EarnedObject> earned;
  private final List<EventApplication> applications = new ArrayList<>();
  private Learner learner;

  private Replay(Learner start, RuleSet rules, Collection<EventApplication.EarnedObject> earned) {
    this.learner = start;
    this.rules = rules;
    this.earned = new HashSet<>(earned);
  }

  /** A replay from a fresh learner under {@code rules}. */
  public static Replay fresh(String learnerId, RuleSet rules) {
    return new Replay(rules.fresh(learnerId), rules, Set.of());
  }

  /** A replay going on from {@code start}, with the objects that had earned activity XP by then. */
  public static Replay from(Learner start, RuleSet rules, Collection<EventApplication.EarnedObject> earned) {
    return new Replay(start, rules, earned);
  }

  /** The learner after applying {@code events} in order to a fresh one. */
  public static Learner of(String learnerId, List<LearningEvent> events, RuleSet rules) {
    Replay replay = fresh(learnerId, rules);
    events.forEach(replay::apply);
    return replay.learner();
  }

  /** Applies the next event; the learner moves on to its {@code after}. */
  public EventApplication apply(LearningEvent event) {
    EventApplication.EarnedObject key = LearnerRules.repeatKey(event, rules);
    EventApplication application = LearnerRules.apply(learner, event, rules, key != null && earned.contains(key));
    if (application.earnedObject() != null) {
      earned.add(application.earnedObject());
    }
    learner = application.after();
    applications.add(application);
    return application;
  }

  /** The learner after every event applied so far. */
  public Learner learner() {
    return learner;
  }

  /** Every application so far, in order. */
  public List<EventApplication> applications() {
    return List.copyOf(applications);
  }

  /** The (type, object) pairs that earned activity XP so far, this replay's and those it started with. */
  public Set<EventApplication.EarnedObject> earned() {
    return Set.copyOf(earned);
  }
}
