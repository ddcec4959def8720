package io.learnquest.json;

import io.learnquest.domain.learner.Outcome;
import java.util.List;

/**
 * An applied event's outcome, written component by component: the same text as {@link RecordJson}'s
 * walk over the record writes. Every applied event's outcome is written once, stored and sent as
 * the answer, so it is written directly, as the learner's document is ({@link LearnerJson}).
 * JsonMappingTest holds the two texts equal.
 */
final class OutcomeJson {
  private static final JsonText.Name EVENT_ID = new JsonText.Name("eventId");
  private static final JsonText.Name STATUS = new JsonText.Name("status");
  private static final JsonText.Name LEARNER_ID = new JsonText.Name("learnerId");
  private static final JsonText.Name XP_GRANTED = new JsonText.Name("xpGranted");
  private static final JsonText.Name TOTAL_XP = new JsonText.Name("totalXp");
  private static final JsonText.Name LEVEL = new JsonText.Name("level");
  private static final JsonText.Name LEVEL_UP = new JsonText.Name("levelUp");
  private static final JsonText.Name BADGES_AWARDED = new JsonText.Name("badgesAwarded");
  private static final JsonText.Name TRANSITIONS = new JsonText.Name("transitions");
  private static final JsonText.Name STREAK = new JsonText.Name("streak");
  private static final JsonText.Name REPEAT = new JsonText.Name("repeat");
  private static final JsonText.Name ACTIVITY = new JsonText.Name("activity");
  private static final JsonText.Name BASE_XP = new JsonText.Name("baseXp");
  private static final JsonText.Name MULTIPLIER_PCT = new JsonText.Name("multiplierPct");
  private static final JsonText.Name XP = new JsonText.Name("xp");
  private static final JsonText.Name FROM = new JsonText.Name("from");
  private static final JsonText.Name TO = new JsonText.Name("to");
  private static final JsonText.Name EVENT = new JsonText.Name("event");
  private static final JsonText.Name CURRENT = new JsonText.Name("current");
  private static final JsonText.Name LONGEST = new JsonText.Name("longest");
  private static final JsonText.Name FREEZES_LEFT = new JsonText.Name("freezesLeft");
  private static final JsonText.Name EXTENDED = new JsonText.Name("extended");
  private static final JsonText.Name BROKEN = new JsonText.Name("broken");

  private OutcomeJson() {
  }

  static void write(JsonText out, Outcome outcome) {
    out.beginObject();
    out.name(EVENT_ID);
    out.value(outcome.eventId());
    out.name(STATUS);
    out.value(outcome.status());
    out.name(LEARNER_ID);
    out.value(outcome.learnerId());
    out.name(XP_GRANTED);
    grants(out, outcome.xpGranted());
    out.name(TOTAL_XP);
    out.value(outcome.totalXp());
    out.name(LEVEL);
    out.value(outcome.level());
    out.name(LEVEL_UP);
    out.value(outcome.levelUp());
    out.name(BADGES_AWARDED);
    if (outcome.badgesAwarded() == null) {
      out.nullValue();
    } else {
      out.beginArray();
      for (String badge : outcome.badgesAwarded()) {
        out.value(badge);
      }
      out.endArray();
    }
    out.name(TRANSITIONS);
    steps(out, outcome.transitions());
    out.name(STREAK);
    streak(out, outcome.streak());
    out.name(REPEAT);
    out.value(outcome.repeat());
    out.endObject();
  }

  private static void grants(JsonText out, List<Outcome.Grant> grants) {
    if (grants == null) {
      out.nullValue();
      return;
    }
    out.beginArray();
    for (Outcome.Grant grant : grants) {
      if (grant == null) {
        out.nullValue();
        continue;
      }
      out.beginObject();
      out.name(ACTIVITY);
      out.value(grant.activity());
      out.name(BASE_XP);
      out.value(grant.baseXp());
      out.name(MULTIPLIER_PCT);
      out.value(grant.multiplierPct());
      out.name(XP);
      out.value(grant.xp());
      out.endObject();
    }
    out.endArray();
  }

  private static void steps(JsonText out, List<Outcome.Step> steps) {
    if (steps == null) {
      out.nullValue();
      return;
    }
    out.beginArray();
    for (Outcome.Step step : steps) {
      if (step == null) {
        out.nullValue();
        continue;
      }
      out.beginObject();
      out.name(FROM);
      out.value(step.from());
      out.name(TO);
      out.value(step.to());
      out.name(EVENT);
      out.value(step.event());
      out.endObject();
    }
    out.endArray();
  }

  private static void streak(JsonText out, Outcome.Streak streak) {
    if (streak == null) {
      out.nullValue();
      return;
    }
    out.beginObject();
    out.name(CURRENT);
    out.value(streak.current());
    out.name(LONGEST);
    out.value(streak.longest());
    out.name(FREEZES_LEFT);
    out.value(streak.freezesLeft());
    out.name(EXTENDED);
    out.value(streak.extended());
    out.name(BROKEN);
    out.value(streak.broken());
    out.endObject();
  }
}
