package io.learnquest.store;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The tenants-and-keys contract against PostgreSQL (the test database, emptied before each test). */
class PgAuthStoreTest extends AuthStoreContract {
  private static Vertx vertx;
  private static Stores stores;
  private static Pool admin;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    stores = TestStores.create(vertx, TestStores.postgresConfig());
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
  protected AuthStore store() {
    return stores.auth();
  }
}
