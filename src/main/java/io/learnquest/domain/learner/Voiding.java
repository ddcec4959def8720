package io.learnquest.domain.learner;

import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.leaderboard.BoardTotals;
import io.learnquest.domain.notification.Notifications;
import io.learnquest.domain.progression.ProgressionMachine;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Voiding one applied event, as a pure function (docs/rules.md, "Voiding an event"): the learner
 * becomes the {@link Replay} of their other applied events in acceptance order, and everything
 * recorded follows by compensation, never by rewriting what was recorded:
 * <ul>
 *   <li>XP, level, counters, streak, last activity, pace and zone are the replay's;</li>
 *   <li>the ledger gets one line with reason {@code void} per event and activity whose XP the replay
 *       changes (the voided event's own lines go to 0; a later event may earn more or less: a
 *       multiplier that drew on the voided event's streak day, a repeat that earns now), so the ledger
 *       sums to the new XP;</li>
 *   <li>a badge is revoked when the learner holds it, the replay with the voided event awards it and
 *       the replay without it does not: awards made under an earlier catalog, or of a badge retired
 *       since, are not the void's business and stay; a badge the replay without the event awards
 *       and the learner does not hold is awarded; a badge the voided event awarded that a later
 *       event earns all the same stays, its award moved to that event;</li>
 *   <li>the learner's total on every board their events reach is the replay's (weekly ones expired
 *       at {@code now} left out), and the projection is corrected by the difference;</li>
 *   <li>fair-play flags follow the replay: the voided event's go, as do those of events the replay
 *       no longer flags, and the replay's new ones are raised;</li>
 *   <li>the state is the replay's, with the inactivity due at {@code now} fired as the sweep would;
 *       a change is recorded as a transition {@code event_voided}.</li>
 * </ul>
 */
public final class Voiding {
  /** The event name of the transition a void's change of state is recorded as. */
  public static final String EVENT_VOIDED = "event_voided";

  private Voiding() {
  }

  /**
   * @param current the learner as stored now
   * @param ledger  every ledger line of the learner (any order)
   * @param applied the learner's applied events that are not voided, in acceptance order, the one
   *                to void among them
   * @throws IllegalArgumentException when {@code eventId} is not among {@code applied}
   */
  public static VoidApplication voidEvent(Learner current, List<LedgerEntry> ledger, List<LearningEvent> applied,
                                          String eventId, RuleSet rules, String reason, Instant now) {
    LearningEvent voided = applied.stream().filter(e -> e.eventId().equals(eventId)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("event " + eventId + " is not an applied event of "
            + current.learnerId()));
    String learnerId = current.learnerId();
    Replay with = Replay.fresh(learnerId, rules);
    Replay without = Replay.fresh(learnerId, rules);
    for (LearningEvent e : applied) {
      with.apply(e);
      if (e != voided) {
        without.apply(e);
      }
    }
    Learner replayed = without.learner();

    Map<String, BadgeAward> awardedWith = awards(with);
    Map<String, BadgeAward> awardedWithout = awards(without);
    List<BadgeAward> revoked = awardedWith.values().stream()
        .filter(a -> !awardedWithout.containsKey(a.badgeId()) && current.badges().contains(a.badgeId())).toList();
    List<BadgeAward> awarded = awardedWithout.values().stream()
        .filter(a -> !awardedWith.containsKey(a.badgeId()) && !current.badges().contains(a.badgeId())).toList();
    // Held, made by the voided event, and earned all the same by a later event: the award moves to
    // that event (its eventId and time), as the replay made it, without a word to the learner.
    List<BadgeAward> moved = awardedWith.values().stream()
        .filter(a -> a.eventId().equals(eventId) && awardedWithout.containsKey(a.badgeId())
            && current.badges().contains(a.badgeId()))
        .map(a -> awardedWithout.get(a.badgeId())).toList();
    Set<String> badges = new LinkedHashSet<>(current.badges());
    revoked.forEach(a -> badges.remove(a.badgeId()));
    awarded.forEach(a -> badges.add(a.badgeId()));
    List<String> removedAwards = new ArrayList<>(revoked.stream().map(BadgeAward::badgeId).toList());
    moved.forEach(a -> removedAwards.add(a.badgeId()));
    List<BadgeAward> newAwards = new ArrayList<>(awarded);
    newAwards.addAll(moved);

    List<Transition> transitions = new ArrayList<>();
    ProgressionState state = replayed.state();
    if (state != current.state()) {
      transitions.add(new Transition(current.state(), state, EVENT_VOIDED, eventId, now));
    }
    List<Transition> due = rules.machine().inactivity(state, replayed.lastActivityAt(), now);
    transitions.addAll(due);
    state = ProgressionMachine.finalState(state, due);

    Notifications notes = new Notifications(current, eventId, now).transitions(transitions).revoked(revoked)
        .badges(awarded);
    // Weekly totals expired by now are left out on both sides: the projection has dropped them.
    Map<String, Long> boards = BoardTotals.unexpired(replayed.boards(), now, rules.weeklyRetentionWeeks());
    Learner after = new Learner(learnerId, state, replayed.xp(), replayed.level(), replayed.timezone(),
        replayed.streak(), replayed.counters(), replayed.lastActivityAt(), badges, current.version() + 1,
        notes.lastSeq(), replayed.pace(), boards);

    Set<EventApplication.EarnedObject> earnedRemoved = new HashSet<>(with.earned());
    earnedRemoved.removeAll(without.earned());
    Set<EventApplication.EarnedObject> earnedAdded = new HashSet<>(without.earned());
    earnedAdded.removeAll(with.earned());

    List<VoidApplication.EventFlag> flagsWith = flags(with);
    List<VoidApplication.EventFlag> flagsWithout = flags(without);
    List<VoidApplication.EventFlag> flagsRemoved = flagsWith.stream().filter(f -> !flagsWithout.contains(f)).toList();
    List<VoidApplication.EventFlag> flagsAdded = flagsWithout.stream().filter(f -> !flagsWith.contains(f)).toList();

    return new VoidApplication(eventId, current.version(), after, compensation(ledger, without, now),
        removedAwards, newAwards, transitions, List.copyOf(earnedRemoved),
        List.copyOf(earnedAdded), flagsRemoved, flagsAdded,
        BoardTotals.changes(BoardTotals.unexpired(current.boards(), now, rules.weeklyRetentionWeeks()), boards),
        notes.build(),
        new VoidRecord(eventId, learnerId, reason, now, replayed.xp() - current.xp(),
            revoked.stream().map(BadgeAward::badgeId).toList()));
  }

  private static List<VoidApplication.EventFlag> flags(Replay replay) {
    List<VoidApplication.EventFlag> flags = new ArrayList<>();
    replay.applications().forEach(app -> app.flags().forEach(f -> flags.add(new VoidApplication.EventFlag(
        app.eventId(), f))));
    return flags;
  }

  private static Map<String, BadgeAward> awards(Replay replay) {
    Map<String, BadgeAward> byId = new LinkedHashMap<>();
    replay.applications().forEach(app -> app.awards().forEach(a -> byId.putIfAbsent(a.badgeId(), a)));
    return byId;
  }

  /** A line per (event, activity) whose recorded XP is not the replay's, for the difference. */
  private static List<LedgerEntry> compensation(List<LedgerEntry> ledger, Replay without, Instant now) {
    record Line(String eventId, String activity) {
    }
    Map<Line, Long> recorded = new LinkedHashMap<>();
    Map<Line, LedgerEntry> shape = new LinkedHashMap<>();
    for (LedgerEntry e : ledger) {
      Line line = new Line(e.eventId(), e.activity());
      recorded.merge(line, e.xp(), Long::sum);
      if (!VoidApplication.REASON.equals(e.reason())) {
        shape.putIfAbsent(line, e);
      }
    }
    Map<Line, Long> target = new LinkedHashMap<>();
    for (EventApplication app : without.applications()) {
      for (LedgerEntry e : app.ledger()) {
        Line line = new Line(e.eventId(), e.activity());
        target.merge(line, e.xp(), Long::sum);
        shape.put(line, e);
      }
    }
    Set<Line> lines = new LinkedHashSet<>(recorded.keySet());
    lines.addAll(target.keySet());
    List<LedgerEntry> compensating = new ArrayList<>();
    for (Line line : lines) {
      long diff = target.getOrDefault(line, 0L) - recorded.getOrDefault(line, 0L);
      if (diff != 0) {
        LedgerEntry like = shape.get(line);
        compensating.add(new LedgerEntry(line.eventId(), line.activity(), like == null ? 0 : like.baseXp(),
            like == null ? 100 : like.multiplierPct(), diff, VoidApplication.REASON, now));
      }
    }
    return compensating;
  }
}
