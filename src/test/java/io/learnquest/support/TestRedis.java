package io.learnquest.support;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis client on the tests' server for the tests of one class, as its
 * {@code @RegisterExtension static final TestRedis REDIS = new TestRedis()}: connected before the
 * class's first test (so before its instances' fields are initialized), closed after its last. Each
 * test keeps its keys under a {@link #freshKeyPrefix() prefix of its own}, the server being shared.
 */
public final class TestRedis implements BeforeAllCallback, AfterAllCallback {
  private Vertx vertx;
  private Redis client;

  /**
   * The client, which lets up to 1,000 requests wait for a connection: the store contracts send
   * hundreds at once.
   */
  public Redis client() {
    if (client == null) {
      throw new IllegalStateException("no Redis client yet: register TestRedis on a static field");
    }
    return client;
  }

  /** A key prefix no other test uses ({@link TestStores#freshRedisKeyPrefix}). */
  public String freshKeyPrefix() {
    return TestStores.freshRedisKeyPrefix();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    vertx = Vertx.vertx();
    client = Redis.createClient(vertx, TestStores.redisOptions().setMaxPoolWaiting(1_000));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    TestEngine.await(vertx.close());
    client = null;
    vertx = null;
  }
}
