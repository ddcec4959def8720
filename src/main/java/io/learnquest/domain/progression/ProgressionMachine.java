package io.learnquest.domain.progression;

import static io.learnquest.domain.progression.ProgressionState.ACTIVE;
import static io.learnquest.domain.progression.ProgressionState.AT_RISK;
import static io.learnquest.domain.progression.ProgressionState.DORMANT;

import io.learnquest.domain.event.BuiltInType;
import io.learnquest.domain.event.LearningEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The progression state machine of docs/rules.md, "Progression". Pure: every instant is an argument. */
public final class ProgressionMachine {
  public static final String REACTIVATED = "reactivated";
  public static final String INACTIVE_7_DAYS = "inactive_7_days";
  public static final String INACTIVE_14_DAYS = "inactive_14_days";
  public static final Duration AT_RISK_AFTER = Duration.ofDays(7);
  public static final Duration DORMANT_AFTER = Duration.ofDays(14);

  /**
   * Inactivity transitions due at {@code asOf} for a learner last active at {@code lastActivity}.
   * Each is stamped with the instant its threshold was crossed, so the record is the same whether
   * the periodic sweep or a later event notices it. The list is a new one, the caller's to add to.
   */
  public List<Transition> inactivity(ProgressionState state, Instant lastActivity, Instant asOf) {
    List<Transition> fired = new ArrayList<>(2);
    if (lastActivity == null) {
      return fired;
    }
    ProgressionState current = state;
    Instant atRisk = lastActivity.plus(AT_RISK_AFTER);
    if (current == ACTIVE && !asOf.isBefore(atRisk)) {
      fired.add(new Transition(ACTIVE, AT_RISK, INACTIVE_7_DAYS, null, atRisk));
      current = AT_RISK;
    }
    Instant dormant = lastActivity.plus(DORMANT_AFTER);
    if (current == AT_RISK && !asOf.isBefore(dormant)) {
      fired.add(new Transition(AT_RISK, DORMANT, INACTIVE_14_DAYS, null, dormant));
    }
    return fired;
  }

  /**
   * Transitions fired by an event, in order: {@code reactivated} first for an AT_RISK or DORMANT
   * learner, then the event's own. {@code counters} are those after the event.
   */
  public List<Transition> onEvent(ProgressionState state, LearningEvent event, Counters counters) {
    List<Transition> fired = new ArrayList<>(2);
    ProgressionState current = state;
    if (current == AT_RISK || current == DORMANT) {
      fired.add(new Transition(current, ACTIVE, REACTIVATED, event.eventId(), event.occurredAt()));
      current = ACTIVE;
    }
    ProgressionState from = current;
    ProgressionState next = BuiltInType.find(event.type())
        .map(type -> type.progression(from, event, counters)).orElse(current);
    if (next != current) {
      fired.add(new Transition(current, next, event.type(), event.eventId(), event.occurredAt()));
    }
    return fired;
  }

  public static ProgressionState finalState(ProgressionState start, List<Transition> transitions) {
    return transitions.isEmpty() ? start : transitions.get(transitions.size() - 1).to();
  }
}
