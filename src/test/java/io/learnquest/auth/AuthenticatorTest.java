package io.learnquest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.learnquest.store.AuthStore;
import io.learnquest.store.memory.MemoryAuthStore;
import io.learnquest.support.TestEngine;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Requests that miss the key cache together share one look-up of the key: when a busy key's cached
 * answer expires under load, the store is asked once, not once per request in flight (which had
 * queued thousands of look-ups on the store's few connections and answered them 503).
 */
class AuthenticatorTest {
  @Test
  void requestsMissingTheCacheTogetherShareOneLookUp() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MemoryAuthStore memory = new MemoryAuthStore();
      String secret = ApiKeys.newSecret();
      TestEngine.await(memory.createTenant("default", "default", Instant.now()));
      TestEngine.await(memory.putKey(new AuthStore.ApiKey(ApiKeys.newKeyId(), "default", "k", List.of("admin"),
          ApiKeys.hash(secret), Instant.now(), null)));
      AtomicInteger lookUps = new AtomicInteger();
      List<Runnable> held = new ArrayList<>();
      AuthStore holding = (AuthStore) Proxy.newProxyInstance(AuthStore.class.getClassLoader(),
          new Class<?>[] {AuthStore.class}, (proxy, method, args) -> {
            if (!method.getName().equals("keyByHash")) {
              try {
                return method.invoke(memory, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            }
            lookUps.incrementAndGet();
            Promise<Object> answer = Promise.promise();
            held.add(() -> memory.keyByHash((String) args[0]).onComplete(ar -> answer.handle(ar.map(o -> (Object) o))));
            return answer.future();
          });
      // A cached answer that has always expired: every call misses the cache.
      Authenticator authenticator = new Authenticator(vertx, holding, 0);
      List<Future<Caller>> callers = new ArrayList<>();
      Promise<Void> sent = Promise.promise();
      vertx.runOnContext(v -> {
        for (int i = 0; i < 200; i++) {
          callers.add(authenticator.authenticate(secret));
        }
        sent.complete();
      });
      sent.future().await(10, TimeUnit.SECONDS);
      assertEquals(1, lookUps.get(), "one look-up for 200 requests that missed the cache together");
      vertx.runOnContext(v -> held.forEach(Runnable::run));
      for (Future<Caller> caller : callers) {
        assertEquals("default", caller.await(10, TimeUnit.SECONDS).tenantId());
      }
      // Once answered, a later miss asks the store again (the TTL is 0 here).
      Promise<Future<Caller>> later = Promise.promise();
      vertx.runOnContext(v -> later.complete(authenticator.authenticate(secret)));
      later.future().await(10, TimeUnit.SECONDS);
      assertEquals(2, lookUps.get());
    } finally {
      TestEngine.await(vertx.close());
    }
  }

  @Test
  void aLookUpAnsweredOnAnotherThreadGoesOnOnTheCallersOwn() throws Exception {
    Vertx vertx = Vertx.vertx();
    // The store answers on threads of its own, as a client created elsewhere does.
    Vertx storeVertx = Vertx.vertx();
    try {
      MemoryAuthStore memory = new MemoryAuthStore();
      TestEngine.await(memory.createTenant("default", "default", Instant.now()));
      String secret = ApiKeys.newSecret();
      TestEngine.await(memory.putKey(new AuthStore.ApiKey(ApiKeys.newKeyId(), "default", "k", List.of("admin"),
          ApiKeys.hash(secret), Instant.now(), null)));
      java.util.concurrent.atomic.AtomicReference<Thread> storeThread = new java.util.concurrent.atomic.AtomicReference<>();
      AuthStore elsewhere = (AuthStore) Proxy.newProxyInstance(AuthStore.class.getClassLoader(),
          new Class<?>[] {AuthStore.class}, (proxy, method, args) -> {
            Promise<Object> answer = Promise.promise();
            storeVertx.setTimer(20, t -> {
              storeThread.set(Thread.currentThread());
              try {
                ((Future<?>) method.invoke(memory, args)).onComplete(ar -> answer.handle(ar.map(o -> (Object) o)));
              } catch (ReflectiveOperationException e) {
                answer.fail(e);
              }
            });
            return answer.future();
          });
      Authenticator authenticator = new Authenticator(vertx, elsewhere, 0);
      Promise<Thread[]> threads = Promise.promise();
      vertx.runOnContext(v -> {
        Thread own = Thread.currentThread();
        authenticator.authenticate(secret).onComplete(ar -> threads.complete(
            ar.succeeded() ? new Thread[] {own, Thread.currentThread()} : null));
      });
      Thread[] seen = threads.future().await(10, TimeUnit.SECONDS);
      assertNotNull(seen, "the key was not found");
      assertNotSame(seen[0], storeThread.get(), "the store answered on a thread of its own");
      assertSame(seen[0], seen[1], "the request went on on the store's thread");
    } finally {
      TestEngine.await(storeVertx.close());
      TestEngine.await(vertx.close());
    }
  }
}
