package io.learnquest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.bench.EventMix;
import io.learnquest.support.Replay;
import io.learnquest.support.TcpProxy;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestKafka;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * PostgreSQL goes away while records keep arriving on the events topic: the batches that cannot be
 * recorded or applied are read again (never skipped, never overtaken), and once PostgreSQL is back
 * every record is applied once, in the order it was written, and the offsets catch up: with one
 * polled batch worked at a time and offsets committed after each, and with several small batches in
 * flight at once and offsets committed on an interval.
 */
class KafkaStoreOutageTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  @ParameterizedTest(name = "batches in flight {0}, max poll records {1}, commit interval {2} ms")
  @CsvSource({"1, 500, 0", "4, 3, 200"})
  void recordsPolledDuringAnOutageAreAppliedOnceAndInOrderAfterIt(int batchesInFlight, int maxPollRecords,
                                                                 int commitIntervalMs) throws Exception {
    TestKafka kafka = TestKafka.fresh();
    TestStores.emptyTestDatabase();
    Vertx vertx = Vertx.vertx();
    TcpProxy pg = new TcpProxy(vertx, System.getenv().getOrDefault("PG_HOST", "127.0.0.1"),
        Integer.parseInt(System.getenv().getOrDefault("PG_PORT", "5432")));
    Map<String, String> env = new HashMap<>(kafka.env(3));
    env.put("PG_HOST", "127.0.0.1");
    env.put("PG_PORT", Integer.toString(pg.start()));
    env.put("KAFKA_BATCHES_IN_FLIGHT", Integer.toString(batchesInFlight));
    env.put("KAFKA_MAX_POLL_RECORDS", Integer.toString(maxPollRecords));
    env.put("KAFKA_COMMIT_INTERVAL_MS", Integer.toString(commitIntervalMs));
    List<JsonObject> events = EventMix.generate("outage", 8, 10, TestEngine.START.minus(Duration.ofDays(4)),
        Duration.ofHours(6), 99);
    try (TestEngine engine = TestEngine.startDurable(env)) {
      List<JsonObject> before = events.subList(0, 40);
      List<JsonObject> during = events.subList(40, events.size());
      before.forEach(e -> kafka.produce(kafka.events, e.getString("learnerId"), e.encode()));
      TestEngine.eventually(WAIT, () -> applied() == before.size());

      pg.stop();
      during.forEach(e -> kafka.produce(kafka.events, e.getString("learnerId"), e.encode()));
      // Long enough for the consumers to poll these records and fail on them more than once.
      Thread.sleep(2_500);
      pg.start();

      TestEngine.eventually(WAIT, () -> applied() == events.size());
      assertEquals(events.size(), TestStores.query("SELECT count(*) FROM events").get(0).getLong(0));
      TestEngine.eventually(WAIT, () -> {
        long[] committedAndEnd = kafka.committedAndEnd();
        return committedAndEnd[0] == committedAndEnd[1];
      });
      try (TestEngine reference = TestEngine.startMemoryAt(TestEngine.START, Map.of())) {
        events.forEach(reference::apply);
        for (String learner : events.stream().map(e -> e.getString("learnerId")).distinct().toList()) {
          assertEquals(Replay.comparable(reference.profile(learner)), Replay.comparable(engine.profile(learner)));
          assertEquals(Replay.ledgerSignature(reference, learner), Replay.ledgerSignature(engine, learner));
        }
      }
    } finally {
      pg.close();
      TestEngine.await(vertx.close());
    }
  }

  private static long applied() {
    return TestStores.query("SELECT count(*) FROM event_outcomes").get(0).getLong(0);
  }
}
