package io.learnquest.domain.notification;

import io.learnquest.domain.learner.BadgeAward;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.progression.Transition;
import io.learnquest.domain.streak.StreakOutcome;
import io.learnquest.domain.xp.XpGrant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the notifications an applied event produces, numbering them after the learner's last one. */
public final class Notifications {
  private final String learnerId;
  private final String eventId;
  private final Instant at;
  private long seq;
  private final List<Notification> built = new ArrayList<>();

  public Notifications(Learner before, String eventId, Instant at) {
    this.learnerId = before.learnerId();
    this.eventId = eventId;
    this.at = at;
    this.seq = before.notificationSeq();
  }

  public Notifications xp(List<XpGrant> grants, long totalXp) {
    long sum = XpGrant.sum(grants);
    if (sum > 0) {
      // loops rather than streams: this runs for most events
      List<Map<String, Object>> lines = new ArrayList<>(grants.size());
      for (XpGrant g : grants) {
        if (g.xp() > 0) {
          Map<String, Object> line = new LinkedHashMap<>(8); // room for its four entries
          line.put("activity", g.activity());
          line.put("baseXp", g.baseXp());
          line.put("multiplierPct", g.multiplierPct());
          line.put("xp", g.xp());
          lines.add(line);
        }
      }
      add(Notification.XP_GRANTED,
          Map.of("xp", sum, "totalXp", totalXp, "grants", Collections.unmodifiableList(lines)));
    }
    return this;
  }

  public Notifications level(int before, int after) {
    if (after > before) {
      add(Notification.LEVEL_UP, Map.of("previousLevel", before, "level", after));
    }
    return this;
  }

  public Notifications badges(List<BadgeAward> awards) {
    for (BadgeAward award : awards) {
      add(Notification.BADGE_AWARDED, Map.of("badgeId", award.badgeId(), "name", award.name(), "tier", award.tier()));
    }
    return this;
  }

  /** One {@code badge_revoked} per badge taken back. */
  public Notifications revoked(List<BadgeAward> revoked) {
    for (BadgeAward award : revoked) {
      add(Notification.BADGE_REVOKED, Map.of("badgeId", award.badgeId(), "name", award.name(), "tier", award.tier()));
    }
    return this;
  }

  public Notifications transitions(List<Transition> transitions) {
    for (Transition t : transitions) {
      Map<String, Object> data = new LinkedHashMap<>(4); // room for its three entries
      data.put("from", t.from().name());
      data.put("to", t.to().name());
      data.put("event", t.event());
      add(Notification.STATE_CHANGED, data, t.eventId(), t.at());
    }
    return this;
  }

  public Notifications streak(StreakOutcome outcome, boolean changed) {
    if (changed) {
      var s = outcome.state();
      Map<String, Object> data = new LinkedHashMap<>(8); // room for its six entries
      data.put("current", s.current());
      data.put("longest", s.longest());
      data.put("freezesLeft", s.freezesLeft());
      data.put("lastStudyDate", s.lastStudyDate() == null ? null : s.lastStudyDate().toString());
      data.put("extended", outcome.extended());
      data.put("broken", outcome.broken());
      add(Notification.STREAK_UPDATED, data);
    }
    return this;
  }

  public List<Notification> build() {
    return List.copyOf(built);
  }

  public long lastSeq() {
    return seq;
  }

  private void add(String type, Map<String, Object> data) {
    add(type, data, eventId, at);
  }

  private void add(String type, Map<String, Object> data, String causeEventId, Instant when) {
    built.add(new Notification(++seq, type, learnerId, causeEventId, when, data));
  }
}
