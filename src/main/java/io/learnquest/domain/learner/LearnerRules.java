package io.learnquest.domain.learner;

import io.learnquest.domain.badge.LearnerFacts;
import io.learnquest.domain.event.LearningEvent;
import io.learnquest.domain.fairplay.Flag;
import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.leaderboard.Board;
import io.learnquest.domain.leaderboard.BoardTotals;
import io.learnquest.domain.notification.Notifications;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionMachine;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.streak.StreakRules;
import io.learnquest.domain.xp.XpDecision;
import io.learnquest.domain.xp.XpGrant;
import io.learnquest.domain.xp.XpRules;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one event does to one learner, as a pure function: {@link #apply} takes the learner as it
 * was, the event and the rule set, and returns every effect to commit at once (docs/rules.md). It
 * reads no clock, no store and no configuration, so applying the same event to the same learner
 * under the same rules always gives an equal result, and replaying a learner's events from
 * {@link Learner#fresh} (see {@link Replay}) gives what applying them one by one gave.
 *
 * <p>The one fact of history an event needs beyond the learner aggregate is whether an earlier event
 * of the learner already earned activity XP for the same object ({@link #repeatKey}); the caller
 * looks it up and passes it in.
 */
public final class LearnerRules {
  /** The zone of a learner whose events never named one. */
  public static final String DEFAULT_ZONE = "UTC";
  /**
   * Zones by id, as ZoneId.of gives them: every study event names one of a few zones, which
   * ZoneId.of would parse and look up anew. Bounded by {@link #MAX_CACHED_ZONES}, beyond which ids
   * are parsed each time, so ids of any number cannot grow it.
   */
  private static final Map<String, ZoneId> ZONES = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_ZONES = 1024;

  private LearnerRules() {
  }

  /**
   * The (type, object) whose earlier reward would make {@code event} a repeat, or null when it
   * cannot be one (it earns no activity XP, or names no object). Only for a non-null key does the
   * caller need to look up whether it was earned before.
   */
  public static EventApplication.EarnedObject repeatKey(LearningEvent event, RuleSet rules) {
    return rules.xp().canRepeat(event) ? new EventApplication.EarnedObject(event.type(), XpRules.repeatObject(event))
        : null;
  }

  /** The zone {@code event} is judged in: its own, else the learner's last one, else UTC. */
  public static String zoneOf(Learner learner, LearningEvent event) {
    return event.timezone() != null ? event.timezone()
        : learner.timezone() != null ? learner.timezone() : DEFAULT_ZONE;
  }

  /**
   * Applies one event, in the order of docs/rules.md:
   * <ol>
   *   <li>inactivity transitions already due at the event's {@code occurredAt} (so the result does
   *       not depend on when the periodic sweep last ran);</li>
   *   <li>the streak step on the event's local day in the learner's zone (study events only);</li>
   *   <li>XP: activity XP with the multiplier of the new streak (0 for a repeat), the streak bonus,
   *       the new total and level;</li>
   *   <li>fair play: a flagged event earns nothing and moves nothing (see below);</li>
   *   <li>counters (not for a repeat), then progression: {@code reactivated} first for an AT_RISK
   *       or DORMANT learner, then the event's own transition;</li>
   *   <li>the catalog's badges the learner now earns and does not own yet;</li>
   *   <li>notifications numbered after the learner's last one, leaderboard increments (added to the
   *       learner's board totals, less the weekly ones expired at the event's time), the outcome.</li>
   * </ol>
   *
   * @param before       the learner before this event ({@link RuleSet#fresh} for a new one)
   * @param earnedBefore whether an earlier event of this learner earned activity XP for
   *                     {@link #repeatKey}{@code (event)}; ignored when that key is null
   */
  public static EventApplication apply(Learner before, LearningEvent event, RuleSet rules, boolean earnedBefore) {
    // a new list of its own, which the event's own transitions are added to
    List<Transition> transitions =
        rules.machine().inactivity(before.state(), before.lastActivityAt(), event.occurredAt());
    StreakOutcome streak = rules.types().isStudy(event.type())
        ? rules.streaks().apply(before.streak(),
            StreakRules.localDay(event.occurredAt(), zone(zoneOf(before, event))))
        : unchanged(before);
    XpDecision xp = rules.xp().decide(event, streak.state().current(), streak.extended(), earnedBefore,
        before.xp(), rules.curve());
    Flag flag = rules.fairPlay().judge(event, before.pace(), xp.xpGranted() > 0);
    Counters counters;
    List<BadgeAward> awards;
    if (flag != null) {
      // Held back: the streak, counters and badges stay, no progression step is taken for it, and
      // the ledger shows what it would have earned as 0-XP lines with the rule as their reason.
      // Inactivity already due still fires, as for any event.
      streak = unchanged(before);
      xp = withheld(xp, before, flag);
      counters = before.counters();
      awards = List.of();
    } else {
      counters = xp.repeat() ? before.counters() : before.counters().after(event, rules.passMark());
      transitions.addAll(rules.machine().onEvent(
          ProgressionMachine.finalState(before.state(), transitions), event, counters));
      LearnerFacts facts = new LearnerFacts(event.type(), event.score(), event.courseId(),
          LearnerFacts.metricsOf(xp.totalXp(), xp.level(), streak.state().current(), streak.state().longest(),
              counters),
          counters);
      awards = rules.badges().newlyEarned(facts, before.badges(), event.occurredAt(), event.eventId());
    }
    return effects(before, event, streak, xp, counters, awards, transitions, flag, rules);
  }

  /**
   * The inactivity transitions due at {@code now} for a learner with no event in between (the
   * periodic sweep), as an application without event, or empty when none is due.
   */
  public static Optional<EventApplication> sweep(Learner before, Instant now, RuleSet rules) {
    List<Transition> due = rules.machine().inactivity(before.state(), before.lastActivityAt(), now);
    if (due.isEmpty()) {
      return Optional.empty();
    }
    Notifications notes = new Notifications(before, null, now).transitions(due);
    Learner after = before.toBuilder().state(ProgressionMachine.finalState(before.state(), due))
        .version(before.version() + 1).notificationSeq(notes.lastSeq()).build();
    return Optional.of(EventApplication.builder(before.version(), after).transitions(due)
        .notifications(notes.build()).build());
  }

  /** {@code ZoneId.of(id)}, kept for the next event in the same zone. */
  private static ZoneId zone(String id) {
    ZoneId zone = ZONES.get(id);
    if (zone == null) {
      zone = ZoneId.of(id);
      if (ZONES.size() < MAX_CACHED_ZONES) {
        ZONES.put(id, zone);
      }
    }
    return zone;
  }

  private static StreakOutcome unchanged(Learner before) {
    return new StreakOutcome(before.streak(), false, false);
  }

  private static XpDecision withheld(XpDecision xp, Learner before, Flag flag) {
    List<XpGrant> held = new ArrayList<>(xp.grants().size());
    for (XpGrant grant : xp.grants()) {
      if (grant.xp() > 0) {
        held.add(grant.withheld(flag.rule()));
      }
    }
    return new XpDecision(unmodifiable(held), false, false, before.xp(), before.level(), false);
  }

  /**
   * {@code list}, filled here and not kept, as an unmodifiable list. The lists of an application
   * are built by loops rather than streams (a stream's pipeline cost more than the list, once per
   * event); this gives what {@code Stream.toList} gave: unmodifiable, {@code contains(null)} false.
   */
  private static <T> List<T> unmodifiable(List<T> list) {
    return list.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(list);
  }

  private static EventApplication effects(Learner before, LearningEvent e, StreakOutcome streak, XpDecision xp,
                                          Counters counters, List<BadgeAward> awards, List<Transition> transitions,
                                          Flag flag, RuleSet rules) {
    List<LedgerEntry> ledger = new ArrayList<>(xp.grants().size());
    for (XpGrant g : xp.grants()) {
      ledger.add(new LedgerEntry(e.eventId(), g.activity(), g.baseXp(), g.multiplierPct(), g.xp(), g.reason(),
          e.occurredAt()));
    }
    Notifications notes = new Notifications(before, e.eventId(), e.occurredAt())
        .streak(streak, streak.changed(before.streak()))
        .xp(xp.grants(), xp.totalXp())
        .level(before.level(), xp.level())
        .transitions(transitions)
        .badges(awards);
    // the learner's own (immutable) set when nothing is awarded, which Learner keeps without a copy
    Set<String> badges = before.badges();
    if (!awards.isEmpty()) {
      badges = new HashSet<>(badges);
      for (BadgeAward award : awards) {
        badges.add(award.badgeId());
      }
    }
    Instant lastActivity = flag != null || (before.lastActivityAt() != null
        && !e.occurredAt().isAfter(before.lastActivityAt())) ? before.lastActivityAt() : e.occurredAt();
    long gained = xp.xpGranted();
    Pace pace = flag == null && gained > 0 ? before.pace().with(e.type(), e.occurredAt()) : before.pace();
    ProgressionState state = ProgressionMachine.finalState(before.state(), transitions);
    Map<String, Long> increments = new LinkedHashMap<>(8); // room for an event's four boards
    if (gained > 0) {
      Board.keysFor(e.courseId(), e.occurredAt()).forEach(board -> increments.put(board, gained));
    }
    Learner after = before.toBuilder()
        .state(state)
        .xp(xp.totalXp())
        .level(xp.level())
        .timezone(e.timezone() != null ? e.timezone() : before.timezone())
        .streak(streak.state())
        .counters(counters)
        .lastActivityAt(lastActivity)
        .badges(badges)
        .version(before.version() + 1)
        .notificationSeq(notes.lastSeq())
        .pace(pace)
        .boards(BoardTotals.add(before.boards(), increments, e.occurredAt(), rules.weeklyRetentionWeeks()))
        .build();
    return EventApplication.builder(before.version(), after)
        .eventId(e.eventId())
        .ledger(unmodifiable(ledger))
        .earnedObject(xp.earnedActivity() ? new EventApplication.EarnedObject(e.type(), XpRules.repeatObject(e)) : null)
        .awards(awards)
        .transitions(List.copyOf(transitions))
        .notifications(notes.build())
        .boardIncrements(increments)
        .outcome(outcome(e, streak, xp, awards, transitions))
        .flags(flag == null ? List.of() : List.of(flag))
        .build();
  }

  private static Outcome outcome(LearningEvent e, StreakOutcome streak, XpDecision xp, List<BadgeAward> awards,
                                 List<Transition> transitions) {
    List<Outcome.Grant> grants = new ArrayList<>(xp.grants().size());
    for (XpGrant g : xp.grants()) {
      if (g.earns()) {
        grants.add(new Outcome.Grant(g.activity(), g.baseXp(), g.multiplierPct(), g.xp()));
      }
    }
    List<Outcome.Step> steps = new ArrayList<>(transitions.size());
    for (Transition t : transitions) {
      steps.add(new Outcome.Step(t.from().name(), t.to().name(), t.event()));
    }
    List<String> badgesAwarded = new ArrayList<>(awards.size());
    for (BadgeAward award : awards) {
      badgesAwarded.add(award.badgeId());
    }
    var s = streak.state();
    return Outcome.processed(e.eventId(), e.learnerId())
        .xpGranted(unmodifiable(grants))
        .totalXp(xp.totalXp())
        .level(xp.level())
        .levelUp(xp.levelUp())
        .badgesAwarded(unmodifiable(badgesAwarded))
        .transitions(unmodifiable(steps))
        .streak(new Outcome.Streak(s.current(), s.longest(), s.freezesLeft(), streak.extended(), streak.broken()))
        .repeat(xp.repeat())
        .build();
  }
}
