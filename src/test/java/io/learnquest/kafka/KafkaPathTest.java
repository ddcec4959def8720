package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka in the event path, against a real broker: REST ingestion produces to the events topic keyed
 * by learner, the rules consume it in their group and commit offsets only after applying, external
 * producers may write the topic directly, malformed records are dead-lettered without holding their
 * partition up, and achievements go to the outbound topic.
 */
class KafkaPathTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  static TestKafka kafka;
  static TestEngine engine;

  @BeforeAll
  static void start() {
    kafka = TestKafka.fresh();
    TestStores.emptyTestDatabase();
    Map<String, String> env = new HashMap<>(kafka.env(2));
    env.put("LOG_LEVEL", "WARN");
    engine = TestEngine.startDurable(env);
  }

  @AfterAll
  static void stop() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void restEventsGoThroughTheTopicKeyedByLearnerAndAreAppliedBeforeTheirOffsetsAreCommitted() {
    JsonObject outcome = null;
    for (int i = 0; i < 3; i++) {
      outcome = engine.apply(TestEngine.event("rest-a-" + i, "rest-ana", "lesson_completed")
          .put("objectId", "lesson-" + i));
      assertEquals("processed", outcome.getString("status"));
      assertEquals(i + 1, engine.get("/api/v1/learners/rest-ana/xp").json().getJsonArray("entries").size());
    }
    assertEquals(202, engine.post("/api/v1/events", TestEngine.event("rest-b-0", "rest-bob", "daily_login")).status());
    TestEngine.eventually(WAIT, () -> engine.get("/api/v1/learners/rest-bob").status() == 200);
    assertEquals(outcome.getLong("totalXp"), engine.profile("rest-ana").getLong("xp"));

    // the other tests' records share the topic: only this test's four are counted
    List<ConsumerRecord<String, String>> records = kafka.read(kafka.events, r -> r.key().startsWith("default/rest-"), 4,
        WAIT);
    assertEquals(List.of("default/rest-ana", "default/rest-ana", "default/rest-ana", "default/rest-bob"),
        records.stream().map(ConsumerRecord::key).sorted().toList(), "keyed by tenant and learner");
    assertEquals(1, records.stream().filter(r -> r.key().equals("default/rest-ana")).map(ConsumerRecord::partition)
        .distinct().count(), "one learner, one partition");
    records.forEach(r -> assertEquals("default", new String(r.headers().lastHeader(EventRecords.TENANT_HEADER).value()),
        "the tenant in a header"));
    records.forEach(r -> assertEquals("1", new String(r.headers().lastHeader(EventRecords.RECORDED_HEADER).value()),
        "the engine marks what its log holds already"));
    assertEquals(Set.of("rest-a-0", "rest-a-1", "rest-a-2", "rest-b-0"), records.stream()
        .map(r -> new JsonObject(r.value()).getString("eventId")).collect(Collectors.toSet()));
    // each as the log holds it: its seq, and none of its learner's pending before it (each was applied first)
    List<Long> seqs = records.stream().filter(r -> r.key().equals("default/rest-ana"))
        .map(r -> Long.parseLong(new String(r.headers().lastHeader(EventRecords.SEQ_HEADER).value()))).toList();
    assertEquals(seqs.stream().sorted().toList(), seqs, "in acceptance order");
    records.forEach(r -> assertEquals("0", new String(r.headers().lastHeader(EventRecords.PREVIOUS_SEQ_HEADER).value())));
    TestEngine.eventually(WAIT, () -> {
      long[] committedAndEnd = kafka.committedAndEnd();
      return committedAndEnd[0] == committedAndEnd[1];
    });
  }

  @Test
  void anExternalProducerWritesTheTopicDirectlyAndRedeliveryAppliesOnce() {
    String lesson = TestEngine.event("ext-1", "ext-ana", "lesson_completed").put("objectId", "ext-lesson").encode();
    kafka.produce(kafka.events, "ext-ana", lesson);
    kafka.produce(kafka.events, "ext-ana", lesson);
    kafka.produce(kafka.events, "ext-ana",
        TestEngine.event("ext-2", "ext-ana", "peer_helped").put("objectId", "peer-1").encode());
    TestEngine.eventually(WAIT, () -> engine.get("/api/v1/learners/ext-ana").status() == 200
        && engine.get("/api/v1/learners/ext-ana/xp").json().getJsonArray("entries").size() == 2);
    try (TestEngine reference = TestEngine.startMemoryAt(TestEngine.START, Map.of())) {
      reference.apply(new JsonObject(lesson));
      reference.apply(TestEngine.event("ext-2", "ext-ana", "peer_helped").put("objectId", "peer-1"));
      assertEquals(reference.profile("ext-ana").getLong("xp"), engine.profile("ext-ana").getLong("xp"),
          "the lesson counted once");
    }
    assertEquals(1L, TestStores.query("SELECT count(*) FROM events WHERE event_id = 'ext-1'").get(0).getLong(0));
    JsonObject again = engine.post("/api/v1/events", new JsonObject(lesson)).json();
    assertEquals("duplicate", again.getString("status"), "the REST API knows the event the topic brought");
  }

  @Test
  void malformedRecordsAreDeadLetteredWithTheReasonAndTheirPartitionMovesOn() {
    kafka.produce(kafka.events, "dl-ana", "{not json");
    kafka.produce(kafka.events, "dl-ana", TestEngine.event("dl-0", "dl-ana", "levitation").encode());
    kafka.produce(kafka.events, "dl-ana", TestEngine.event("dl-1", "dl-ana", "daily_login").encode());
    TestEngine.eventually(WAIT, () -> engine.get("/api/v1/learners/dl-ana").status() == 200);

    List<JsonObject> letters = kafka.read(kafka.deadLetters, 2, WAIT).stream()
        .map(r -> new JsonObject(r.value())).toList();
    assertEquals(2, letters.size());
    assertEquals(List.of("invalid_json", "unknown_event_type"),
        letters.stream().map(l -> l.getJsonObject("error").getString("code")).sorted().toList());
    JsonObject first = letters.stream().filter(l -> l.getString("value").equals("{not json")).findFirst().orElseThrow();
    assertEquals("dl-ana", first.getString("key"));
    assertEquals(kafka.events, first.getJsonObject("source").getString("topic"));
    assertEquals(0L, TestStores.query("SELECT count(*) FROM events WHERE event_id = 'dl-0'").get(0).getLong(0),
        "a refused record changes nothing");
  }

  @Test
  void achievementsArePublishedToTheOutboundTopicAndNothingElseIs() {
    JsonObject outcome = engine.apply(TestEngine.event("ach-1", "ach-ana", "lesson_completed")
        .put("objectId", "ach-lesson"));
    assertEquals(List.of("first_lesson"), outcome.getJsonArray("badgesAwarded").getList());
    List<String> replayed = TestStores.query("SELECT (f ->> 'seq')::bigint FROM notification_batches, "
        + "json_array_elements(frames) AS f WHERE learner_id = 'ach-ana' "
        + "AND f ->> 'type' IN ('badge_awarded', 'level_up', 'state_changed') ORDER BY 1").stream()
        .map(row -> Long.toString(row.getLong(0))).toList();
    // as many of the learner's records as the history holds achievements (one partition, in order:
    // a frame of another kind published among them would take one of their places)
    List<JsonObject> frames = kafka.read(kafka.achievements, r -> r.key().equals("default/ach-ana"), replayed.size(), WAIT)
        .stream().map(r -> new JsonObject(r.value())).toList();
    assertTrue(frames.stream().anyMatch(f -> f.getString("type").equals("badge_awarded")
        && f.getJsonObject("data").getString("badgeId").equals("first_lesson")), frames.toString());
    assertTrue(frames.stream().allMatch(f -> Set.of("badge_awarded", "level_up", "state_changed")
        .contains(f.getString("type")) && f.getString("eventId").equals("ach-1")), frames.toString());
    assertEquals(replayed, frames.stream().map(f -> f.getString("id")).toList(),
        "the same achievements, with the same ids, as the notification history");
  }
}
