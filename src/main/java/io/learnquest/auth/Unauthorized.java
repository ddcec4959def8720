package io.learnquest.auth;

/**
 * Credentials that prove nothing: missing, unknown, revoked, expired, badly signed. Answered 401;
 * the message says which, never echoing the credential itself.
 */
public final class Unauthorized extends RuntimeException {
  public Unauthorized(String message) {
    super(message, null, false, false);
  }
}
