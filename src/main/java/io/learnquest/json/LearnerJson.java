package io.learnquest.json;

import io.learnquest.domain.fairplay.Pace;
import io.learnquest.domain.learner.Learner;
import io.learnquest.domain.streak.StreakState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The learner's document, written component by component: the same text as {@link RecordJson}'s
 * walk over the record writes (components in record order, nulls written, instants and dates as
 * ISO-8601 text), which every commit stores. The walk read each component through an interface
 * call shared by every record type and tested each value against a dozen types: about half of what
 * the learner's document cost, a few per cent of the node's CPU per event. JsonMappingTest holds
 * the two texts equal.
 */
final class LearnerJson {
  private static final JsonText.Name LEARNER_ID = new JsonText.Name("learnerId");
  private static final JsonText.Name STATE = new JsonText.Name("state");
  private static final JsonText.Name XP = new JsonText.Name("xp");
  private static final JsonText.Name LEVEL = new JsonText.Name("level");
  private static final JsonText.Name TIMEZONE = new JsonText.Name("timezone");
  private static final JsonText.Name STREAK = new JsonText.Name("streak");
  private static final JsonText.Name COUNTERS = new JsonText.Name("counters");
  private static final JsonText.Name LAST_ACTIVITY_AT = new JsonText.Name("lastActivityAt");
  private static final JsonText.Name BADGES = new JsonText.Name("badges");
  private static final JsonText.Name VERSION = new JsonText.Name("version");
  private static final JsonText.Name NOTIFICATION_SEQ = new JsonText.Name("notificationSeq");
  private static final JsonText.Name PACE = new JsonText.Name("pace");
  private static final JsonText.Name BOARDS = new JsonText.Name("boards");
  private static final JsonText.Name CURRENT = new JsonText.Name("current");
  private static final JsonText.Name LONGEST = new JsonText.Name("longest");
  private static final JsonText.Name FREEZES_LEFT = new JsonText.Name("freezesLeft");
  private static final JsonText.Name LAST_STUDY_DATE = new JsonText.Name("lastStudyDate");
  private static final JsonText.Name RECENT = new JsonText.Name("recent");

  private LearnerJson() {
  }

  static void write(JsonText out, Learner learner) {
    out.beginObject();
    out.name(LEARNER_ID);
    out.value(learner.learnerId());
    out.name(STATE);
    if (learner.state() == null) {
      out.nullValue();
    } else {
      out.plainValue(learner.state().name());
    }
    out.name(XP);
    out.value(learner.xp());
    out.name(LEVEL);
    out.value(learner.level());
    out.name(TIMEZONE);
    out.value(learner.timezone());
    out.name(STREAK);
    streak(out, learner.streak());
    out.name(COUNTERS);
    if (learner.counters() == null) {
      out.nullValue();
    } else {
      CountersJson.write(out, learner.counters());
    }
    out.name(LAST_ACTIVITY_AT);
    out.value(learner.lastActivityAt());
    out.name(BADGES);
    out.beginArray();
    for (String badge : learner.badges()) {
      out.value(badge);
    }
    out.endArray();
    out.name(VERSION);
    out.value(learner.version());
    out.name(NOTIFICATION_SEQ);
    out.value(learner.notificationSeq());
    out.name(PACE);
    pace(out, learner.pace());
    out.name(BOARDS);
    out.beginObject();
    for (Map.Entry<String, Long> board : learner.boards().entrySet()) {
      out.name(board.getKey());
      if (board.getValue() == null) {
        out.nullValue();
      } else {
        out.value(board.getValue().longValue());
      }
    }
    out.endObject();
    out.endObject();
  }

  private static void streak(JsonText out, StreakState streak) {
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
    out.name(LAST_STUDY_DATE);
    if (streak.lastStudyDate() == null) {
      out.nullValue();
    } else {
      out.plainValue(streak.lastStudyDate().toString());
    }
    out.endObject();
  }

  private static void pace(JsonText out, Pace pace) {
    if (pace == null) {
      out.nullValue();
      return;
    }
    out.beginObject();
    out.name(RECENT);
    out.beginObject();
    for (Map.Entry<String, List<Instant>> type : pace.recent().entrySet()) {
      out.name(type.getKey());
      out.beginArray();
      for (Instant at : type.getValue()) {
        out.value(at);
      }
      out.endArray();
    }
    out.endObject();
    out.endObject();
  }
}
