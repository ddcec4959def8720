package io.learnquest.security;

import io.learnquest.support.TestEngine;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.auth.JWTOptions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Learner tokens for tests: signed as a platform would sign them, or broken in one chosen way. */
final class Credentials {
  private Credentials() {
  }

  static JWTAuth hs256(TestEngine engine, String secret) {
    return JWTAuth.create(engine.vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }

  /** Claims sub, tid, iat and exp {@code expiresInSeconds} from now (negative: already expired). */
  static JsonObject claims(String tenantId, String learnerId, long expiresInSeconds) {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("sub", learnerId).put("tid", tenantId).put("iat", now - 120)
        .put("exp", now + expiresInSeconds);
  }

  static String sign(JWTAuth signer, String algorithm, JsonObject claims) {
    return signer.generateToken(claims, new JWTOptions().setAlgorithm(algorithm));
  }

  /** An unsigned token: header {@code alg: none}, no signature. */
  static String algNone(JsonObject claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }
}
