package io.learnquest.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.learnquest.support.TestEngine;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Learner tokens verified with a tenant's JWK set ({@code PUT /api/v1/auth/learner-tokens
 * {"jwks": ...}}): RS256, ES256 and EdDSA tokens signed as a platform would sign them (keys made
 * here with java.security), and each way such a token can be wrong: expired, badly signed,
 * {@code alg: none}, signed for another tenant, an algorithm that does not match its key, and an
 * HS256 token made with the public key as its secret.
 */
class JwksLearnerTokenTest {
  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static final String OWNER = "ana";
  static final String OPERATOR_KEY = "lq_test-operator-key-jwks-0123456789abcdefghijkl";
  static TestEngine engine;
  static final Map<String, KeyPair> KEYS = new java.util.HashMap<>();
  static KeyPair otherRsa;

  @BeforeAll
  static void start() throws GeneralSecurityException {
    engine = TestEngine.startMemoryAt(TestEngine.START, Map.of("LQ_OPERATOR_KEY", OPERATOR_KEY));
    KEYS.put("RS256", generate("RSA", null));
    KEYS.put("ES256", generate("EC", new ECGenParameterSpec("secp256r1")));
    KEYS.put("EdDSA", generate("Ed25519", null));
    otherRsa = generate("RSA", null);
    JsonArray keys = new JsonArray();
    KEYS.forEach((alg, pair) -> keys.add(jwk(alg, pair, "kid-" + alg)));
    TestEngine.Response set = engine.put("/api/v1/auth/learner-tokens", new JsonObject().put("jwks",
        new JsonObject().put("keys", keys)));
    assertEquals(200, set.status(), set.body());
    assertEquals("jwks", set.json().getString("learnerTokens"));
    engine.apply(TestEngine.event("jw-1", OWNER, "lesson_completed").put("objectId", "lesson-1"));
    engine.apply(TestEngine.event("jw-2", "ben", "lesson_completed").put("objectId", "lesson-1"));

    // another tenant that trusts another key
    String otherAdmin = engine.requestAs(OPERATOR_KEY, HttpMethod.POST, "/api/v1/tenants",
        new JsonObject().put("tenantId", "other").put("name", "Other school")).json().getString("key");
    TestEngine.Response other = engine.requestAs(otherAdmin, HttpMethod.PUT, "/api/v1/auth/learner-tokens",
        new JsonObject().put("jwks", new JsonObject().put("keys", new JsonArray()
            .add(jwk("RS256", otherRsa, "kid-RS256")))));
    assertEquals(200, other.status(), other.body());
  }

  @AfterAll
  static void stop() {
    engine.close();
  }

  static KeyPair generate(String algorithm, ECGenParameterSpec spec) throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (spec != null) {
      generator.initialize(spec);
    } else if (algorithm.equals("RSA")) {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  /** The public half of {@code pair} as a JWK. */
  static JsonObject jwk(String alg, KeyPair pair, String kid) {
    JsonObject jwk = new JsonObject().put("kid", kid).put("alg", alg).put("use", "sig");
    switch (alg) {
      case "RS256" -> {
        RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
        jwk.put("kty", "RSA").put("n", unsigned(rsa.getModulus(), 0)).put("e", unsigned(rsa.getPublicExponent(), 0));
      }
      case "ES256" -> {
        ECPublicKey ec = (ECPublicKey) pair.getPublic();
        jwk.put("kty", "EC").put("crv", "P-256").put("x", unsigned(ec.getW().getAffineX(), 32))
            .put("y", unsigned(ec.getW().getAffineY(), 32));
      }
      default -> {
        byte[] encoded = pair.getPublic().getEncoded(); // X.509: 12 bytes of header, then the 32-byte key
        jwk.put("kty", "OKP").put("crv", "Ed25519")
            .put("x", B64.encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
      }
    }
    return jwk;
  }

  static String unsigned(BigInteger n, int length) {
    byte[] bytes = n.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    if (length > bytes.length) {
      byte[] padded = new byte[length];
      System.arraycopy(bytes, 0, padded, length - bytes.length, bytes.length);
      bytes = padded;
    }
    return B64.encodeToString(bytes);
  }

  /** A JWS compact token: header {@code alg} and {@code kid}, signed with {@code key} by {@code alg}'s rules. */
  static String sign(String alg, String kid, PrivateKey key, JsonObject claims) throws GeneralSecurityException {
    String input = b64(new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid)) + "." + b64(claims);
    Signature signature = Signature.getInstance(switch (alg) {
      case "RS256" -> "SHA256withRSA";
      case "ES256" -> "SHA256withECDSAinP1363Format";
      default -> "Ed25519";
    });
    signature.initSign(key);
    signature.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64.encodeToString(signature.sign());
  }

  static String b64(JsonObject json) {
    return B64.encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  static String token(String alg, JsonObject claims) throws GeneralSecurityException {
    return sign(alg, "kid-" + alg, KEYS.get(alg).getPrivate(), claims);
  }

  static int profileStatus(String token, String learnerId) {
    return engine.requestAs(token, HttpMethod.GET, "/api/v1/learners/" + learnerId, null).status();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
  void aTokenSignedWithAKeyOfTheSetReadsItsOwnLearnerOnly(String alg) throws GeneralSecurityException {
    String token = token(alg, Credentials.claims("default", OWNER, 600));
    assertEquals(200, profileStatus(token, OWNER));
    assertEquals(200, engine.requestAs(token, HttpMethod.GET, "/api/v1/leaderboards/global", null).status());
    assertEquals(403, profileStatus(token, "ben"));
    assertEquals(403, engine.requestAs(token, HttpMethod.POST, "/api/v1/events",
        TestEngine.event("jw-" + alg, OWNER, "daily_login")).status(), "a learner token never writes events");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
  void anExpiredTokenIsRefused(String alg) throws GeneralSecurityException {
    assertEquals(401, profileStatus(token(alg, Credentials.claims("default", OWNER, -60)), OWNER));
    JsonObject noExp = Credentials.claims("default", OWNER, 600);
    noExp.remove("exp");
    assertEquals(401, profileStatus(token(alg, noExp), OWNER), "exp is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "ES256", "EdDSA"})
  void aBadSignatureIsRefused(String alg) throws GeneralSecurityException {
    String token = token(alg, Credentials.claims("default", OWNER, 600));
    // the same header and claims under another learner's name: the signature no longer matches
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + b64(Credentials.claims("default", "ben", 600)) + "." + parts[2];
    assertEquals(401, profileStatus(forged, "ben"));
    // signed by a key the tenant does not trust, under the trusted key's kid
    KeyPair stranger = alg.equals("RS256") ? otherRsa : generate(alg.equals("ES256") ? "EC" : "Ed25519",
        alg.equals("ES256") ? new ECGenParameterSpec("secp256r1") : null);
    assertEquals(401, profileStatus(sign(alg, "kid-" + alg, stranger.getPrivate(),
        Credentials.claims("default", OWNER, 600)), OWNER));
  }

  @Test
  void algNoneIsRefused() {
    assertEquals(401, profileStatus(Credentials.algNone(Credentials.claims("default", OWNER, 600)), OWNER));
  }

  @Test
  void aTokenOfAnotherTenantIsRefused() throws GeneralSecurityException {
    // signed with the other tenant's key but claiming tenant default: default's set does not verify it
    assertEquals(401, profileStatus(sign("RS256", "kid-RS256", otherRsa.getPrivate(),
        Credentials.claims("default", OWNER, 600)), OWNER));
    // a valid token of tenant other reads nothing of default
    String otherToken = sign("RS256", "kid-RS256", otherRsa.getPrivate(), Credentials.claims("other", OWNER, 600));
    int status = profileStatus(otherToken, OWNER);
    assertEquals(404, status, "tenant other reading its own learner, absent there: default's learner stays out of reach");
    // default's key claiming tenant other: other's set does not verify it
    assertEquals(401, profileStatus(token("RS256", Credentials.claims("other", OWNER, 600)), OWNER));
  }

  @Test
  void anAlgorithmThatDoesNotMatchItsKeyIsRefused() throws GeneralSecurityException {
    // an ES256 signature presented as RS256 under the RSA key's kid, and the reverse
    JsonObject claims = Credentials.claims("default", OWNER, 600);
    String es = token("ES256", claims);
    String[] parts = es.split("\\.");
    String relabelled = b64(new JsonObject().put("alg", "RS256").put("typ", "JWT").put("kid", "kid-RS256"))
        + "." + parts[1] + "." + parts[2];
    assertEquals(401, profileStatus(relabelled, OWNER));
    // key confusion: HS256 with the RSA public key's encoding as the secret
    String input = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "kid-RS256")) + "."
        + b64(claims);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(KEYS.get("RS256").getPublic().getEncoded(), "HmacSHA256"));
    String confused = input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    assertEquals(401, profileStatus(confused, OWNER));
  }

  @Test
  void aSetWithAPrivateOrSymmetricKeyIsRefused() throws GeneralSecurityException {
    JsonObject withPrivate = jwk("RS256", generate("RSA", null), "k1").put("d", "AQAB");
    TestEngine.Response refused = engine.put("/api/v1/auth/learner-tokens", new JsonObject().put("jwks",
        new JsonObject().put("keys", new JsonArray().add(withPrivate))));
    assertEquals(400, refused.status(), refused.body());
    assertEquals("jwks", refused.json().getString("field"));
    JsonObject symmetric = new JsonObject().put("kty", "oct").put("k", B64.encodeToString(new byte[32]))
        .put("alg", "HS256");
    assertEquals(400, engine.put("/api/v1/auth/learner-tokens", new JsonObject().put("jwks",
        new JsonObject().put("keys", new JsonArray().add(symmetric)))).status());
    // the set in force is unchanged
    assertEquals(200, profileStatus(token("EdDSA", Credentials.claims("default", OWNER, 600)), OWNER));
  }
}
