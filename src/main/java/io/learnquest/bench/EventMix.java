package io.learnquest.bench;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A reproducible mix of realistic events: learners in several time zones studying over days, with
 * repeats, failed and perfect quizzes, courses, peer help and logins, in per-learner order.
 */
public final class EventMix {
  static final List<String> ZONES = List.of("UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin",
      "Australia/Sydney", "America/Los_Angeles", "Asia/Kolkata");

  private EventMix() {
  }

  /**
   * {@code perLearner} events for each of {@code learners} learners, the k-th of a learner at
   * {@code start + k * step}; learners interleaved so that any prefix touches many of them.
   */
  public static List<JsonObject> generate(String runId, int learners, int perLearner, Instant start, Duration step,
                                          long seed) {
    Random random = new Random(seed);
    List<List<JsonObject>> byLearner = new ArrayList<>();
    for (int l = 0; l < learners; l++) {
      String learner = runId + "-learner-" + l;
      String zone = ZONES.get(l % ZONES.size());
      List<JsonObject> events = new ArrayList<>();
      for (int k = 0; k < perLearner; k++) {
        String course = "course-" + (l + k / 10) % 4;
        JsonObject e = new JsonObject()
            .put("eventId", runId + "-" + l + "-" + k)
            .put("learnerId", learner)
            .put("occurredAt", start.plus(step.multipliedBy(k)).plusSeconds(random.nextInt(600)).toString())
            .put("courseId", course);
        if (k == 0 || random.nextInt(8) == 0) {
          e.put("timezone", zone);
        }
        int roll = random.nextInt(100);
        if (roll < 45) {
          e.put("type", "lesson_completed").put("objectId", course + "-lesson-" + random.nextInt(12));
        } else if (roll < 70) {
          e.put("type", "quiz_completed").put("objectId", course + "-quiz-" + random.nextInt(6))
              .put("score", random.nextInt(5) == 0 ? 100 : 30 + random.nextInt(70));
        } else if (roll < 78) {
          e.put("type", "course_completed").put("objectId", course).put("score", 70 + random.nextInt(31));
        } else if (roll < 92) {
          e.put("type", "peer_helped").put("objectId", "peer-" + random.nextInt(20));
        } else {
          e.put("type", "daily_login");
        }
        if (random.nextInt(4) == 0) {
          e.put("difficulty", 1 + random.nextInt(5));
        }
        if (random.nextInt(6) == 0) {
          e.put("timeBonus", true);
        }
        events.add(e);
      }
      byLearner.add(events);
    }
    List<JsonObject> all = new ArrayList<>();
    for (int k = 0; k < perLearner; k++) {
      for (List<JsonObject> events : byLearner) {
        all.add(events.get(k));
      }
    }
    return all;
  }
}
