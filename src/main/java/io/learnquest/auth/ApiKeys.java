package io.learnquest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets of API keys: 256 random bits, shown once, kept only as their SHA-256 (a key is random
 * enough that a fast hash is safe: there is nothing to guess from a dictionary).
 */
public final class ApiKeys {
  public static final String KEY_PREFIX = "lq_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  });

  private ApiKeys() {
  }

  /** A fresh secret: {@code lq_} and 32 random bytes, base64url. */
  public static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A fresh public key id: {@code key_} and 64 random bits in hex. */
  public static String newKeyId() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return "key_" + HexFormat.of().formatHex(bytes);
  }

  /** SHA-256 of the secret, hex: what the stores keep and look keys up by. */
  public static String hash(String secret) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** Constant-time comparison of two hashes. */
  public static boolean sameHash(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
