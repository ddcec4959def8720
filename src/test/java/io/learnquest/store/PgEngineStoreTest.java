package io.learnquest.store;

import io.learnquest.config.EngineConfig;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The store contract against PostgreSQL (the test database, emptied before each test). */
class PgEngineStoreTest extends EngineStoreContract {
  private static Vertx vertx;
  private static Stores stores;
  private static Pool admin;
  private static EngineConfig config;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    config = TestStores.postgresConfig();
    stores = TestStores.create(vertx, config);
    admin = TestStores.pool(vertx);
  }

  @AfterAll
  static void close() {
    TestEngine.await(vertx.close());
  }

  @BeforeEach
  void empty() {
    TestStores.truncate(admin);
  }

  @Override
  protected EventLog events() {
    return stores.events();
  }

  @Override
  protected LearnerStore learners() {
    return stores.learners();
  }

  @Override
  protected int notificationHistory() {
    return config.notificationHistory();
  }

  /**
   * A history made shorter (a restart with a lower {@code notifications.historyPerLearner}) holds only
   * its newest notifications at once, before any commit of the learner trims the older batches.
   */
  @org.junit.jupiter.api.Test
  void aShorterHistoryReadsOnlyItsNewestBeforeAnyTrim() {
    java.util.List<io.learnquest.domain.event.LearningEvent> batch = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      batch.add(lesson("h" + i, "ana"));
    }
    TestEngine.await(events().append(T, batch, null));
    for (int i = 0; i < 5; i++) { // two notifications each: seqs 1 to 10
      TestEngine.await(learners().commit(T, application("h" + i, i, learner("ana", i + 1, 52L * (i + 1)), 52)));
    }
    io.learnquest.store.postgres.PgEngineStore shorter = new io.learnquest.store.postgres.PgEngineStore(admin, admin,
        java.time.Clock.systemUTC(), 3, 100);
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(8L, 9L),
        TestEngine.await(shorter.notificationsAfter(T, "ana", 0, 2)).stream()
            .map(io.learnquest.domain.notification.Notification::seq).toList());
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(9L, 10L),
        TestEngine.await(shorter.notificationsAfter(T, "ana", 8, 100)).stream()
            .map(io.learnquest.domain.notification.Notification::seq).toList());
  }

  /** PostgreSQL writes a chain in one transaction: a member that cannot commit keeps all of it out. */
  @org.junit.jupiter.api.Test
  void aChainIsAllOrNothing() {
    TestEngine.await(events().append(T, java.util.List.of(lesson("e1", "ana"), lesson("e2", "ana")), null));
    TestEngine.await(learners().commit(T, application("e2", 0, learner("ana", 1, 52), 52)));
    // e1 then e2 from version 1: e2 is applied already, so e1 must not be either
    assertConflict(learners().commitChain(T, java.util.List.of(application("e1", 1, learner("ana", 2, 104), 52),
        application("e2", 2, learner("ana", 3, 156), 52))), "e2 is applied already");
    org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of("e1"),
        TestEngine.await(events().pending(T, "ana", 10)).stream().map(s -> s.event().eventId()).toList());
    org.junit.jupiter.api.Assertions.assertEquals(52, TestEngine.await(learners().learner(T, "ana")).orElseThrow().xp());
  }

  /**
   * The rules encode an event's outcome once, for the store and for the waiting request: the store
   * keeps the text it is given (here spaced unlike its own encoding) and reads it back as the outcome.
   */
  @org.junit.jupiter.api.Test
  void anOutcomeGivenAsJsonIsKeptAsThatText() {
    TestEngine.await(events().append(T, java.util.List.of(lesson("o1", "ana")), null));
    io.learnquest.domain.learner.EventApplication app = application("o1", 0, learner("ana", 1, 52), 52);
    String given = io.learnquest.json.JsonMapping.encode(app.outcome()).replace(",", ", ");
    TestEngine.await(learners().commitChain(T, java.util.List.of(app), java.util.List.of(given)));
    String kept = TestEngine.await(admin.preparedQuery("SELECT o.outcome::text FROM event_outcomes o JOIN events e"
        + " ON e.tenant_id = o.tenant_id AND e.seq = o.seq WHERE e.tenant_id = $1 AND e.event_id = $2")
        .execute(io.vertx.sqlclient.Tuple.of(T, "o1"))).iterator().next().getString(0);
    org.junit.jupiter.api.Assertions.assertEquals(given, kept);
    org.junit.jupiter.api.Assertions.assertEquals(app.outcome(),
        TestEngine.await(events().event(T, "o1")).orElseThrow().outcome());
  }
}
