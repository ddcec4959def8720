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
}
