package io.learnquest.store.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.learnquest.support.TestStores;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A script the server does not know is sent in full once, and by its SHA-1 afterwards; in a
 * pipeline, only the calls refused with NOSCRIPT are sent again.
 */
class LuaScriptTest {
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestStores.redisUrl()));
  }

  @AfterAll
  static void close() {
    TestEngine.await(vertx.close());
  }

  @Test
  void anUnknownScriptIsSentInFullOnceThenByItsSha() {
    // unique text, so no other test (or earlier run) has loaded it
    LuaScript script = LuaScript.of("return ARGV[1] .. '-" + UUID.randomUUID() + "'");
    List<Command> sent = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String answer = TestEngine.await(script.run(redis, (command, named) -> {
        sent.add(command);
        return Request.cmd(command).arg(named).arg(0).arg("x");
      })).toString();
      assertEquals("x-", answer.substring(0, 2));
    }
    assertEquals(List.of(Command.EVALSHA, Command.EVAL, Command.EVALSHA), sent);
  }

  @Test
  void aPipelineSendsAgainInFullOnlyTheCallsRefusedWithNoscript() {
    // an incremental script: a call that ran twice would count twice
    LuaScript script = LuaScript.of("return redis.call('INCRBY', ARGV[1], ARGV[2]) -- " + UUID.randomUUID());
    String counter = "lqtest:" + UUID.randomUUID() + ":counter";
    List<Command> sent = new ArrayList<>();
    List<BiFunction<Command, String, Request>> calls = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      String by = Integer.toString(i);
      calls.add((command, named) -> {
        sent.add(command);
        return Request.cmd(command).arg(named).arg(0).arg(counter).arg(by);
      });
    }
    try {
      assertEquals(List.of(1L, 3L, 6L), TestEngine.await(script.runEach(redis, calls)).stream()
          .map(r -> r.toLong()).toList(), "each call ran once, in order");
      assertEquals(List.of(Command.EVALSHA, Command.EVALSHA, Command.EVALSHA, Command.EVAL, Command.EVAL,
          Command.EVAL), sent);
      sent.clear();
      assertEquals(List.of(7L, 9L, 12L), TestEngine.await(script.runEach(redis, calls)).stream()
          .map(r -> r.toLong()).toList());
      assertEquals(List.of(Command.EVALSHA, Command.EVALSHA, Command.EVALSHA), sent);
    } finally {
      TestEngine.await(redis.send(Request.cmd(Command.DEL).arg(counter)));
    }
  }
}
