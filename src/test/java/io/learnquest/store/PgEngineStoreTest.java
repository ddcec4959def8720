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
}
