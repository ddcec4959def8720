package io.learnquest.store;

import io.learnquest.store.postgres.PgBadgeCatalogStore;
import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The badge catalog contract against PostgreSQL (the test database, emptied and seeded before each test). */
class PgBadgeCatalogStoreTest extends BadgeCatalogStoreContract {
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    pool = TestStores.migratedPool(vertx);
  }

  @AfterAll
  static void close() {
    TestEngine.await(vertx.close());
  }

  @BeforeEach
  void emptyAndSeed() {
    TestStores.truncate(pool);
    TestEngine.await(new PgBadgeCatalogStore(pool, SEED).seed(T));
  }

  @Override
  protected BadgeCatalogStore catalog() {
    return new PgBadgeCatalogStore(pool, SEED);
  }

  @Override
  protected BadgeCatalogStore restarted() {
    PgBadgeCatalogStore again = new PgBadgeCatalogStore(pool, SEED);
    TestEngine.await(again.seed(T));
    return again;
  }

  @Override
  protected boolean durable() {
    return true;
  }
}
