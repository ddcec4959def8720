package io.learnquest.store.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A Lua script sent by its SHA-1 ({@code EVALSHA}), and in full ({@code EVAL}) only when the server
 * does not know it yet (after a restart or a {@code SCRIPT FLUSH}): most calls carry 40 bytes
 * instead of the script.
 */
record LuaScript(String text, String sha) {
  static LuaScript of(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(text, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs the script; {@code call} builds the request from the command ({@code EVALSHA} or
   * {@code EVAL}) and what names the script (its SHA-1 or its text), keys and arguments after.
   */
  Future<Response> run(Redis redis, BiFunction<Command, String, Request> call) {
    return redis.send(call.apply(Command.EVALSHA, sha))
        .recover(e -> noScript(e) ? redis.send(call.apply(Command.EVAL, text)) : Future.failedFuture(e));
  }

  /**
   * Runs the script once per call, pipelined in order on one connection, and answers in the calls'
   * order. A call refused with NOSCRIPT did not run, so that call alone is sent again in full, on
   * the same connection and in order; a call that ran is never sent twice. Fails when any call
   * fails otherwise. (Not {@code Redis.batch}: a batch with an error reply fails as a whole, without
   * saying which of its calls ran.)
   */
  Future<List<Response>> runEach(Redis redis, List<BiFunction<Command, String, Request>> calls) {
    if (calls.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return redis.connect().compose(conn -> {
      List<Future<Response>> bySha = new ArrayList<>(calls.size());
      for (BiFunction<Command, String, Request> call : calls) {
        bySha.add(conn.send(call.apply(Command.EVALSHA, sha)));
      }
      return Future.join(bySha).transform(answered -> {
        List<Future<Response>> answers = new ArrayList<>(calls.size());
        for (int i = 0; i < calls.size(); i++) {
          Future<Response> answer = bySha.get(i);
          answers.add(answer.failed() && noScript(answer.cause())
              ? conn.send(calls.get(i).apply(Command.EVAL, text)) : answer);
        }
        return Future.all(answers).map(all -> answers.stream().map(Future::result).toList());
      }).eventually(conn::close);
    });
  }

  private static boolean noScript(Throwable e) {
    return e.getMessage() != null && e.getMessage().startsWith("NOSCRIPT");
  }
}
