package io.learnquest.json;

import io.learnquest.domain.event.LearningEvent;

/**
 * A learning event, written component by component: the same text as {@link RecordJson}'s walk
 * over the record writes. Every accepted event is written for the log (and, with Kafka, for its
 * record too), so it is written directly, as the learner's document is ({@link LearnerJson}).
 * JsonMappingTest holds the two texts equal.
 */
final class LearningEventJson {
  private static final JsonText.Name EVENT_ID = new JsonText.Name("eventId");
  private static final JsonText.Name LEARNER_ID = new JsonText.Name("learnerId");
  private static final JsonText.Name TYPE = new JsonText.Name("type");
  private static final JsonText.Name OCCURRED_AT = new JsonText.Name("occurredAt");
  private static final JsonText.Name TIMEZONE = new JsonText.Name("timezone");
  private static final JsonText.Name COURSE_ID = new JsonText.Name("courseId");
  private static final JsonText.Name OBJECT_ID = new JsonText.Name("objectId");
  private static final JsonText.Name SCORE = new JsonText.Name("score");
  private static final JsonText.Name DIFFICULTY = new JsonText.Name("difficulty");
  private static final JsonText.Name TIME_BONUS = new JsonText.Name("timeBonus");

  private LearningEventJson() {
  }

  static void write(JsonText out, LearningEvent event) {
    out.beginObject();
    out.name(EVENT_ID);
    out.value(event.eventId());
    out.name(LEARNER_ID);
    out.value(event.learnerId());
    out.name(TYPE);
    out.value(event.type());
    out.name(OCCURRED_AT);
    out.value(event.occurredAt());
    out.name(TIMEZONE);
    out.value(event.timezone());
    out.name(COURSE_ID);
    out.value(event.courseId());
    out.name(OBJECT_ID);
    out.value(event.objectId());
    out.name(SCORE);
    if (event.score() == null) {
      out.nullValue();
    } else {
      out.value(event.score().longValue());
    }
    out.name(DIFFICULTY);
    out.value(event.difficulty());
    out.name(TIME_BONUS);
    out.value(event.timeBonus());
    out.endObject();
  }
}
