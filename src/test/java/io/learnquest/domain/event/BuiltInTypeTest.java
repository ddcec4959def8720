package io.learnquest.domain.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.domain.progression.Counter;
import io.learnquest.domain.progression.Counters;
import io.learnquest.domain.progression.ProgressionState;
import io.learnquest.domain.xp.Activities;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The registry of built-in event types, entry by entry (docs/rules.md): what each validates, counts
 * as study, earns, counts and fires; and that the configuration and the documents name exactly its
 * types and activities. A new built-in type is one more entry there and one more row here.
 */
class BuiltInTypeTest {
  private static final Instant AT = Instant.parse("2026-11-27T12:00:00Z");
  private static final int PASS_MARK = 60;

  private static LearningEvent event(String type, Integer score, String courseId, String objectId) {
    return new LearningEvent("e-1", "ana", type, AT, null, courseId, objectId, score, 2, false);
  }

  @ParameterizedTest(name = "{0} score {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      // type           | score | study | score req. | object req.     | activity     | counters
      "lesson_completed | -     | true  | false      | -               | lesson       | LESSONS_COMPLETED",
      "quiz_completed   | 100   | true  | true       | -               | quiz_perfect | QUIZZES_PASSED PERFECT_QUIZZES",
      "quiz_completed   | 60    | true  | true       | -               | quiz_pass    | QUIZZES_PASSED",
      "quiz_completed   | 59    | true  | true       | -               | -            | -",
      "course_completed | 80    | true  | true       | -               | course       | COURSES_COMPLETED",
      "peer_helped      | -     | true  | false      | the peer helped | help_peer    | PEERS_HELPED",
      "daily_login      | -     | false | false      | -               | -            | -"})
  void eachEntrySaysWhatItsTypeValidatesCountsAsStudyEarnsAndCounts(String type, Integer score, boolean study,
      boolean scoreRequired, String objectRequired, String activity, String counters) {
    BuiltInType entry = BuiltInType.find(type).orElseThrow();
    assertEquals(type, entry.typeName());
    assertEquals(study, entry.study());
    assertEquals(scoreRequired, entry.scoreRequired());
    assertEquals(objectRequired, entry.objectRequired());
    LearningEvent e = event(type, score, "c-1", "o-1");
    assertEquals(Optional.ofNullable(activity), entry.activity(e, PASS_MARK));
    Set<Counter> expected = new TreeSet<>();
    if (counters != null) {
      Arrays.stream(counters.split(" ")).map(Counter::valueOf).forEach(expected::add);
    }
    assertEquals(expected, new TreeSet<>(entry.counters(e, PASS_MARK)));
    entry.activity(e, PASS_MARK).ifPresent(a -> assertTrue(entry.activities().containsKey(a),
        a + " is earned by " + type + " but not among its activities"));
  }

  @ParameterizedTest(name = "{0} score {1} peers {2}: {3} -> {4}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "lesson_completed | -   | 0 | ONBOARDING | ACTIVE",
      "lesson_completed | -   | 0 | ACTIVE     | ACTIVE",
      "course_completed | 90  | 0 | ACTIVE     | MASTERY",
      "course_completed | 89  | 0 | ACTIVE     | ACTIVE",
      "course_completed | 100 | 0 | ONBOARDING | ONBOARDING",
      "peer_helped      | -   | 5 | MASTERY    | MENTOR",
      "peer_helped      | -   | 4 | MASTERY    | MASTERY",
      "peer_helped      | -   | 9 | ACTIVE     | ACTIVE",
      "quiz_completed   | 100 | 0 | ONBOARDING | ONBOARDING",
      "daily_login      | -   | 0 | ONBOARDING | ONBOARDING"})
  void eachEntrySaysWhereItsTypeTakesALearner(String type, Integer score, long peers, ProgressionState from,
                                              ProgressionState to) {
    Counters after = Counters.ZERO.with(Counter.PEERS_HELPED, peers);
    assertEquals(to, BuiltInType.find(type).orElseThrow().progression(from, event(type, score, null, null), after));
  }

  @Test
  void aCompletedCourseIsJudgedAsARepeatByItsCourseWhenItNamesNoObject() {
    assertEquals("c-1", BuiltInType.COURSE_COMPLETED.repeatObject(event("course_completed", 80, "c-1", null)));
    assertEquals("o-1", BuiltInType.COURSE_COMPLETED.repeatObject(event("course_completed", 80, "c-1", "o-1")));
    assertEquals(null, BuiltInType.LESSON_COMPLETED.repeatObject(event("lesson_completed", null, "c-1", null)));
  }

  @Test
  void theConfiguredTypesAreTheRegistrys() throws IOException {
    List<String> names = Arrays.stream(BuiltInType.values()).map(BuiltInType::typeName).toList();
    assertEquals(names, new ArrayList<>(EventTypes.builtIn().names()));
    for (BuiltInType type : BuiltInType.values()) {
      EventTypeSpec spec = EventTypes.builtIn().get(type.typeName());
      assertEquals(type.study(), spec.study(), type.typeName());
      assertEquals(type.scoreRequired(), spec.scoreRequired(), type.typeName());
    }
    assertEquals(25L, Activities.defaults().get(Activities.STREAK));
  }

  /**
   * Each built-in activity's default base XP is the registry's alone: the shipped configuration,
   * which lists them for its readers, gives each activity it names exactly that (and names no
   * other), and docs/rules.md states each one.
   */
  @Test
  void theShippedConfigurationAndTheRulesGiveEachActivityTheRegistrysDefault() throws IOException {
    JsonObject baseXp = new JsonObject(Files.readString(Path.of("conf", "engine.json")))
        .getJsonObject("xp").getJsonObject("baseXp");
    Map<String, Long> shipped = new LinkedHashMap<>();
    baseXp.forEach(e -> shipped.put(e.getKey(), ((Number) e.getValue()).longValue()));
    Map<String, Long> defaults = Activities.defaults();
    shipped.forEach((activity, xp) -> assertEquals(defaults.get(activity), xp,
        "conf/engine.json xp.baseXp." + activity + " against the registry's default"));
    String rules = Files.readString(Path.of("docs/rules.md")).replaceAll("\\s+", " ");
    defaults.forEach((activity, xp) -> assertTrue(rules.contains("`" + activity + "` " + xp),
        "docs/rules.md gives " + activity + " its default base XP " + xp));
  }

  @Test
  void theDocumentsNameEveryBuiltInType() throws IOException {
    String list = String.join(", ", Arrays.stream(BuiltInType.values()).map(BuiltInType::typeName).toList());
    assertTrue(Files.readString(Path.of("src/main/resources/openapi.json")).contains("built in: " + list),
        "openapi.json LearningEvent.type lists " + list);
    String apiList = String.join(", ", Arrays.stream(BuiltInType.values()).map(t -> "`" + t.typeName() + "`").toList());
    assertTrue(Files.readString(Path.of("docs/api.md")).contains("Built in: " + apiList), "docs/api.md lists " + apiList);
    String rules = Files.readString(Path.of("docs/rules.md"));
    for (BuiltInType type : BuiltInType.values()) {
      assertTrue(rules.contains("`" + type.typeName() + "`"), "docs/rules.md says nothing of " + type.typeName());
    }
  }
}
